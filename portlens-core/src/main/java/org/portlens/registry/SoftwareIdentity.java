package org.portlens.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.portlens.model.OwnerIdentity;

/**
 * What identifies the processes of a known use's software: its executables, packages, systemd units
 * and, for software that runs in an interpreter or a JVM, its Java main class, Java archive, Python
 * module or script. A process is that software when it carries any one of these marks, compared
 * whole and with case: {@code httpd} is not Apache Spark, {@code redis-commander} is not
 * {@code redis-server}, and a Python process is Jupyter only when it runs Jupyter's script or
 * module. Software with no mark ({@link #NONE}) never matches a process.
 *
 * <p>Written in {@code known-uses.tsv} as {@code -} or marks joined by commas, each
 * {@code KIND:VALUE}: {@code exe:etcd,pkg:etcd-server,unit:etcd.service}.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param marks the marks, any one of which identifies the software; empty for none
 */
public record SoftwareIdentity(List<Mark> marks) {

    /** No mark: the software cannot be told from a process, so it explains no listener. */
    public static final SoftwareIdentity NONE = new SoftwareIdentity(List.of());

    private static final Pattern JAVA_CLASS = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_+.@:-]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+.@:-]+( [A-Za-z0-9_+.@:-]+)*");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_+.@:-]+(/[A-Za-z0-9_+.@:-]+)*");
    private static final Pattern VERSION = Pattern.compile("[0-9][0-9A-Za-z.+_-]*");
    private static final Pattern PYTHON = Pattern.compile("python[0-9.]*|pypy[0-9.]*");
    private static final Pattern NODE = Pattern.compile("node|nodejs|bun");
    private static final Pattern RUBY = Pattern.compile("ruby[0-9.]*");
    private static final Pattern PERL = Pattern.compile("perl[0-9.]*");
    private static final Pattern PHP = Pattern.compile("php[0-9.]*|php-cli");

    /**
     * Copies the marks.
     *
     * @param marks the marks; copied
     */
    public SoftwareIdentity {
        marks = List.copyOf(marks);
    }

    /** A kind of mark, with its word in the file and for a person. */
    public enum Kind {
        /** The file name of the real executable: {@code redis-server}. */
        EXE("exe", "executable"),
        /** A Debian or RPM package that owns the executable: {@code redis-server}. */
        PKG("pkg", "package"),
        /** A systemd unit, system or user; {@code name@.service} stands for every instance. */
        UNIT("unit", "systemd unit"),
        /** A JVM's main class: {@code org.apache.spark.deploy.master.Master}. */
        JAVA("java", "Java main class"),
        /** The file name of a JVM's {@code -jar} archive; one {@code *} stands for a version. */
        JAR("jar", "Java archive"),
        /** A Python interpreter's {@code -m} module: {@code http.server}. */
        MODULE("module", "Python module"),
        /** The file name of the script a Python, Node.js, Bun, Ruby, Perl or PHP interpreter runs. */
        SCRIPT("script", "script");

        private final String word;
        private final String words;

        Kind(String word, String words) {
            this.word = word;
            this.words = words;
        }

        /**
         * The kind as written in the file.
         *
         * @return {@code exe}, {@code pkg}, {@code unit}, {@code java}, {@code jar}, {@code module} or
         *         {@code script}
         */
        public String word() {
            return word;
        }

        /**
         * The kind for a person.
         *
         * @return such as {@code executable} or {@code Java main class}
         */
        public String words() {
            return words;
        }

        static Kind parse(String word, String mark) {
            for (Kind k : values()) {
                if (k.word.equals(word)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown identity kind '" + word + "' in '" + mark
                    + "' (kinds: exe, pkg, unit, java, jar, module, script)");
        }
    }

    /**
     * One mark of a software's identity.
     *
     * <p>Immutable; safe to share between threads.
     *
     * @param kind  what is compared
     * @param value the value it must have, whole, with case
     */
    public record Mark(Kind kind, String value) {

        /**
         * Whether a process carries this mark. Every comparison is of whole values, with case:
         * <ul>
         *   <li>{@code exe}: the executable's file name; when it is hidden, the kernel's short name
         *       (whole, or the first 15 characters of a longer value, where the kernel cuts it);
         *   <li>{@code pkg}: one of the packages that own the executable;
         *   <li>{@code unit}: the unit that runs the process; {@code name@.service} matches
         *       {@code name@INSTANCE.service};
         *   <li>{@code java}: the main class a {@code java} process runs (the first argument after
         *       the JVM's options, or the class of {@code -m module/class});
         *   <li>{@code jar}: the file name of a {@code java} process's {@code -jar} archive, a
         *       {@code *} standing for a version that starts with a digit;
         *   <li>{@code module}: the module of a Python interpreter's {@code -m};
         *   <li>{@code script}: the file name of the first argument after an interpreter's options
         *       (Python, Node.js, Bun, Ruby, Perl, PHP); a value with slashes
         *       ({@code react-scripts/scripts/start.js}) is the script path's last whole components.
         * </ul>
         *
         * @param o the process's identity
         * @return true when the process carries the mark
         */
        public boolean matches(OwnerIdentity o) {
            switch (kind) {
                case EXE:
                    return o.executable().isEmpty()
                            ? commIs(o.comm(), value)
                            : o.executable().equals(value);
                case PKG:
                    return o.packages().contains(value);
                case UNIT:
                    return unitIs(o.unit(), value);
                case JAVA:
                    return program(o).equals("java") && mainClass(o.argv()).equals(value);
                case JAR:
                    return program(o).equals("java") && jarIs(fileName(jar(o.argv())), value);
                case MODULE:
                    return PYTHON.matcher(program(o)).matches()
                            && pythonModule(o.argv()).equals(value);
                default:
                    return scriptIs(script(program(o), o.argv()), value);
            }
        }

        /**
         * The mark for a person: {@code executable etcd}, {@code Java main class org.apache.…Master}.
         *
         * @return the kind's words and the value
         */
        public String describe() {
            return kind.words() + " " + value;
        }

        @Override
        public String toString() {
            return kind.word() + ":" + value;
        }
    }

    /**
     * Parses the file's form: {@code -} for none, or {@code KIND:VALUE} marks joined by commas.
     *
     * @param text the identity column
     * @return the identity
     * @throws IllegalArgumentException naming the mark that is malformed, of an unknown kind, or
     *                                  given twice
     */
    public static SoftwareIdentity parse(String text) {
        if (text.equals("-")) {
            return NONE;
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty identity: write - for none");
        }
        List<Mark> marks = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String mark : text.split(",", -1)) {
            int colon = mark.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("identity mark '" + mark + "' is not KIND:VALUE");
            }
            Kind kind = Kind.parse(mark.substring(0, colon), mark);
            String value = mark.substring(colon + 1);
            check(kind, value, mark);
            if (!seen.add(mark)) {
                throw new IllegalArgumentException("identity mark '" + mark + "' is given twice");
            }
            marks.add(new Mark(kind, value));
        }
        return new SoftwareIdentity(marks);
    }

    private static void check(Kind kind, String value, String mark) {
        boolean ok;
        switch (kind) {
            case JAVA:
                ok = JAVA_CLASS.matcher(value).matches();
                break;
            case UNIT:
                ok = PLAIN.matcher(value).matches() && value.endsWith(".service") && value.length() > 8;
                break;
            case PKG:
                ok = PLAIN.matcher(value).matches() && value.equals(value.toLowerCase(Locale.ROOT));
                break;
            case JAR:
                ok = PLAIN.matcher(value.replace("*", "")).matches()
                        && value.indexOf('*') == value.lastIndexOf('*')
                        && (value.endsWith(".jar") || value.endsWith(".war"));
                break;
            case EXE:
                ok = NAME.matcher(value).matches();
                break;
            case SCRIPT:
                ok = PATH.matcher(value).matches()
                        && !("/" + value + "/").contains("/../")
                        && !("/" + value + "/").contains("/./");
                break;
            default:
                ok = PLAIN.matcher(value).matches();
        }
        if (!ok) {
            throw new IllegalArgumentException("bad " + kind.word() + " value in identity mark '" + mark + "'"
                    + (kind == Kind.UNIT ? ": a unit ends in .service" : "")
                    + (kind == Kind.PKG ? ": package names are lower case" : "")
                    + (kind == Kind.JAR ? ": an archive ends in .jar or .war, with at most one *" : ""));
        }
    }

    /**
     * Whether no mark identifies the software.
     *
     * @return true for {@link #NONE}
     */
    public boolean none() {
        return marks.isEmpty();
    }

    /**
     * The first mark a process carries.
     *
     * @param owner the process's identity
     * @return the mark, or empty when the process is not this software (always empty for {@link #NONE})
     */
    public Optional<Mark> match(OwnerIdentity owner) {
        for (Mark m : marks) {
            if (m.matches(owner)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * The file's form.
     *
     * @return {@code -}, or the marks joined by commas
     */
    @Override
    public String toString() {
        if (marks.isEmpty()) {
            return "-";
        }
        List<String> out = new ArrayList<>();
        for (Mark m : marks) {
            out.add(m.toString());
        }
        return String.join(",", out);
    }

    // ---- reading an owner ----

    /** The program a process runs: the executable's file name, or its short name when that is hidden. */
    private static String program(OwnerIdentity o) {
        return o.executable().isEmpty() ? o.comm() : o.executable();
    }

    private static boolean commIs(String comm, String value) {
        return !comm.isEmpty() && (comm.equals(value) || (comm.length() == 15 && value.startsWith(comm)));
    }

    private static boolean unitIs(String unit, String value) {
        if (unit.isEmpty()) {
            return false;
        }
        if (value.endsWith("@.service")) {
            String prefix = value.substring(0, value.length() - "service".length() - 1);
            return unit.startsWith(prefix) && unit.endsWith(".service") && unit.length() > value.length();
        }
        return unit.equals(value);
    }

    private static boolean jarIs(String jar, String value) {
        int star = value.indexOf('*');
        if (star < 0) {
            return jar.equals(value);
        }
        String head = value.substring(0, star);
        String tail = value.substring(star + 1);
        return jar.length() > head.length() + tail.length()
                && jar.startsWith(head)
                && jar.endsWith(tail)
                && VERSION.matcher(jar.substring(head.length(), jar.length() - tail.length()))
                        .matches();
    }

    /** A file name compares with the script's file name; {@code dir/file} with the script path's last components. */
    private static boolean scriptIs(String script, String value) {
        if (script.isEmpty()) {
            return false;
        }
        return value.indexOf('/') < 0
                ? fileName(script).equals(value)
                : script.equals(value) || script.endsWith("/" + value);
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** JVM options whose value is the next argument. */
    private static final Set<String> JAVA_VALUE_OPTIONS = Set.of(
            "-cp",
            "-classpath",
            "--class-path",
            "-p",
            "--module-path",
            "--upgrade-module-path",
            "--add-modules",
            "--add-reads",
            "--add-exports",
            "--add-opens",
            "--limit-modules",
            "--patch-module",
            "--enable-native-access");

    /** The main class of a JVM's command line, or {@code ""} for {@code -jar} or none. */
    static String mainClass(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (JAVA_VALUE_OPTIONS.contains(a)) {
                i++;
            } else if (a.equals("-jar")) {
                return "";
            } else if (a.equals("-m") || a.equals("--module")) {
                return i + 1 < argv.size() ? classOfModule(argv.get(i + 1)) : "";
            } else if (a.startsWith("--module=")) {
                return classOfModule(a.substring("--module=".length()));
            } else if (!a.startsWith("-") && !a.startsWith("@")) {
                return a;
            }
        }
        return "";
    }

    private static String classOfModule(String moduleAndClass) {
        int slash = moduleAndClass.indexOf('/');
        return slash < 0 ? "" : moduleAndClass.substring(slash + 1);
    }

    /** The {@code -jar} archive of a JVM's command line, or {@code ""}. */
    static String jar(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (JAVA_VALUE_OPTIONS.contains(a)) {
                i++;
            } else if (a.equals("-jar")) {
                return i + 1 < argv.size() ? argv.get(i + 1) : "";
            } else if (!a.startsWith("-") && !a.startsWith("@")) {
                return "";
            }
        }
        return "";
    }

    /** The module of {@code python -m MODULE} ({@code -mMODULE} too), or {@code ""}. */
    static String pythonModule(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-m")) {
                return i + 1 < argv.size() ? argv.get(i + 1) : "";
            } else if (a.startsWith("-m")) {
                return a.substring(2);
            } else if (a.equals("-W") || a.equals("-X")) {
                i++;
            } else if (a.equals("-c") || a.equals("-") || !a.startsWith("-")) {
                return "";
            }
        }
        return "";
    }

    /**
     * The script an interpreter runs: the first argument after its options, or {@code ""} when the
     * program is no interpreter portlens knows, or runs code given inline or a module.
     */
    static String script(String program, List<String> argv) {
        Set<String> valued;
        Set<String> inline;
        boolean python = PYTHON.matcher(program).matches();
        if (python) {
            valued = Set.of("-W", "-X");
            inline = Set.of("-c", "-m", "-");
        } else if (NODE.matcher(program).matches()) {
            valued = Set.of(
                    "-r",
                    "--require",
                    "--import",
                    "--loader",
                    "--experimental-loader",
                    "-C",
                    "--conditions",
                    "--env-file");
            inline = Set.of("-e", "--eval", "-p", "--print", "-");
        } else if (RUBY.matcher(program).matches()) {
            valued = Set.of("-I", "-r", "-C", "-E");
            inline = Set.of("-e", "-");
        } else if (PERL.matcher(program).matches()) {
            valued = Set.of("-I", "-M", "-m");
            inline = Set.of("-e", "-E", "-");
        } else if (PHP.matcher(program).matches()) {
            valued = Set.of("-S", "-t", "-c", "-d", "-z");
            inline = Set.of("-r", "-");
        } else {
            return "";
        }
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (inline.contains(a) || (python && (a.startsWith("-m") || a.startsWith("-c")))) {
                return "";
            }
            if (a.equals("--")) {
                return i + 1 < argv.size() ? argv.get(i + 1) : "";
            }
            if (valued.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return "";
    }
}

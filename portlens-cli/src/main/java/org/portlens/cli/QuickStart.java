package org.portlens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.portlens.scan.PortSet;

/**
 * The start-up fast path for the main jobs: when the arguments are one of the {@link #FORMS} and
 * their values parse, the command runs without building picocli's model. picocli 4.7's jar is Java
 * 5 bytecode that class-data sharing cannot archive, and building the model costs 250-400 ms of
 * start-up (bench/README.md); this path costs nothing. Anything else, including every error, goes
 * to picocli, so help, messages and exit codes have one source. A test parses every form in the
 * table both ways and compares the results.
 */
final class QuickStart {

    private QuickStart() {}

    /**
     * One command line QuickStart takes: the subcommand ("" for {@code portlens PORT}), the flags it
     * may carry in any order, the options that take a value, its one positional parameter (empty
     * when it has none), and whether that parameter must be given.
     */
    record Form(
            String command,
            List<String> flags,
            List<String> valued,
            Optional<String> positional,
            boolean positionalRequired) {}

    /** The forms of the fast path. Every flag here is an option of the same name in picocli's model. */
    static final List<Form> FORMS = List.of(
            new Form(
                    "",
                    List.of("--json", "--no-color", "--debug", "--tcp", "--udp", "--no-listeners", "--no-probe"),
                    List.of(),
                    Optional.of("PORT"),
                    true),
            new Form(
                    "ls",
                    List.of("--json", "--no-color", "--debug", "--tcp", "--udp"),
                    List.of(),
                    Optional.of("PORT"),
                    false),
            new Form(
                    "probe",
                    List.of("--json", "--no-color", "--debug", "--udp"),
                    List.of(),
                    Optional.of("HOST:PORT"),
                    true),
            new Form("scan", List.of("--json", "--no-color", "--debug"), List.of("-p"), Optional.of("HOST"), true));

    /** Runs the command and returns its exit code, or returns -1 to hand the arguments to picocli. */
    static int tryRun(String[] args, PrintWriter out, PrintWriter err) {
        Object cmd = parse(args);
        if (cmd == null) {
            return -1;
        }
        try {
            if (cmd instanceof PortlensCommand c) {
                return c.explain(out, err);
            }
            if (cmd instanceof LsCommand c) {
                return c.list(out, err);
            }
            if (cmd instanceof ProbeCommand c) {
                return c.run(out);
            }
            return ((ScanCommand) cmd).run(out, err);
        } catch (RuntimeException | IOException e) {
            return Main.report(e, err, Main.debug(args));
        }
    }

    /**
     * The command object for {@code args}, with its fields set as picocli would set them, or null
     * when the arguments are not a quick form or a value would not parse (picocli then reports it).
     * {@code portlens PORT ls …} is read as {@code portlens ls PORT …}, as picocli's path does.
     */
    static Object parse(String[] args) {
        if (args.length == 0 || System.getenv("PORTLENS_NO_QUICKSTART") != null) {
            return null;
        }
        if (args.length >= 2 && args[1].equals("ls") && !args[0].startsWith("-")) {
            String[] reordered = args.clone();
            reordered[0] = "ls";
            reordered[1] = args[0];
            args = reordered;
        }
        Form form = null;
        for (Form f : FORMS) {
            if (!f.command().isEmpty() && f.command().equals(args[0])) {
                form = f;
            }
        }
        int first = form == null ? 0 : 1;
        if (form == null) {
            form = FORMS.get(0);
        }
        Object cmd = create(form.command());
        Set<String> seen = new HashSet<>();
        for (int i = first; i < args.length; i++) {
            String a = args[i];
            if (form.flags().contains(a) || form.valued().contains(a)) {
                if (!seen.add(a)) {
                    return null; // given twice: picocli says so
                }
            }
            if (form.flags().contains(a)) {
                flag(cmd, a);
            } else if (form.valued().contains(a) && i + 1 < args.length) {
                value(cmd, a, args[++i]);
            } else if (valuedJoined(form, a)) {
                value(cmd, a.substring(0, 2), a.substring(2));
            } else if (form.positional().isPresent() && !a.startsWith("-") && !a.isEmpty() && positional(cmd) == null) {
                setPositional(cmd, a);
            } else {
                return null;
            }
        }
        if (form.positionalRequired() && positional(cmd) == null) {
            return null;
        }
        return valuesParse(cmd) ? cmd : null;
    }

    /** {@code -p1-1024}: a one-letter option with its value joined on. */
    private static boolean valuedJoined(Form form, String a) {
        return a.length() > 2 && form.valued().contains(a.substring(0, 2)) && a.charAt(1) != '-';
    }

    private static Object create(String command) {
        switch (command) {
            case "ls": {
                LsCommand c = new LsCommand();
                c.common = new Common();
                return c;
            }
            case "probe": {
                ProbeCommand c = new ProbeCommand();
                c.common = new Common();
                c.probeFlags = new ProbeFlags();
                return c;
            }
            case "scan": {
                ScanCommand c = new ScanCommand();
                c.common = new Common();
                c.probeFlags = new ProbeFlags();
                c.ports = ScanCommand.DEFAULT_PORTS;
                return c;
            }
            default: {
                PortlensCommand c = new PortlensCommand();
                c.common = new Common();
                c.probeFlags = new ProbeFlags();
                return c;
            }
        }
    }

    private static void flag(Object cmd, String flag) {
        Common common = cmd instanceof PortlensCommand p
                ? p.common
                : cmd instanceof LsCommand l
                        ? l.common
                        : cmd instanceof ProbeCommand r ? r.common : ((ScanCommand) cmd).common;
        switch (flag) {
            case "--json":
                common.json = true;
                return;
            case "--no-color":
                common.noColor = true;
                return;
            case "--debug":
                common.debug = true;
                return;
            default:
                break;
        }
        if (cmd instanceof PortlensCommand p) {
            switch (flag) {
                case "--tcp" -> p.tcp = true;
                case "--udp" -> p.udp = true;
                case "--no-listeners" -> p.noListeners = true;
                case "--no-probe" -> p.noProbe = true;
                default -> throw new IllegalStateException("QuickStart.FORMS names " + flag + " but nothing sets it");
            }
        } else if (cmd instanceof LsCommand l) {
            switch (flag) {
                case "--tcp" -> l.tcp = true;
                case "--udp" -> l.udp = true;
                default -> throw new IllegalStateException("QuickStart.FORMS names " + flag + " but nothing sets it");
            }
        } else if (cmd instanceof ProbeCommand r && flag.equals("--udp")) {
            r.udp = true;
        } else {
            throw new IllegalStateException("QuickStart.FORMS names " + flag + " but nothing sets it");
        }
    }

    private static void value(Object cmd, String option, String value) {
        if (cmd instanceof ScanCommand s && option.equals("-p")) {
            s.ports = value;
        } else {
            throw new IllegalStateException("QuickStart.FORMS names " + option + " but nothing sets it");
        }
    }

    private static String positional(Object cmd) {
        return cmd instanceof PortlensCommand p
                ? p.port
                : cmd instanceof LsCommand l
                        ? l.positionalPort
                        : cmd instanceof ProbeCommand r ? r.target : cmd instanceof ScanCommand s ? s.host : null;
    }

    private static void setPositional(Object cmd, String value) {
        if (cmd instanceof PortlensCommand p) {
            p.port = value;
        } else if (cmd instanceof LsCommand l) {
            l.positionalPort = value;
        } else if (cmd instanceof ProbeCommand r) {
            r.target = value;
        } else {
            ((ScanCommand) cmd).host = value;
        }
    }

    /** Whether the values parse; if not, picocli runs the command and reports the error its way. */
    private static boolean valuesParse(Object cmd) {
        try {
            if (cmd instanceof PortlensCommand p) {
                // a name, a subcommand or a second word is picocli's job; so is any bad value
                if (p.port.isEmpty() || !Character.isDigit(p.port.charAt(0))) {
                    return false;
                }
                PortSpec ps = PortSpec.parseNumeric(p.port);
                Flags.transport(ps.transport(), p.tcp, p.udp);
            } else if (cmd instanceof LsCommand l && l.positionalPort != null) {
                // a word that is no port gets picocli's path and its one-line message
                if (!PortSpec.startsWithDigit(l.positionalPort)) {
                    return false;
                }
                PortSpec.parseNumeric(l.positionalPort);
            } else if (cmd instanceof ProbeCommand r) {
                Targets.hostPort(r.target);
            } else if (cmd instanceof ScanCommand s) {
                PortSet.parse(s.ports);
                Targets.resolve(s.host);
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}

package org.portlens.packages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses dpkg's database files from their text: {@code status}, {@code info/*.list} and
 * {@code diversions}. Lenient: a malformed stanza or line is skipped and said in {@code problems}, never
 * thrown. Reads nothing; {@link DpkgDatabase} reads the files. Static methods only; safe from any thread.
 */
final class DpkgParser {

    /** The states dpkg 1.21 writes as the third word of Status. */
    private static final Set<String> STATES = Set.of(
            "not-installed",
            "config-files",
            "half-installed",
            "unpacked",
            "half-configured",
            "triggers-awaited",
            "triggers-pending",
            "installed");

    private DpkgParser() {}

    /**
     * What was parsed, and what could not be.
     *
     * @param values   the good entries, in file order
     * @param problems one line per entry skipped, naming it
     */
    record Parsed<T>(List<T> values, List<String> problems) {
        Parsed {
            values = List.copyOf(values);
            problems = List.copyOf(problems);
        }
    }

    /**
     * One diversion: files named {@code from} in packages other than {@code by} are installed as {@code to}.
     *
     * @param from the path the packages name
     * @param to   where dpkg puts their file instead
     * @param by   the diverting package, or {@code ":"} for a local diversion (dpkg-divert --local)
     */
    record Diversion(String from, String to, String by) {
        boolean local() {
            return by.equals(":");
        }
    }

    /**
     * The stanzas of {@code /var/lib/dpkg/status}: blank-line separated, {@code Field: value} lines,
     * continuation lines starting with a space or tab.
     */
    static Parsed<DpkgPackage> status(String text) {
        List<DpkgPackage> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        int stanzaLine = 1;
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            problems.add("status does not end with a newline: cut short? its last stanza may be incomplete");
        }
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? stripCr(lines[i]) : "";
            if (line.isEmpty()) {
                if (!fields.isEmpty()) {
                    stanza(fields, stanzaLine, out, problems);
                    fields.clear();
                }
                stanzaLine = i + 2;
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue; // a continuation: descriptions, conffiles; none of the fields read here
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                problems.add("status line " + (i + 1) + " is not a 'Field: value' line: "
                        + (line.length() > 60 ? line.substring(0, 60) + "…" : line));
                continue;
            }
            fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return new Parsed<>(out, problems);
    }

    private static void stanza(Map<String, String> fields, int line, List<DpkgPackage> out, List<String> problems) {
        String name = fields.getOrDefault("Package", "");
        String status = fields.getOrDefault("Status", "");
        if (name.isEmpty()) {
            problems.add("status stanza at line " + line + " has no Package field");
            return;
        }
        String[] words = status.split("\\s+");
        if (words.length != 3) {
            problems.add("status stanza of " + name + " (line " + line + ") has no 'want flag state' Status: '" + status
                    + "'");
            return;
        }
        if (!STATES.contains(words[2])) {
            problems.add("status stanza of " + name + " (line " + line + ") has an unknown state '" + words[2] + "'");
            return;
        }
        out.add(new DpkgPackage(
                name, fields.getOrDefault("Architecture", ""), fields.getOrDefault("Version", ""), words[2]));
    }

    /**
     * The paths of an {@code info/PACKAGE.list} file, one absolute path a line, directories included.
     * A last line without its newline is taken as cut short and dropped.
     *
     * @param name the list file's name, for the problems
     */
    static Parsed<String> list(String name, String text) {
        List<String> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int complete = lines.length - 1; // the part after the last newline is not a whole line
        if (!lines[complete].isEmpty()) {
            problems.add(name + " does not end with a newline: cut short? its last line is left out");
        }
        for (int i = 0; i < complete; i++) {
            String line = stripCr(lines[i]);
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) != '/') {
                problems.add(name + " line " + (i + 1) + " is not an absolute path");
                continue;
            }
            if (!line.equals("/.")) {
                out.add(line);
            }
        }
        return new Parsed<>(out, problems);
    }

    /** The triples of {@code /var/lib/dpkg/diversions}: from, to, diverting package. */
    static Parsed<Diversion> diversions(String text) {
        List<Diversion> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            String s = stripCr(l);
            if (!s.isEmpty()) {
                lines.add(s);
            }
        }
        int whole = lines.size() / 3 * 3;
        if (whole != lines.size()) {
            problems.add("diversions has " + lines.size() + " lines, not a multiple of 3: the last "
                    + (lines.size() - whole) + " left out");
        }
        for (int i = 0; i < whole; i += 3) {
            String from = lines.get(i);
            String to = lines.get(i + 1);
            if (!from.startsWith("/") || !to.startsWith("/")) {
                problems.add("diversion at line " + (i + 1) + " is not two absolute paths and a package");
                continue;
            }
            out.add(new Diversion(from, to, lines.get(i + 2)));
        }
        return new Parsed<>(out, problems);
    }

    /**
     * The package and architecture a list file is named for: {@code dash.list} is dash (architecture
     * from its status), {@code libc6:amd64.list} is libc6 of amd64 (multi-arch "same" packages).
     *
     * @return name and architecture (empty when not in the file name); empty for a file not ending .list
     */
    static Optional<String[]> listFileName(String fileName) {
        if (!fileName.endsWith(".list") || fileName.length() == ".list".length()) {
            return Optional.empty();
        }
        String base = fileName.substring(0, fileName.length() - ".list".length());
        int colon = base.indexOf(':');
        return Optional.of(
                colon < 0
                        ? new String[] {base, ""}
                        : new String[] {base.substring(0, colon), base.substring(colon + 1)});
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}

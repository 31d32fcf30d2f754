package org.portlens.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A man page (roff, the {@code man(7)} macros) for one command, rendered from the same picocli model
 * as its {@code --help}, so the two cannot drift apart. {@link BuildDocs} runs it at build time.
 */
final class ManPage {

    private ManPage() {}

    /** Every command that gets a page: the root and each non-hidden subcommand, depth first. */
    static List<CommandSpec> commands(CommandSpec root) {
        List<CommandSpec> all = new ArrayList<>();
        collect(root, all);
        return all;
    }

    private static void collect(CommandSpec spec, List<CommandSpec> all) {
        all.add(spec);
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            // aliases map to the same command: one page, under its name
            if (e.getKey().equals(sub.name()) && !sub.usageMessage().hidden()) {
                collect(sub, all);
            }
        }
    }

    /** The page's name: {@code portlens} for the root, {@code portlens-registry-update} for a subcommand. */
    static String name(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    /** The page of one command, in roff. */
    static String render(CommandSpec spec, String version) {
        StringBuilder r = new StringBuilder();
        String name = name(spec);
        r.append(".\\\" Generated from the picocli model at build time (ManPage.java); do not edit.\n");
        r.append(".TH ")
                .append(quoted(name.toUpperCase(Locale.ROOT)))
                .append(" 1 \"\" ")
                .append(quoted("portlens " + version))
                .append(" \"portlens manual\"\n");
        // no hyphenation and a ragged right edge: a path, an option or a name is never split across lines
        r.append(".nh\n.ad l\n");

        r.append(".SH NAME\n")
                .append(escape(name))
                .append(" \\- ")
                .append(text(summary(spec)))
                .append('\n');

        r.append(".SH SYNOPSIS\n");
        CommandLine.Help help =
                new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        String synopsis = help.synopsis(0).replaceAll("\\s+", " ").strip();
        String command = spec.qualifiedName();
        r.append(".B ").append(escape(command)).append('\n');
        if (synopsis.startsWith(command)) {
            synopsis = synopsis.substring(command.length()).strip();
        }
        if (!synopsis.isEmpty()) {
            r.append(text(synopsis)).append('\n');
        }

        r.append(".SH DESCRIPTION\n");
        List<String> description = lines(spec.usageMessage().description());
        if (description.isEmpty()) {
            description = lines(spec.usageMessage().header());
        }
        paragraphs(r, description);

        if (!spec.positionalParameters().isEmpty()) {
            r.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (p.hidden()) {
                    continue;
                }
                r.append(".TP\n.I ").append(escape(p.paramLabel())).append('\n');
                r.append(text(String.join(" ", described(p.description(), p.defaultValueString(), p))))
                        .append('\n');
            }
        }

        List<OptionSpec> options =
                spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            r.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                r.append(".TP\n").append(optionTerm(o)).append('\n');
                r.append(text(String.join(" ", described(o.description(), o.defaultValueString(), o))))
                        .append('\n');
            }
        }

        List<CommandSpec> subs = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (e.getKey().equals(sub.name()) && !sub.usageMessage().hidden()) {
                subs.add(sub);
            }
        }
        if (!subs.isEmpty()) {
            r.append(".SH COMMANDS\n");
            for (CommandSpec sub : subs) {
                r.append(".TP\n.B ").append(escape(sub.name())).append('\n');
                r.append(text(summary(sub)))
                        .append(" See \\fB")
                        .append(escape(name(sub)))
                        .append("\\fR(1).\n");
            }
        }

        Map<String, String> exitCodes = spec.usageMessage().exitCodeList();
        if (!exitCodes.isEmpty()) {
            r.append(".SH EXIT STATUS\n");
            for (Map.Entry<String, String> e : exitCodes.entrySet()) {
                r.append(".TP\n.B ").append(escape(e.getKey().strip())).append('\n');
                r.append(text(e.getValue().strip())).append('\n');
            }
        }

        List<String> footer = lines(spec.usageMessage().footer());
        while (!footer.isEmpty() && footer.get(0).isBlank()) {
            footer.remove(0);
        }
        if (!footer.isEmpty()) {
            boolean examples = footer.get(0).strip().equalsIgnoreCase("Examples:");
            r.append(examples ? ".SH EXAMPLES\n" : ".SH NOTES\n");
            r.append(".nf\n");
            for (String line : examples ? footer.subList(1, footer.size()) : footer) {
                r.append(line.isBlank() ? "" : text(line.strip())).append('\n');
            }
            r.append(".fi\n");
        }

        r.append(".SH SEE ALSO\n");
        List<String> see = new ArrayList<>();
        if (spec.parent() != null) {
            see.add(name(spec.parent()));
        }
        for (CommandSpec sub : subs) {
            see.add(name(sub));
        }
        if (see.isEmpty()) {
            see.add("portlens");
        }
        List<String> refs = new ArrayList<>();
        for (String s : see) {
            refs.add("\\fB" + escape(s) + "\\fR(1)");
        }
        r.append(String.join(",\n", refs)).append('\n');
        return r.toString();
    }

    /** One line about the command: its header, else the first sentence of its description. */
    static String summary(CommandSpec spec) {
        List<String> header = lines(spec.usageMessage().header());
        String first = !header.isEmpty() && !header.get(0).isBlank()
                ? header.get(0)
                : lines(spec.usageMessage().description()).stream()
                        .filter(s -> !s.isBlank())
                        .findFirst()
                        .orElse(spec.name());
        first = first.strip();
        int stop = first.indexOf(". ");
        if (stop > 0) {
            first = first.substring(0, stop + 1);
        }
        return first;
    }

    private static String optionTerm(OptionSpec o) {
        List<String> names = new ArrayList<>();
        for (String n : o.names()) {
            names.add("\\fB" + escape(n) + "\\fR");
        }
        String term = String.join(", ", names);
        if (o.arity().max() > 0 && !o.paramLabel().isEmpty()) {
            term += " \\fI" + escape(o.paramLabel()) + "\\fR";
        }
        return term;
    }

    /** An argument's description, with the variables only the help renderer would fill in filled in. */
    private static List<String> described(String[] description, String defaultValue, CommandLine.Model.ArgSpec arg) {
        List<String> out = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        if (arg.completionCandidates() != null) {
            arg.completionCandidates().forEach(candidates::add);
        }
        for (String line : lines(description)) {
            out.add(line.replace("${DEFAULT-VALUE}", defaultValue == null ? "" : defaultValue)
                    .replace("${COMPLETION-CANDIDATES}", String.join(", ", candidates)));
        }
        return out;
    }

    /** Description lines as picocli prints them: {@code %n} is a line break, {@code %%} a percent sign. */
    static List<String> lines(String[] raw) {
        List<String> out = new ArrayList<>();
        for (String s : raw) {
            for (String part : s.replace("%%", "\u0000").split("%n", -1)) {
                out.add(part.replace('\u0000', '%'));
            }
        }
        return out;
    }

    private static void paragraphs(StringBuilder r, List<String> lines) {
        boolean first = true;
        for (String line : lines) {
            if (line.isBlank()) {
                if (!first) {
                    r.append(".PP\n");
                }
                continue;
            }
            first = false;
            r.append(text(line.strip())).append('\n');
        }
    }

    private static String quoted(String s) {
        return "\"" + escape(s).replace("\"", "\\(dq") + "\"";
    }

    /** Running text: escaped, and never read as a request (a line that starts with '.' or '''). */
    static String text(String s) {
        String e = escape(s);
        return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
    }

    /**
     * Backslashes and hyphens: {@code \e} and {@code \-}, so options copy as ASCII hyphen-minus; anything
     * beyond ASCII as {@code \[uXXXX]}, which troff reads without a preprocessor.
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\\') {
                b.append("\\e");
            } else if (c == '-') {
                b.append("\\-");
            } else if (c > 127) {
                b.append(String.format(Locale.ROOT, "\\[u%04X]", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}

package org.portlens.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Shell completion scripts from the picocli model: bash from picocli's {@link AutoComplete}, zsh as
 * the same script through zsh's {@code bashcompinit}, and fish from a generator of its own (picocli
 * has none). {@link BuildDocs} writes them at build time; {@code portlens install} installs them.
 */
final class Completions {

    private Completions() {}

    /** The bash script: defines {@code _complete_portlens} and binds it to {@code portlens}. */
    static String bash(CommandLine cmd) {
        return AutoComplete.bash("portlens", cmd);
    }

    /**
     * The zsh completion function file ({@code _portlens} on zsh's {@code fpath}): zsh autoloads it on
     * the first TAB, it loads the bash script through {@code bashcompinit} (which rebinds
     * {@code portlens} to it for every later TAB) and completes that first TAB too.
     */
    static String zsh(CommandLine cmd) {
        return "#compdef portlens\n"
                + "# portlens completion for zsh: picocli's bash completion through bashcompinit.\n"
                + "# Generated from the picocli model at build time (Completions.java); do not edit.\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + bash(cmd)
                + "\n_bash_complete -o default -F _complete_portlens \"$@\"\n";
    }

    /** The fish script: one {@code complete} line per subcommand and per option, from the model. */
    static String fish(CommandLine cmd) {
        StringBuilder f = new StringBuilder();
        f.append("# portlens completion for fish.\n");
        f.append("# Generated from the picocli model at build time (Completions.java); do not edit.\n");
        f.append("complete -c portlens -f\n");
        fish(f, cmd.getCommandSpec(), List.of());
        return f.toString();
    }

    private static void fish(StringBuilder f, CommandSpec spec, List<String> path) {
        List<String> subs = subcommandNames(spec);
        // where this command's own words are offered: after its path, before any of its subcommands
        String here = path.isEmpty()
                ? (subs.isEmpty() ? "" : "not __fish_seen_subcommand_from " + String.join(" ", subs))
                : "__fish_seen_subcommand_from " + path.get(path.size() - 1)
                        + (subs.isEmpty() ? "" : "; and not __fish_seen_subcommand_from " + String.join(" ", subs));
        for (String sub : subs) {
            CommandSpec s = spec.subcommands().get(sub).getCommandSpec();
            f.append("complete -c portlens").append(condition(here));
            f.append(" -a ").append(quote(sub)).append(" -d ").append(quote(ManPage.summary(s)));
            f.append('\n');
        }
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            StringBuilder line = new StringBuilder("complete -c portlens").append(condition(here));
            for (String n : o.names()) {
                if (n.startsWith("--") && n.length() > 2) {
                    line.append(" -l ").append(quote(n.substring(2)));
                } else if (n.startsWith("-") && n.length() == 2) {
                    line.append(" -s ").append(quote(n.substring(1)));
                } else if (n.startsWith("-") && n.length() > 2) {
                    line.append(" -o ").append(quote(n.substring(1)));
                }
            }
            if (o.arity().max() > 0) {
                List<String> candidates = new ArrayList<>();
                if (o.completionCandidates() != null) {
                    o.completionCandidates().forEach(candidates::add);
                }
                if (!candidates.isEmpty()) {
                    line.append(" -x -a ").append(quote(String.join(" ", candidates)));
                } else if (takesFiles(o)) {
                    line.append(" -r -F");
                } else {
                    line.append(" -x");
                }
            }
            String description =
                    String.join(" ", ManPage.lines(o.description())).strip();
            int stop = description.indexOf(". ");
            if (stop > 0) {
                description = description.substring(0, stop + 1);
            }
            line.append(" -d ").append(quote(description));
            f.append(line).append('\n');
        }
        for (String sub : subs) {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(sub);
            fish(f, spec.subcommands().get(sub).getCommandSpec(), deeper);
        }
    }

    /** An option whose values are files: a Path or File, or a collection of them ({@code --probes FILE...}). */
    private static boolean takesFiles(OptionSpec o) {
        for (Class<?> t : o.auxiliaryTypes()) {
            if (t == Path.class || t == File.class) {
                return true;
            }
        }
        return o.type() == Path.class || o.type() == File.class;
    }

    /** Subcommand names, without aliases and hidden ones. */
    private static List<String> subcommandNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (e.getKey().equals(sub.name()) && !sub.usageMessage().hidden()) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    private static String condition(String c) {
        return c.isEmpty() ? "" : " -n " + quote(c);
    }

    /** A fish single-quoted word: only backslash and single quote are special inside. */
    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}

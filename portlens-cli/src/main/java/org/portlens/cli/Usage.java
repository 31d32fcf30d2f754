package org.portlens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.portlens.registry.Registry;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What portlens says when a command line is not quite right, in one place: the short usage of a bare
 * {@code portlens}, one line for every usage error, and the nearest option or command name for a
 * typo. Also reads {@code portlens PORT ls} as {@code portlens ls PORT}.
 */
final class Usage {

    /** What a bare {@code portlens} prints, on stderr, with exit code 2. */
    static final String SHORT = String.join(
            System.lineSeparator(),
            "portlens: what is on a port, who holds it, and how exposed it is.",
            "Usage: portlens PORT | COMMAND",
            "  portlens 3640                   explain port 3640",
            "  portlens ls                     list every listening socket",
            "  portlens probe 127.0.0.1:8080   see what an endpoint speaks",
            "portlens help for all commands, portlens help COMMAND for one.",
            "");

    private Usage() {}

    /**
     * Gives {@code cl} and every command below it the short synopsis ({@code portlens scan [-hV]
     * [OPTIONS] HOST}): the options are listed right below it, and a synopsis of every option breaks
     * its lines inside option names.
     */
    static void abbreviateSynopses(CommandLine cl) {
        cl.getCommandSpec().usageMessage().abbreviateSynopsis(true);
        for (CommandLine sub : cl.getSubcommands().values()) {
            abbreviateSynopses(sub);
        }
    }

    /** The parameter exception handler: one line on stderr, exit code 2, never the whole usage. */
    static int onBadParameters(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String message =
                e instanceof UnmatchedArgumentException u ? unmatched(u, cl) : Main.oneLine(e.getMessage()) + see(cl);
        err.println("portlens: " + Main.oneLine(message));
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * The execution strategy: picocli's {@code RunLast}, after what was typed before a subcommand is
     * passed on to it: {@code portlens 3640 ls} lists port 3640, {@code portlens --json ls} prints
     * JSON. What the subcommand cannot take is a usage error, never silently dropped.
     */
    static int execute(ParseResult parsed) {
        passOn(parsed);
        return new CommandLine.RunLast().execute(parsed);
    }

    /** Passes what was typed before a subcommand on to it (see {@link #execute}). */
    static void passOn(ParseResult top) {
        if (!top.hasSubcommand()) {
            return;
        }
        List<CommandLine> chain = top.asCommandLineList();
        CommandLine leaf = chain.get(chain.size() - 1);
        CommandSpec spec = leaf.getCommandSpec();
        Object command = spec.userObject();
        if (command instanceof HelpCommand) {
            return;
        }
        String name = spec.qualifiedName().substring(top.commandSpec().name().length() + 1);
        if (top.commandSpec().userObject() instanceof PortlensCommand p && p.port != null) {
            if (command instanceof LsCommand ls && ls.positionalPort == null) {
                ls.positionalPort = p.port;
            } else {
                throw new ParameterException(leaf, "unexpected argument '" + p.port + "' before " + name);
            }
        }
        for (OptionSpec o : top.matchedOptions()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue; // picocli answers these before anything runs
            }
            OptionSpec mine = spec.findOption(o.longestName());
            if (mine == null) {
                throw new ParameterException(
                        leaf, o.longestName() + ", given before " + name + ", is not an option of it");
            }
            if (!leaf.getParseResult().hasMatchedOption(mine)) {
                mine.setValue(o.getValue());
            }
        }
    }

    private static String unmatched(UnmatchedArgumentException e, CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        String where = where(spec);
        List<String> unmatched = e.getUnmatched();
        for (String arg : unmatched) {
            if (arg.length() > 1 && arg.startsWith("-")) {
                String typed = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                List<String> names = new ArrayList<>();
                for (String n : spec.optionsMap().keySet()) {
                    if (!typed.startsWith("--") || n.startsWith("--")) {
                        names.add(n);
                    }
                }
                return "unknown option '" + typed + "'" + where
                        + nearest(typed, names)
                                .map(n -> "; did you mean " + n + "?")
                                .orElse(see(cl));
            }
        }
        String first = unmatched.isEmpty() ? "" : unmatched.get(0);
        if (spec.userObject() instanceof PortlensCommand p) {
            // `portlens scna 127.0.0.1`: the first word was taken for a port or service name
            Optional<String> command = p.port == null
                    ? Optional.empty()
                    : mistypedCommand(
                            p.port, Env.registry(p.common.dataDir, cl.getErr()).registry(), spec);
            if (command.isPresent()) {
                return "unknown command '" + p.port + "'; did you mean " + command.get() + "?";
            }
            return "unexpected argument '" + first + "'" + see(cl);
        }
        if (spec.userObject() instanceof LsCommand) {
            return LsCommand.unexpected(first);
        }
        if (!spec.subcommands().isEmpty()) {
            return unknownCommand(first, cl, false);
        }
        return "unexpected argument '" + first + "'" + where + see(cl);
    }

    /**
     * {@code unknown command 'scna' for registry; did you mean …?}, and the known commands when
     * asked or when none is near.
     */
    static String unknownCommand(String typed, CommandLine parent, boolean listCommands) {
        Collection<String> names = parent.getSubcommands().keySet();
        Optional<String> near = nearest(typed, names);
        String said = "unknown command '" + typed + "'" + where(parent.getCommandSpec())
                + near.map(n -> "; did you mean " + n + "?").orElse("");
        if (near.isPresent() && !listCommands) {
            return said;
        }
        return said + (near.isPresent() ? " The" : ": the") + " commands are " + String.join(", ", names);
    }

    /**
     * The command {@code word} is probably a typo of, when it is no service name in the registry
     * ({@code portlens http} and {@code portlens netplay-port1} are lookups) and is close to one.
     */
    static Optional<String> mistypedCommand(String word, Registry registry, CommandSpec top) {
        if (word.isEmpty() || PortSpec.startsWithDigit(word) || word.contains("/")) {
            return Optional.empty();
        }
        if (!registry.byName(word).isEmpty()) {
            return Optional.empty();
        }
        return nearest(word, top.subcommands().keySet());
    }

    /**
     * The name nearest to {@code typed} by edit distance (a swap of two neighbours counts once), if it
     * is near enough to be a typo: one edit for words of up to four letters, two for longer ones.
     */
    static Optional<String> nearest(String typed, Collection<String> names) {
        int allowed = typed.length() <= 4 ? 1 : 2;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int d = distance(typed, name);
            if (d <= allowed && d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** {@code " for ls"}, {@code " for registry update"}; nothing for portlens itself. */
    private static String where(CommandSpec spec) {
        CommandSpec root = spec.root();
        return spec == root
                ? ""
                : " for " + spec.qualifiedName().substring(root.name().length() + 1);
    }

    private static String see(CommandLine cl) {
        return " (see '" + cl.getCommandSpec().qualifiedName() + " --help')";
    }
}

package org.portlens.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portlens help [COMMAND…]}: the help of portlens, or of one of its commands, on stdout. */
@Command(
        name = "help",
        helpCommand = true,
        description = "Shows the help of portlens, or of COMMAND: 'portlens help scan'.")
final class HelpCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..*",
            paramLabel = "COMMAND",
            description = "A command, such as scan, or a path of them: registry update.")
    List<String> names = new ArrayList<>();

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine target = spec.parent().commandLine();
        for (String name : names) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                throw new InputException(Usage.unknownCommand(name, target, true));
            }
            target = sub;
        }
        target.usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}

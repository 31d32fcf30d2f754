package org.portlens.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.portlens.registry.Registry;
import org.portlens.web.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portlens search}: ranked keyword search of the registry. */
@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        description = {
            "Searches IANA's registry by keyword over service name, description, notes, assignee and contact. Every word must match; name matches rank first."
        })
final class SearchCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "WORD", description = "Words to look for.")
    List<String> words;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "25",
            description = "At most N results (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new InputException("--limit must be at least 1, got " + limit);
        }
        String query = String.join(" ", words).strip();
        if (query.isEmpty()) {
            throw new InputException("empty search: give one or more words");
        }
        PrintWriter out = spec.commandLine().getOut();
        Registry registry =
                Env.registry(common.dataDir, spec.commandLine().getErr()).registry();
        List<Registry.Hit> hits = registry.search(query, limit);
        if (common.json) {
            Json.print(out, Json.search(query, hits));
        } else {
            new RegistryText(common.style(), out).hits(query, hits);
        }
        out.flush();
        return ExitCodes.OK;
    }
}

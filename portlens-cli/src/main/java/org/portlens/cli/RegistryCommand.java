package org.portlens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.portlens.registry.Registry;
import org.portlens.registry.RegistryFetchException;
import org.portlens.registry.RegistryFormatException;
import org.portlens.registry.RegistryStore;
import org.portlens.registry.RegistryUpdate;
import org.portlens.web.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portlens registry info|update}. */
@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = "The copy of IANA's registry portlens uses: where it came from, and updating it.",
        subcommands = {RegistryCommand.Info.class, RegistryCommand.Update.class})
final class RegistryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // `portlens registry` alone: a usage error, so the usage goes where errors go
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    @Command(
            name = "info",
            mixinStandardHelpOptions = true,
            description = "Date, source, sha256 and counts of the registry in use.")
    static final class Info implements Callable<Integer> {
        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            RegistryStore.Active active =
                    Env.registry(common.dataDir, spec.commandLine().getErr());
            Registry.Info info = active.registry().info();
            if (common.json) {
                Json.print(out, Json.registryInfo(info, active.origin()));
            } else {
                new RegistryText(common.style(), out).registryInfo(info, active.origin());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "update",
            mixinStandardHelpOptions = true,
            description = {
                "Fetches IANA's registry (XML, or IANA's CSV), checks it (it parses, has a sane number of records, 80/tcp is http) and installs it atomically in the data directory. If any step fails, the registry in use is left as it was."
            })
    static final class Update implements Callable<Integer> {
        @Option(
                names = "--from",
                paramLabel = "URL|FILE",
                description = "Where to fetch from (default: IANA's XML URL).")
        String from = RegistryUpdate.IANA_XML;

        @Option(
                names = "--timeout",
                paramLabel = "SECONDS",
                defaultValue = "20",
                description =
                        "Give up after this many seconds: connect, response and download, or reading the file (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (timeout < 1) {
                throw new InputException("--timeout must be at least 1 second, got " + timeout);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            RegistryStore store = new RegistryStore(Env.dataDir(common.dataDir));
            Registry current = store.load().registry();
            RegistryUpdate.Candidate candidate;
            try {
                byte[] raw = RegistryUpdate.fetch(from, Duration.ofSeconds(timeout));
                candidate = RegistryUpdate.prepare(raw, from, current, RegistryUpdate.now());
            } catch (RegistryFetchException | RegistryFormatException e) {
                err.println("portlens: registry update failed: " + Main.oneLine(e.getMessage())
                        + "; the registry in use is unchanged");
                err.flush();
                // the network or the server failed: 4; the source given is wrong, too large or not a registry: 2
                return e instanceof RegistryFetchException f && f.networkFailure()
                        ? ExitCodes.INTERNAL
                        : ExitCodes.USAGE;
            }
            try {
                store.install(candidate);
            } catch (IOException e) {
                err.println("portlens: registry update failed: cannot write " + store.file() + ": "
                        + Main.oneLine(e.getMessage()) + "; the registry in use is unchanged");
                err.flush();
                return ExitCodes.INTERNAL;
            }
            if (common.json) {
                Json.print(out, Json.registryInfo(candidate.info(), store.file().toString()));
            } else {
                out.println("Installed IANA's registry of " + candidate.info().updated() + " ("
                        + candidate.info().records() + " records, " + candidate.format() + ") from " + from);
                out.println("  -> " + store.file());
                if (!candidate.problems().isEmpty()) {
                    out.println("  " + candidate.problems().size() + " rows skipped as malformed, e.g. "
                            + candidate.problems().get(0));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}

package org.portlens.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.portlens.model.Transport;
import org.portlens.store.History;
import org.portlens.store.HistoryQuery;
import org.portlens.store.HistoryStore;
import org.portlens.web.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portlens history PORT}: what the history of {@code portlens watch} knows about a port. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "What was on a port: since when it is open and held by whom, what held it before, and when it closed, as portlens watch saw it (newest last).",
            "",
            "The history is the SQLite file history.db in the data directory, or the PostgreSQL database of --db (many hosts write to one). Nothing is written: without a history yet, it says so.",
            "",
            "Times: 2026-12-01T14:00 (local time, or with Z or +01:00), 2026-12-01, or an age such as 2h or 3d (that long ago). Times are shown in UTC."
        })
final class HistoryCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PORT[/PROTO]", description = "The port (tcp or udp).")
    String port;

    @Option(names = "--tcp", description = "TCP only.")
    boolean tcp;

    @Option(names = "--udp", description = "UDP only.")
    boolean udp;

    @Option(names = "--since", paramLabel = "TIME", description = "Events from this time on.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Events before this time.")
    String until;

    @Option(
            names = "--db",
            paramLabel = "JDBC_URL",
            description = {
                "A PostgreSQL history, as",
                "jdbc:postgresql://HOST[:PORT]/DATABASE. Default:",
                "$PORTLENS_DB, else history.db in the data directory."
            })
    String db;

    @Option(names = "--host", paramLabel = "HOST", description = "Another host's history (default: this host's).")
    String host;

    @Option(names = "--all-hosts", description = "Every host's history.")
    boolean allHosts;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000",
            description = "At most N events, the newest (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return history(spec.commandLine().getOut(), Instant.now(), ZoneId.systemDefault());
    }

    int history(PrintWriter out, Instant now, ZoneId zone) {
        if (!PortSpec.startsWithDigit(port)) {
            throw new InputException("history takes a port number (such as 8080 or 8080/tcp), got '" + port + "'");
        }
        PortSpec ps = PortSpec.parseNumeric(port);
        if (!ps.ports().single()) {
            throw new InputException("history takes one port, not a range: got " + port);
        }
        Transport transport = Flags.transport(ps.transport(), tcp, udp);
        if (transport != null && !transport.discoverable()) {
            throw new InputException("history keeps tcp and udp ports, not " + transport.label());
        }
        if (limit < 1) {
            throw new InputException("--limit must be at least 1, got " + limit);
        }
        if (host != null && allHosts) {
            throw new InputException("--host and --all-hosts are two choices: give one");
        }
        if (host != null && host.isBlank()) {
            throw new InputException("--host needs a host name, got an empty one");
        }
        Instant from = since == null ? null : TimeArg.parse("--since", since, now, zone);
        Instant to = until == null ? null : TimeArg.parse("--until", until, now, zone);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InputException("--since (" + since + ") must be before --until (" + until + ")");
        }
        HistoryQuery q = HistoryQuery.port(ps.ports().low())
                .withTransport(transport)
                .withSince(from)
                .withUntil(to)
                .withLimit(limit);
        q = allHosts ? q.withAllHosts() : q.withHost(host);
        String url = Env.historyUrl(db);
        String self = HistoryStore.localHost();
        Optional<HistoryStore> opened = HistoryStore.openReadOnly(url, Env.dataDir(common.dataDir), self);
        String title = ps.ports().low() + (transport == null ? "" : "/" + transport.label());
        String who = allHosts ? "all hosts" : host != null ? host : self;
        HistoryText view = new HistoryText(common.style(), out);
        if (opened.isEmpty()) {
            String where = url == null || url.isBlank()
                    ? HistoryStore.sqliteFile(Env.dataDir(common.dataDir)).toString()
                    : "the database of --db";
            if (common.json) {
                Json.print(out, HistoryText.json(q, who, null));
            } else {
                out.println("No history yet (" + Style.safe(where) + " holds none): run portlens watch to keep one.");
            }
            out.flush();
            return ExitCodes.OK;
        }
        try (HistoryStore store = opened.get()) {
            History h = store.history(q);
            if (common.json) {
                Json.print(out, HistoryText.json(q, who, h));
            } else {
                view.history(title, who, h);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}

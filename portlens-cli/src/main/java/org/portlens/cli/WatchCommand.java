package org.portlens.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.Transport;
import org.portlens.policy.Audit;
import org.portlens.policy.PolicyFinding;
import org.portlens.store.HistoryStore;
import org.portlens.store.StoreException;
import org.portlens.watch.Violations;
import org.portlens.watch.WatchEvent;
import org.portlens.watch.Watcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portlens watch}: listeners opening, closing and changing owner, as they happen. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Reports listeners as they open, close or pass to another process, each change once, with its time.",
            "",
            "A listener is known by transport, address, port and network namespace, never by pid: a socket handed to another process is an owner change. The first read's listeners are not printed unless --initial. Runs until stopped (Ctrl-C, SIGTERM) or for --duration seconds.",
            "",
            "Reads every --interval seconds, but waits longer when a read is so costly that the watch would use more than --max-cpu percent of a core (a host with very many sockets; on JDK 22+ the kernel's netlink interface keeps reads cheap)."
        })
final class WatchCommand implements Callable<Integer> {

    @Option(names = "--tcp", description = "TCP only.")
    boolean tcp;

    @Option(names = "--udp", description = "UDP only.")
    boolean udp;

    @Option(names = "--jsonl", description = "One JSON object per event and line (JSON Lines; schema: docs/json.md).")
    boolean jsonl;

    @Option(names = "--initial", description = "Print the listeners open when the watch starts, as 'present' events.")
    boolean initial;

    @Option(
            names = "--audit",
            description =
                    "Print only policy findings as they appear (the findings of 'portlens audit'), not every change.")
    boolean audit;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "The policy file of --audit (default: that of 'portlens audit').")
    Path policy;

    @Option(
            names = "--exec",
            paramLabel = "CMD",
            description = {
                "Run CMD with /bin/sh for each event printed, its JSON line on stdin, PORTLENS_EVENT and",
                "PORTLENS_PORT in its environment; its output goes to stderr. One at a time, 30 s at most."
            })
    String exec;

    @Option(
            names = "--interval",
            paramLabel = "SECONDS",
            description = "Time between reads (default ${DEFAULT-VALUE}; 0.1 to 3600).",
            defaultValue = "1")
    double interval;

    @Option(
            names = "--max-cpu",
            paramLabel = "PERCENT",
            description = "Largest share of one core the reads may use (default ${DEFAULT-VALUE}).",
            defaultValue = "2")
    double maxCpu;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "Stop after this long (default: until stopped).")
    Double duration;

    @Option(
            names = "--db",
            paramLabel = "JDBC_URL",
            description = {
                "Keep the history in this PostgreSQL database, as",
                "jdbc:postgresql://HOST[:PORT]/DATABASE (many hosts write to one). Default:",
                "$PORTLENS_DB, else history.db in the data directory."
            })
    String db;

    @Option(names = "--no-history", description = "Keep no history (portlens history, 'open since').")
    boolean noHistory;

    @Option(
            names = "--retention",
            paramLabel = "DAYS",
            description = "Delete history older than this (default ${DEFAULT-VALUE} days).",
            defaultValue = "90")
    int retentionDays;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    private volatile boolean stopping;
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (common.json) {
            throw new InputException("watch prints one JSON object per event: use --jsonl, not --json");
        }
        if (!(interval >= 0.1 && interval <= 3600)) {
            throw new InputException("--interval must be between 0.1 and 3600 seconds, got " + interval);
        }
        if (!(maxCpu > 0 && maxCpu <= 100)) {
            throw new InputException("--max-cpu must be a percentage above 0 and at most 100, got " + maxCpu);
        }
        if (duration != null && !(duration > 0)) {
            throw new InputException("--duration must be a positive number of seconds, got " + duration);
        }
        if (policy != null && !audit) {
            throw new InputException("--policy is the policy of --audit: add --audit, or leave --policy out");
        }
        if (exec != null && exec.isBlank()) {
            throw new InputException("--exec needs a command, got an empty one");
        }
        if (retentionDays < 1 || retentionDays > 36500) {
            throw new InputException("--retention must be a number of days from 1 to 36500, got " + retentionDays);
        }
        if (noHistory && db != null) {
            throw new InputException("--db is where the history goes; --no-history keeps none: give one");
        }
        PolicyReader.Document doc = audit ? PolicyReader.read(Env.policyFile(policy)) : null;
        EnumSet<Transport> transports =
                tcp == udp ? EnumSet.of(Transport.TCP, Transport.UDP) : EnumSet.of(tcp ? Transport.TCP : Transport.UDP);
        Watcher watcher =
                new Watcher(SocketTable.system().feed(new Query(transports, Optional.empty())), Clock.systemUTC());

        Thread main = Thread.currentThread();
        Thread hook = new Thread(
                () -> {
                    stopping = true;
                    main.interrupt();
                    try {
                        // the loop counts down once its last line is out (main then waits in
                        // System.exit); a watch stopped on purpose has done its job: exit 0
                        if (finished.await(5, TimeUnit.SECONDS)) {
                            out.flush();
                            err.flush();
                            Runtime.getRuntime().halt(ExitCodes.OK);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "portlens-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (HistoryStore store = noHistory
                        ? null
                        : HistoryStore.open(
                                Env.historyUrl(db),
                                Env.dataDir(common.dataDir),
                                HistoryStore.localHost(),
                                HistoryStore.Options.defaults().withRetention(Duration.ofDays(retentionDays)));
                EventHook hookRun = exec == null ? null : new EventHook(exec, err)) {
            int code = loop(watcher, doc, hookRun, store == null ? null : new Recorder(store, err), out, err);
            if (hookRun != null) {
                hookRun.drain(Duration.ofSeconds(stopping ? 2 : 35));
            }
            return code;
        } finally {
            finished.countDown();
            if (!stopping) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already stopping
                }
            }
        }
    }

    private int loop(
            Watcher watcher,
            PolicyReader.Document doc,
            EventHook hook,
            Recorder recorder,
            PrintWriter out,
            PrintWriter err) {
        WatchText text = new WatchText(common.style(), out);
        Violations violations = new Violations();
        Duration every = Duration.ofMillis(Math.round(interval * 1000));
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + Math.round(duration * 1e9);
        int failures = 0;
        boolean first = true;
        while (!stopping) {
            List<WatchEvent> events;
            try {
                events = watcher.poll();
                failures = 0;
            } catch (RuntimeException e) {
                if (stopping) {
                    break; // interrupted by the stop: not a failed read
                }
                err.println("portlens: watch: could not read the listeners: " + e.getMessage());
                err.flush();
                if (++failures >= 5) {
                    err.println("portlens: watch: 5 reads in a row failed; stopping");
                    return ExitCodes.INTERNAL;
                }
                if (!sleep(every)) {
                    break;
                }
                continue;
            }
            if (first) {
                coverageNotes(watcher.lastRead(), err);
                first = false;
            }
            if (recorder != null) {
                recorder.record(events);
            }
            if (doc != null) {
                Instant at = events.isEmpty() ? Instant.now() : events.get(0).at();
                for (PolicyFinding f : violations.next(Audit.of(doc.policy(), watcher.lastRead()))) {
                    // the JSON line only where it is printed or handed to --exec
                    String line = jsonl || hook != null ? WatchText.line(WatchText.json(at, f, doc)) : null;
                    print(jsonl ? line : null, () -> text.violation(at, f), out);
                    if (hook != null) {
                        hook.submit(f.kind(), portOf(f), line);
                    }
                }
            } else {
                for (WatchEvent e : events) {
                    if (e.kind() == WatchEvent.Kind.PRESENT && !initial) {
                        continue;
                    }
                    String line = jsonl || hook != null ? WatchText.line(WatchText.json(e)) : null;
                    print(jsonl ? line : null, () -> text.event(e), out);
                    if (hook != null) {
                        hook.submit(
                                e.kind().label(),
                                Integer.toString(e.listener().local().port()),
                                line);
                    }
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Duration pause = watcher.pause(every, maxCpu / 100);
            if (!sleep(pause.toNanos() > left ? Duration.ofNanos(left) : pause)) {
                break;
            }
        }
        return ExitCodes.OK;
    }

    /** The port of a finding's listener, or the ports of its expect entry ("3000-3005"). */
    private static String portOf(PolicyFinding f) {
        return f.subject()
                .map(l -> Integer.toString(l.local().port()))
                .orElseGet(() -> f.expected().map(x -> x.ports().toString()).orElse(""));
    }

    private static void print(String jsonLine, Runnable asText, PrintWriter out) {
        if (jsonLine != null) {
            out.println(jsonLine);
            out.flush();
        } else {
            asText.run();
        }
    }

    /** Once, at the start: what the watch cannot see (other users' processes), on stderr. */
    private static void coverageNotes(Discovery d, PrintWriter err) {
        if (d.coverage().ownersHidden() > 0 && !d.coverage().privileged()) {
            err.println("portlens: watch: the owners of " + d.coverage().ownersHidden()
                    + " listener(s) are hidden (processes of other users); run as root to see them");
            err.flush();
        }
    }

    /**
     * Writes each read's events to the history. A write that fails (the database locked by another
     * program for longer than its busy timeout, a server gone) is said on stderr once per kind of
     * fault, and its events are kept and written with the next read's, up to {@link #BACKLOG}.
     */
    static final class Recorder {
        static final int BACKLOG = 100_000;
        private final HistoryStore store;
        private final PrintWriter err;
        private final List<WatchEvent> pending = new ArrayList<>();
        private StoreException.Reason failing;
        private long dropped;

        Recorder(HistoryStore store, PrintWriter err) {
            this.store = store;
            this.err = err;
        }

        void record(List<WatchEvent> events) {
            pending.addAll(events);
            if (pending.size() > BACKLOG) {
                int over = pending.size() - BACKLOG;
                pending.subList(0, over).clear();
                dropped += over;
            }
            try {
                store.record(List.copyOf(pending));
                pending.clear();
                if (failing != null) {
                    err.println("portlens: watch: history writes again to " + Style.safe(store.location())
                            + (dropped > 0 ? "; " + dropped + " event(s) could not be kept meanwhile" : ""));
                    err.flush();
                    failing = null;
                    dropped = 0;
                }
            } catch (StoreException e) {
                if (e.reason() != failing) {
                    err.println("portlens: watch: history not written (kept for the next read): "
                            + Style.safe(String.valueOf(e.getMessage())));
                    err.flush();
                    failing = e.reason();
                }
            }
        }
    }

    /** Sleeps; false when interrupted (the watch is being stopped). */
    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        }
    }
}

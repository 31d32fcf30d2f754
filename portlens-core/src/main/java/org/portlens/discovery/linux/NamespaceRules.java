package org.portlens.discovery.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.portlens.discovery.linux.forward.NatRuleReader;
import org.portlens.discovery.linux.forward.NatRules;
import org.portlens.internal.CommandRunner;
import org.portlens.model.NetNamespace;

/**
 * The NAT rules of every network namespace portlens can see: its own read by running nft (or
 * iptables-save) directly, each other one through {@code nsenter --net=/proc/PID/ns/net} with a
 * process in it. A few namespaces are read at a time. Immutable; safe from any thread when its runner
 * is.
 */
final class NamespaceRules {

    /** How many namespaces are read at once. */
    private static final int PARALLEL = 4;

    /**
     * The rules of one namespace.
     *
     * @param ns    the namespace
     * @param rules its forwards, and what could not be read
     */
    record Read(NetNamespace ns, NatRules rules) {}

    private final ProcRoot root;
    private final SocketTables tables;
    private final CommandRunner runner;

    NamespaceRules(ProcRoot root, SocketTables tables, CommandRunner runner) {
        this.root = root;
        this.tables = tables;
        this.runner = runner;
    }

    /** The command line prefix that runs a program in namespace {@code n}: none for portlens's own. */
    List<String> prefix(SocketTables.Namespace n) {
        return n.pid() == 0
                ? List.of()
                : List.of("nsenter", "--net=" + root.pidDir(n.pid()).resolve("ns/net"));
    }

    /** The rules of every namespace one of {@code pids} is in, portlens's own first. */
    List<Read> read(List<Integer> pids) {
        List<SocketTables.Namespace> all = tables.namespaces(pids, true).all();
        if (all.size() == 1) {
            return List.of(readOne(all.get(0)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, all.size()), r -> {
            Thread t = new Thread(r, "portlens-nat");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Read>> futures = new ArrayList<>();
            for (SocketTables.Namespace n : all) {
                futures.add(pool.submit(() -> readOne(n)));
            }
            List<Read> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(new Read(
                            all.get(i).ns(), new NatRules(List.of(), List.of("rules not read: " + e.getCause()))));
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            pool.shutdownNow();
        }
    }

    private Read readOne(SocketTables.Namespace n) {
        return new Read(n.ns(), new NatRuleReader(runner, prefix(n)).read());
    }
}

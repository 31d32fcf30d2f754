package org.portlens.discovery;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.RuleForwards;
import org.portlens.model.Transport;

/**
 * The operating system's table of sockets and their owners. One implementation per OS.
 *
 * <p>Implementations are safe for concurrent use: each read is independent of the others.
 */
public interface SocketTable {

    /**
     * Reads the listeners the query asks for. Never throws for a process that exits meanwhile. For a
     * query of some ports, an implementation may stop looking for owners once every socket on them
     * has one, and then look only where a holder's descriptors can have gone without being passed
     * (its descendants, its unit): {@link org.portlens.model.Coverage#processesSkipped()} counts the
     * processes it did not read. A query of every port ({@link Query#all()}) reads every process.
     *
     * @param query which transports and ports to read
     * @return the listeners, connection counts and what could not be seen
     */
    Discovery read(Query query);

    /**
     * Successive reads of one query, for a watcher. The default reads the whole table each time;
     * an implementation may remember the owners of sockets it has seen.
     *
     * @param query which transports and ports to read
     * @return a feed of reads; not thread-safe
     */
    default ListenerFeed feed(Query query) {
        return () -> read(query);
    }

    /**
     * Where a forwarding process that holds {@code listener} sends what arrives on it (docker-proxy,
     * pasta, passt), and the listeners found serving that target in the network namespaces this table
     * can see. The default knows no forwarders.
     *
     * @param listener a listener from an earlier read
     * @return the forward, or empty when no owner of the listener is a forwarder
     */
    default Optional<Forward> forward(Listener listener) {
        return Optional.empty();
    }

    /**
     * The forwards of those of {@code listeners} that a forwarding process holds, as {@link
     * #forward(Listener)} gives them, with their servers looked for among {@code every} (the listeners
     * of one read of every port and namespace) instead of in a new read. The default asks {@link
     * #forward(Listener)} for each.
     *
     * @param listeners the listeners whose forwards are wanted
     * @param every     every listener of the same read, where the servers are looked for
     * @return by listener, its forward; listeners no forwarder holds are absent
     */
    default Map<Listener, Forward> forwards(List<Listener> listeners, List<Listener> every) {
        Map<Listener, Forward> out = new LinkedHashMap<>();
        for (Listener l : listeners) {
            forward(l).ifPresent(f -> out.put(l, f));
        }
        return out;
    }

    /**
     * Runs {@code work} inside the network namespace of {@code listener}, on a thread of its own, so that
     * the sockets it opens (a probe's) are that namespace's. For a listener of the namespace portlens
     * runs in, the work runs here, on the calling thread. The default enters no other namespace.
     *
     * @param listener a listener from an earlier read
     * @param work     what to run there
     * @param <T>      what it returns
     * @return what the work returned
     * @throws IOException when the namespace cannot be entered (not root, a JDK before 22, no process left
     *     in it), said in a few words, or when the work failed
     */
    default <T> T inNamespaceOf(Listener listener, Callable<T> work) throws IOException {
        if (listener.namespace().current()) {
            try {
                return work.call();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        throw new IOException("this socket table cannot enter other network namespaces");
    }

    /**
     * The NAT rules of the kernel that forward any of {@code ports} (Docker's and kube-proxy's DNAT, a
     * redirect), read in every network namespace this table can see, each followed to the listeners
     * that serve its target. The default reads no rules.
     *
     * @param ports     the ports asked about
     * @param transport the transport asked about, or empty for all
     * @return the forwards, and what could not be read (such as "needs root")
     */
    default RuleForwards ruleForwards(PortRange ports, Optional<Transport> transport) {
        return RuleForwards.NONE;
    }

    /**
     * How many connections wait in {@code listener}'s accept queue now, read again from the kernel:
     * connections completed that its process has not taken with {@code accept()}.
     *
     * @param listener a TCP listener from an earlier read of this table
     * @return the connections waiting, or empty when unknown (UDP, another namespace, gone, or not
     *     supported); the default implementation always returns empty
     */
    default OptionalInt acceptQueue(Listener listener) {
        return OptionalInt.empty();
    }

    /**
     * The host's ephemeral (outgoing) port range; empty when it cannot be read.
     *
     * @return the range, or empty; the default implementation always returns empty
     */
    default Optional<EphemeralRange> ephemeralRange() {
        return Optional.empty();
    }

    /**
     * The table that is never read: an {@link org.portlens.Explainer} given it explains from the
     * registry alone.
     *
     * @return the one table that is never read; its reads find nothing
     */
    static SocketTable none() {
        return NoSocketTable.INSTANCE;
    }

    /**
     * The table for the OS this JVM runs on; chosen here and nowhere else ({@link Platforms}).
     *
     * @return the table of this OS: Linux's {@code /proc} and netlink, macOS's {@code lsof}, {@code
     *     netstat} and {@code ps}, Windows' PowerShell (or {@code netstat -ano} and {@code tasklist})
     * @throws UnsupportedPlatformException on an OS without an implementation (FreeBSD, Solaris, …)
     */
    static SocketTable system() {
        return Platforms.socketTable(System.getProperty("os.name", ""));
    }
}

package org.portlens.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.portlens.model.BindScope;
import org.portlens.model.Container;
import org.portlens.model.Coverage;
import org.portlens.model.Listener;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;

/**
 * Which listeners to keep, by who holds them and where they are bound, as {@code portlens ls}
 * filters them. Every criterion is optional; {@link #all()} keeps everything. Immutable; safe from
 * any thread.
 *
 * @param scope   only this bind scope
 * @param pid     only sockets held by this process
 * @param user    only sockets held by this user, a name or a uid; for a socket whose owner is not
 *                known, the user the kernel records for it (name or uid)
 * @param process   only sockets held by a process whose name or command line contains this text, in
 *                  any case
 * @param container only sockets held by a process in this container: its name, its Kubernetes pod or
 *                  {@code namespace/pod/container}, or the start of its id (at least 4 characters)
 * @param namespace only sockets in this network namespace: its name ({@code ip netns}), its inode
 *                  ({@code 4026532345} or {@code net:[4026532345]}), or {@code host} for the namespace
 *                  portlens runs in
 */
public record ListenerFilter(
        Optional<BindScope> scope,
        OptionalInt pid,
        Optional<String> user,
        Optional<String> process,
        Optional<String> container,
        Optional<String> namespace) {

    /**
     * A filter with no namespace criterion.
     *
     * @param scope     only this bind scope
     * @param pid       only sockets held by this process
     * @param user      only sockets held by this user, a name or a uid
     * @param process   only sockets held by a process whose name or command line contains this text
     * @param container only sockets held by a process in this container
     */
    public ListenerFilter(
            Optional<BindScope> scope,
            OptionalInt pid,
            Optional<String> user,
            Optional<String> process,
            Optional<String> container) {
        this(scope, pid, user, process, container, Optional.empty());
    }

    /**
     * A filter with no container criterion.
     *
     * @param scope   only this bind scope
     * @param pid     only sockets held by this process
     * @param user    only sockets held by this user, a name or a uid
     * @param process only sockets held by a process whose name or command line contains this text
     */
    public ListenerFilter(Optional<BindScope> scope, OptionalInt pid, Optional<String> user, Optional<String> process) {
        this(scope, pid, user, process, Optional.empty());
    }

    /**
     * Keeps every listener.
     *
     * @return a filter with no criterion
     */
    public static ListenerFilter all() {
        return new ListenerFilter(
                Optional.empty(),
                OptionalInt.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /**
     * Keeps only listeners bound with this scope.
     *
     * @param s the bind scope to keep
     * @return a copy with this scope in place of any earlier one
     */
    public ListenerFilter withScope(BindScope s) {
        return new ListenerFilter(Optional.of(s), pid, user, process, container, namespace);
    }

    /**
     * Keeps only sockets held by this process.
     *
     * @param p the process id, positive
     * @return a copy with this pid in place of any earlier one
     * @throws IllegalArgumentException when {@code p} is not a positive process id
     */
    public ListenerFilter withPid(int p) {
        if (p <= 0) {
            throw new IllegalArgumentException("pid must be a positive process id, got " + p);
        }
        return new ListenerFilter(scope, OptionalInt.of(p), user, process, container, namespace);
    }

    /**
     * Keeps only sockets held by this user.
     *
     * @param u a user name or a uid in decimal, compared exactly
     * @return a copy with this user in place of any earlier one
     */
    public ListenerFilter withUser(String u) {
        return new ListenerFilter(scope, pid, Optional.of(u), process, container, namespace);
    }

    /**
     * Keeps only sockets held by a process whose name or command line contains this text, in any case.
     *
     * @param text part of a process name or command line
     * @return a copy with this text in place of any earlier one
     */
    public ListenerFilter withProcess(String text) {
        return new ListenerFilter(scope, pid, user, Optional.of(text), container, namespace);
    }

    /**
     * Keeps only sockets held by a process in this container.
     *
     * @param name the container's name, its Kubernetes pod or {@code namespace/pod/container}, or the
     *             start of its id (at least 4 characters); compared exactly
     * @return a copy with this container in place of any earlier one
     */
    public ListenerFilter withContainer(String name) {
        return new ListenerFilter(scope, pid, user, process, Optional.of(name), namespace);
    }

    /**
     * Keeps only sockets in this network namespace.
     *
     * @param ns the namespace's name ({@code ip netns}, compared exactly), its inode ({@code 4026532345}
     *           or {@code net:[4026532345]}), or {@code host} for the namespace portlens runs in
     * @return a copy with this namespace in place of any earlier one
     */
    public ListenerFilter withNamespace(String ns) {
        return new ListenerFilter(scope, pid, user, process, container, Optional.of(ns));
    }

    /** Whether {@code l} is in the namespace {@code want} names. */
    private static boolean inNamespace(Listener l, String want) {
        NetNamespace ns = l.namespace();
        if (want.equals("host")) {
            return ns.current();
        }
        String inode = want.startsWith("net:[") && want.endsWith("]") ? want.substring(5, want.length() - 1) : want;
        return (!ns.name().isEmpty() && want.equals(ns.name()))
                || Long.toString(ns.inode()).equals(inode);
    }

    /** Whether {@code p} runs in the container {@code want} names. */
    private static boolean inContainer(ProcessInfo p, String want) {
        Container c = p.container();
        if (c == null || want.isEmpty()) {
            return false;
        }
        Container.Kubernetes k = c.kubernetes();
        return want.equals(c.name())
                || want.equals(p.containerName())
                || (k != null && (want.equals(k.pod()) || want.equals(k.namespace() + "/" + k.pod())))
                || (want.length() >= 4 && c.id().startsWith(want));
    }

    /**
     * Whether the listener meets every criterion given.
     *
     * @param l the listener to test
     * @return true when no criterion rules it out
     */
    public boolean test(Listener l) {
        if (scope.isPresent() && l.local().scope() != scope.get()) {
            return false;
        }
        if (namespace.isPresent() && !inNamespace(l, namespace.get())) {
            return false;
        }
        List<ProcessInfo> procs = l.processes();
        if (pid.isPresent() && procs.stream().noneMatch(p -> p.pid() == pid.getAsInt())) {
            return false;
        }
        if (user.isPresent()) {
            String u = user.get();
            boolean byUser = procs.stream()
                    .anyMatch(
                            p -> p.user().equals(u) || Integer.toString(p.uid()).equals(u));
            boolean bySocket = procs.isEmpty()
                    && (l.user().equals(u) || Integer.toString(l.uid()).equals(u));
            if (!byUser && !bySocket) {
                return false;
            }
        }
        if (process.isPresent()) {
            String want = process.get().toLowerCase(Locale.ROOT);
            if (procs.stream()
                    .noneMatch(p -> p.name().toLowerCase(Locale.ROOT).contains(want)
                            || p.command().toLowerCase(Locale.ROOT).contains(want))) {
                return false;
            }
        }
        if (container.isPresent()) {
            String want = container.get();
            return procs.stream().anyMatch(p -> inContainer(p, want));
        }
        return true;
    }

    /**
     * The coverage of an answer this filter selects from {@code d}: the sockets whose owners could not
     * be shown (hidden, or exited) count only where the filter might have selected them. Their bind
     * scope and namespace are known, so a socket of another scope or namespace does not make the answer
     * partial; who holds them is what could not be seen, so for the pid, user and process criteria
     * they still count.
     *
     * @param d what was discovered
     * @return {@code d}'s coverage with {@code ownersHidden} and {@code ownersGone} counted over those
     *     sockets only
     */
    public Coverage coverageOf(Discovery d) {
        int hidden = 0;
        int gone = 0;
        for (Listener l : d.listeners()) {
            if ((scope.isPresent() && l.local().scope() != scope.get())
                    || (namespace.isPresent() && !inNamespace(l, namespace.get()))) {
                continue; // known without the owner: this socket cannot be one the filter keeps
            }
            for (Owner o : l.owners()) {
                if (o instanceof Owner.Hidden) {
                    hidden++;
                } else if (o instanceof Owner.Gone) {
                    gone++;
                }
            }
        }
        Coverage c = d.coverage();
        return new Coverage(
                c.privileged(),
                c.processesRead(),
                c.processesUnreadable(),
                c.processesVanished(),
                hidden,
                gone,
                c.malformedLines(),
                c.notes(),
                c.processesSkipped());
    }

    /**
     * The listeners that pass, sorted.
     *
     * @param listeners the listeners to filter; not changed
     * @param order     how to sort the ones that pass
     * @return a new list of the listeners that pass; empty when none does
     */
    public List<Listener> select(List<Listener> listeners, Order order) {
        List<Listener> out = new ArrayList<>();
        for (Listener l : listeners) {
            if (test(l)) {
                out.add(l);
            }
        }
        out.sort(order.comparator());
        return out;
    }

    /** The orders {@code portlens ls --sort} offers; ties are broken by port, transport and address. */
    public enum Order {
        /** By port, then transport, then address. */
        PORT,
        /** By the pid of the first known owner; listeners without one last. */
        PID,
        /** By the user name of the first process; listeners without a process last. */
        USER,
        /** By the name of the first process; listeners without a process last. */
        PROCESS,
        /** By bind scope, in {@link BindScope}'s order. */
        SCOPE;

        /**
         * The comparator for this order.
         *
         * @return a comparator that breaks ties by port, transport and address
         */
        public Comparator<Listener> comparator() {
            Comparator<Listener> byPort = Comparator.comparingInt(
                            (Listener l) -> l.local().port())
                    .thenComparing(Listener::transport)
                    .thenComparing(l -> l.local().address());
            switch (this) {
                case PID:
                    return Comparator.comparingInt(Order::firstPid).thenComparing(byPort);
                case USER:
                    return Comparator.comparing((Listener l) ->
                                    first(l).map(ProcessInfo::user).orElse("~"))
                            .thenComparing(byPort);
                case PROCESS:
                    return Comparator.comparing((Listener l) ->
                                    first(l).map(ProcessInfo::name).orElse("~"))
                            .thenComparing(byPort);
                case SCOPE:
                    return Comparator.comparing((Listener l) -> l.local().scope())
                            .thenComparing(byPort);
                default:
                    return byPort;
            }
        }

        private static int firstPid(Listener l) {
            for (Owner o : l.owners()) {
                if (o instanceof Owner.Known known) {
                    return known.process().pid();
                }
            }
            return Integer.MAX_VALUE;
        }

        private static Optional<ProcessInfo> first(Listener l) {
            List<ProcessInfo> p = l.processes();
            return p.isEmpty() ? Optional.empty() : Optional.of(p.get(0));
        }
    }
}

package org.portlens.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.portlens.model.BindScope;
import org.portlens.model.Listener;
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
 *                known, the uid the kernel records for it
 * @param process only sockets held by a process whose name or command line contains this text, in
 *                any case
 */
public record ListenerFilter(
        Optional<BindScope> scope, OptionalInt pid, Optional<String> user, Optional<String> process) {

    /** Keeps every listener. */
    public static ListenerFilter all() {
        return new ListenerFilter(Optional.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty());
    }

    public ListenerFilter withScope(BindScope s) {
        return new ListenerFilter(Optional.of(s), pid, user, process);
    }

    /** @throws IllegalArgumentException when {@code p} is not a positive process id */
    public ListenerFilter withPid(int p) {
        if (p <= 0) {
            throw new IllegalArgumentException("pid must be a positive process id, got " + p);
        }
        return new ListenerFilter(scope, OptionalInt.of(p), user, process);
    }

    public ListenerFilter withUser(String u) {
        return new ListenerFilter(scope, pid, Optional.of(u), process);
    }

    public ListenerFilter withProcess(String text) {
        return new ListenerFilter(scope, pid, user, Optional.of(text));
    }

    /** Whether the listener meets every criterion given. */
    public boolean test(Listener l) {
        if (scope.isPresent() && l.local().scope() != scope.get()) {
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
            boolean bySocket = procs.isEmpty() && Integer.toString(l.uid()).equals(u);
            if (!byUser && !bySocket) {
                return false;
            }
        }
        if (process.isPresent()) {
            String want = process.get().toLowerCase(Locale.ROOT);
            return procs.stream()
                    .anyMatch(p -> p.name().toLowerCase(Locale.ROOT).contains(want)
                            || p.command().toLowerCase(Locale.ROOT).contains(want));
        }
        return true;
    }

    /** The listeners that pass, sorted. */
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
        PORT,
        PID,
        USER,
        PROCESS,
        SCOPE;

        /** The comparator for this order. */
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

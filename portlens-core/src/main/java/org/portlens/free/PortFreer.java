package org.portlens.free;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.ProcessTable;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;
import org.portlens.model.Source;

/**
 * Frees a port: {@link #look} says what holds it and what freeing it means, {@link #free} sends a
 * signal to exactly the processes shown (each re-checked by pid and start time just before) and
 * says what holds the port afterwards. The decisions are the static functions {@link #plan},
 * {@link #sameProcess} and {@link #after}, pure over the values discovery returns; the instance
 * only adds the seams that read and signal.
 *
 * <p>Immutable; safe to share between threads (each call reads the system afresh).
 */
public final class PortFreer {

    private static final Duration POLL = Duration.ofMillis(100);

    private final SocketTable sockets;
    private final ProcessTable processes;
    private final Signaller signaller;
    private final long selfPid;
    private final Duration settle;

    /**
     * A freer over these seams.
     *
     * @param sockets   where to read who holds the port
     * @param processes where to re-read a process just before signalling it
     * @param signaller what sends the signal
     * @param selfPid   the pid that must never be signalled (this process)
     * @param settle    how long a freed port must stay free before it counts as freed: a unit or a
     *                  supervisor that restarts the process takes it again within this time
     */
    public PortFreer(SocketTable sockets, ProcessTable processes, Signaller signaller, long selfPid, Duration settle) {
        this.sockets = sockets;
        this.processes = processes;
        this.signaller = signaller;
        this.selfPid = selfPid;
        this.settle = settle;
    }

    /**
     * The live system: {@link SocketTable#system()}, {@link ProcessTable#system()},
     * {@link Signaller#system()}, this process's pid, and a settle time of one second.
     *
     * @return a freer of this host's ports
     * @throws org.portlens.discovery.UnsupportedPlatformException on an OS without discovery
     */
    public static PortFreer system() {
        return new PortFreer(
                SocketTable.system(),
                ProcessTable.system(),
                Signaller.system(),
                ProcessHandle.current().pid(),
                Duration.ofSeconds(1));
    }

    /**
     * Reads who holds the port and decides what freeing it means.
     *
     * @param query the port and transports
     * @return the plan
     */
    public Plan look(Query query) {
        return plan(query, sockets.read(query), selfPid, processes::children);
    }

    /**
     * Decides, from one read of the socket table, what holds the port and whether portlens may
     * signal it. Pure: reads nothing but {@code children}.
     *
     * @param query     the port and transports that were read
     * @param found     what the read found
     * @param selfPid   the pid of portlens itself, never to be signalled
     * @param children  the children of a pid, shown with each target
     * @return nothing listening, an unseen owner, a refusal (init, kernel, self), or the targets
     */
    public static Plan plan(Query query, Discovery found, long selfPid, IntFunction<List<ProcessRef>> children) {
        List<Listener> listeners = found.listeners();
        if (listeners.isEmpty()) {
            return new Plan.NothingListening();
        }
        Map<Integer, ProcessInfo> known = new LinkedHashMap<>();
        for (Listener l : listeners) {
            for (Owner o : l.owners()) {
                if (o instanceof Owner.Hidden h) {
                    return new Plan.Unseen(
                            listeners, h.reason(), true, found.coverage().privileged());
                }
                if (o instanceof Owner.Gone g) {
                    return new Plan.Unseen(
                            listeners,
                            "its owner, pid " + g.pid() + ", exited while portlens read it; run again",
                            false,
                            found.coverage().privileged());
                }
                if (o instanceof Owner.Known k) {
                    known.putIfAbsent(k.process().pid(), k.process());
                }
            }
        }
        if (known.isEmpty()) {
            return new Plan.Refused(Plan.Refusal.KERNEL, listeners, List.of());
        }
        for (ProcessInfo p : known.values()) {
            if (p.pid() == 1 || p.source().kind() == Source.Kind.INIT) {
                return new Plan.Refused(Plan.Refusal.INIT, listeners, List.of(p));
            }
            if (p.pid() == selfPid) {
                return new Plan.Refused(Plan.Refusal.SELF, listeners, List.of(p));
            }
            if (p.source().kind() == Source.Kind.KERNEL) {
                return new Plan.Refused(Plan.Refusal.KERNEL, listeners, List.of(p));
            }
        }
        List<Target> targets = new ArrayList<>();
        for (ProcessInfo p : known.values()) {
            if (!known.containsKey(p.ppid())) {
                targets.add(new Target(p, children.apply(p.pid()), manager(p.source())));
            }
        }
        return new Plan.Ready(query, listeners, List.copyOf(known.values()), targets);
    }

    /**
     * The unit or container that would start a process again, from its source.
     *
     * @param source why the process runs
     * @return a manager for a systemd service (system or user), a container, a launchd job or a Windows
     *     service; empty otherwise
     *         (a shell, cron, a session scope, or a source not found)
     */
    public static Optional<Manager> manager(Source source) {
        String name = source.name();
        switch (source.kind()) {
            case SYSTEMD_UNIT:
                return name.endsWith(".service")
                        ? Optional.of(new Manager(
                                Manager.Kind.SYSTEMD_UNIT, name, Optional.of("systemctl stop " + shellWord(name))))
                        : Optional.empty();
            case USER_UNIT:
                return name.endsWith(".service")
                        ? Optional.of(new Manager(
                                Manager.Kind.USER_UNIT, name, Optional.of("systemctl --user stop " + shellWord(name))))
                        : Optional.empty();
            case LAUNCHD_JOB:
                // named as launchctl names the service: system/LABEL (a daemon) or gui/UID/LABEL (an agent)
                return Optional.of(new Manager(
                        Manager.Kind.LAUNCHD_JOB,
                        name,
                        name.startsWith("system/")
                                ? Optional.of("sudo launchctl bootout " + shellWord(name))
                                : name.startsWith("gui/") || name.startsWith("user/")
                                        ? Optional.of("launchctl bootout " + shellWord(name))
                                        : Optional.empty()));
            case WINDOWS_SERVICE:
                // a process that runs several services (svchost) has no one service to stop
                return Optional.of(new Manager(
                        Manager.Kind.WINDOWS_SERVICE,
                        name,
                        name.contains(",")
                                ? Optional.empty()
                                : Optional.of("sc.exe stop \"" + name.replace("\"", "") + "\"")));
            case CONTAINER:
                int colon = name.indexOf(':');
                String runtime = colon < 0 ? "" : name.substring(0, colon);
                String id = name.substring(colon + 1);
                Optional<String> stop = runtime.equals("docker") || runtime.equals("podman")
                        ? Optional.of(runtime + " stop " + shellWord(id))
                        : Optional.empty();
                return Optional.of(new Manager(Manager.Kind.CONTAINER, name, stop));
            default:
                return Optional.empty();
        }
    }

    /**
     * A word a POSIX shell reads back as {@code text}: as it is when it holds only safe characters,
     * else in single quotes. A unit name comes from a cgroup path, which a user may name freely.
     */
    static String shellWord(String text) {
        if (!text.isEmpty() && text.matches("[A-Za-z0-9@%_+=:,./-]+")) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * Whether {@code now} is the very process {@code shown}: the same pid and the same start time.
     * A process whose start time is unknown is never the same: portlens does not signal what it
     * cannot tell from a reused pid.
     *
     * @param shown the process as shown
     * @param now   what the same pid names now
     * @return true when both the pid and the (known) start time agree
     */
    public static boolean sameProcess(ProcessInfo shown, ProcessInfo now) {
        return shown.pid() == now.pid()
                && shown.startTime() != null
                && shown.startTime().equals(now.startTime());
    }

    /**
     * What holds the port after the signal, judged against the processes shown before it.
     *
     * @param shown the processes shown holding the port (targets and their fellow holders)
     * @param sent  the signal sent to the targets
     * @param now   a read of the same port after the signal
     * @return freed (with no process still running: the caller adds those), still held by the
     *         processes shown, taken over by others, or held by an owner that cannot be seen
     */
    public static Outcome after(List<ProcessInfo> shown, Signal sent, Discovery now) {
        if (now.listeners().isEmpty()) {
            return new Outcome.Freed(List.of());
        }
        Map<Integer, ProcessInfo> newcomers = new LinkedHashMap<>();
        Map<Integer, ProcessInfo> holders = new LinkedHashMap<>();
        Optional<String> unseen = Optional.empty();
        for (Listener l : now.listeners()) {
            for (Owner o : l.owners()) {
                if (o instanceof Owner.Known k) {
                    ProcessInfo p = k.process();
                    boolean wasShown = shown.stream().anyMatch(s -> sameProcess(s, p));
                    (wasShown ? holders : newcomers).putIfAbsent(p.pid(), p);
                } else if (o instanceof Owner.Hidden h) {
                    unseen = Optional.of(h.reason());
                } else if (o instanceof Owner.Gone g) {
                    unseen = Optional.of("pid " + g.pid() + " held it and exited while portlens read it");
                } else if (o instanceof Owner.None n) {
                    unseen = Optional.of("no process: " + n.reason());
                }
            }
        }
        if (!newcomers.isEmpty()) {
            return new Outcome.TakenOver(List.copyOf(newcomers.values()));
        }
        if (!holders.isEmpty()) {
            return new Outcome.StillHeld(List.copyOf(holders.values()), sent);
        }
        return new Outcome.HeldUnseen(unseen.orElse("an owner portlens cannot see"));
    }

    /**
     * Frees the port of a plan: re-reads every target just before the signal and sends nothing at
     * all unless each is still the process shown (same pid, same start time); signals the targets;
     * then reads the port until it has stayed free for the settle time, another process holds it,
     * or {@code wait} is over. Blocks the calling thread for up to {@code wait} plus the settle time.
     *
     * @param plan   the plan shown to the person
     * @param signal what to send
     * @param wait   how long the processes get to let go of the port
     * @return what holds the port afterwards, or why nothing was sent
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    public Outcome free(Plan.Ready plan, Signal signal, Duration wait) throws InterruptedException {
        for (Target t : plan.targets()) {
            ProcessInfo shown = t.process();
            Optional<ProcessInfo> now = processes.process(shown.pid());
            if (now.isEmpty() || !sameProcess(shown, now.get())) {
                return new Outcome.IdentityChanged(shown, now);
            }
        }
        for (Target t : plan.targets()) {
            Optional<String> refused = signaller.send(t.process(), signal);
            if (refused.isPresent()) {
                return new Outcome.NotSent(t.process(), refused.get());
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        long freeSince = -1;
        while (true) {
            Outcome o = after(plan.shown(), signal, sockets.read(plan.query()));
            long now = System.nanoTime();
            if (o instanceof Outcome.Freed) {
                if (freeSince < 0) {
                    freeSince = now;
                }
                if (now - freeSince >= settle.toNanos()) {
                    return new Outcome.Freed(stillRunning(plan));
                }
            } else {
                freeSince = -1;
                if (o instanceof Outcome.TakenOver || now >= deadline) {
                    return o;
                }
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The targets that let go of the port but still run (same pid and start time). */
    private List<ProcessInfo> stillRunning(Plan.Ready plan) {
        List<ProcessInfo> running = new ArrayList<>();
        for (Target t : plan.targets()) {
            processes
                    .process(t.process().pid())
                    .filter(p -> sameProcess(t.process(), p))
                    .ifPresent(running::add);
        }
        return running;
    }
}

package org.portlens.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.portlens.free.Manager;
import org.portlens.free.Outcome;
import org.portlens.free.Plan;
import org.portlens.free.PortFreer;
import org.portlens.free.Signal;
import org.portlens.free.Target;
import org.portlens.model.Listener;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;

/** {@code portlens free}: what holds the port, what freeing it means, and what happened. */
final class FreeText extends TextView {

    private final ExplanationText listeners;

    FreeText(Style style, PrintWriter out) {
        super(style, out);
        this.listeners = new ExplanationText(style, out);
    }

    void holders(String port, List<Listener> ls) {
        heading("Port " + port);
        for (Listener l : ls) {
            listeners.listener(l);
        }
    }

    /** The targets, their children, and what signalling them means. */
    void plan(String port, Plan.Ready plan, Signal signal) {
        holders(port, plan.listeners());
        out.println();
        heading("Freeing it");
        for (Target t : plan.targets()) {
            ProcessInfo p = t.process();
            out.println("  send " + signal + " to " + who(p) + ", started " + start(p));
            if (t.children().isEmpty()) {
                out.println("      children  none");
            } else {
                for (ProcessRef c : t.children()) {
                    out.println("      child     " + safe(c.name()) + " (pid " + c.pid() + ")  " + safe(c.command()));
                }
            }
            t.manager().ifPresent(m -> out.println("      " + s.yellow(managed(p, m))));
        }
        int others = plan.shown().size() - plan.targets().size();
        if (others > 0) {
            out.println("  " + others + " more holder(s) are children of a target: they get no signal of their own");
        }
    }

    /** Why a managed target is not signalled, and the line that stops it for good. */
    void stopInstead(Plan.Ready plan, String again) {
        out.println();
        for (Target t : plan.targets()) {
            if (t.manager().isEmpty()) {
                continue;
            }
            Manager m = t.manager().get();
            out.println("Not signalled: " + managed(t.process(), m) + ". Stop it instead:");
            out.println("  " + safe(m.stopCommand().orElse("(stop " + m.name() + " with its own tools)")));
        }
        out.println("To signal it all the same: " + again + " --kill-anyway");
    }

    private String managed(ProcessInfo p, Manager m) {
        switch (m.kind()) {
            case CONTAINER:
                return "pid " + p.pid() + " runs in " + safe(p.source().detail()) + " (" + safe(m.name())
                        + "): a signal may stop the container, and its runtime may start it again";
            case LAUNCHD_JOB:
                return "pid " + p.pid() + " belongs to " + safe(p.source().detail())
                        + ", which launchd may start again (KeepAlive)";
            case WINDOWS_SERVICE:
                return "pid " + p.pid() + " runs " + safe(p.source().detail())
                        + ", which the Service Control Manager may restart (its recovery options)";
            case USER_UNIT:
            case SYSTEMD_UNIT:
            default:
                return "pid " + p.pid() + " belongs to " + safe(p.source().detail())
                        + ", which systemd may start again (Restart=)";
        }
    }

    /**
     * What happened, in lines on stdout; returns the one-line reason for stderr, or empty when freed.
     */
    Optional<String> outcome(String port, Plan.Ready plan, Outcome o, long waitSeconds, String again) {
        out.println();
        if (o instanceof Outcome.Freed f) {
            out.println(s.green("Port " + port + " is free."));
            for (Target t : plan.targets()) {
                ProcessInfo p = t.process();
                boolean runs = f.stillRunning().stream().anyMatch(r -> r.pid() == p.pid());
                out.println("  " + who(p) + (runs ? " let go of it and still runs" : " exited"));
            }
            return Optional.empty();
        }
        if (o instanceof Outcome.StillHeld h) {
            for (ProcessInfo p : h.holders()) {
                out.println(who(p) + " still holds port " + port + " " + waitSeconds + " s after " + h.sent() + ".");
            }
            if (h.sent() == Signal.TERM) {
                out.println("It ignored TERM or is still shutting down. To end it without asking it (no clean-up):");
                out.println("  " + again + " --signal KILL");
                return Optional.of("port " + port + " is still held: the process ignored TERM; try --signal KILL");
            }
            out.println("It survived KILL: it is likely stuck in the kernel (state D); see `ps -o stat -p PID`.");
            return Optional.of("port " + port + " is still held after KILL");
        }
        if (o instanceof Outcome.TakenOver t) {
            for (ProcessInfo p : t.newcomers()) {
                out.println(
                        "Port " + port + " is held again, by a new process: " + who(p) + ", started " + start(p) + ".");
                if (!p.ancestry().isEmpty()) {
                    ProcessRef parent = p.ancestry().get(0);
                    out.println("  its parent: " + safe(parent.name()) + " (pid " + parent.pid() + ")  "
                            + safe(parent.command()));
                }
                out.println("  source: " + safe(p.source().detail()));
            }
            ProcessInfo first = t.newcomers().get(0);
            String by = first.ancestry().isEmpty()
                    ? "a new process"
                    : "its parent " + safe(first.ancestry().get(0).name()) + " (pid "
                            + first.ancestry().get(0).pid() + ")";
            Optional<Manager> manager = PortFreer.manager(first.source());
            if (manager.isPresent() && manager.get().stopCommand().isPresent()) {
                out.println(safe(first.source().detail()) + " started it again: stop that instead:");
                out.println("  " + safe(manager.get().stopCommand().get()));
            } else {
                out.println("Something restarts it: stop " + by + " or the unit that runs it, not the process.");
            }
            return Optional.of("port " + port + " was taken again by pid " + first.pid() + ", started by " + by);
        }
        if (o instanceof Outcome.HeldUnseen u) {
            out.println("Port " + port + " is still held, by an owner portlens cannot see: " + safe(u.reason()));
            return Optional.of("port " + port + " is still held: " + u.reason());
        }
        if (o instanceof Outcome.IdentityChanged c) {
            ProcessInfo p = c.shown();
            String now = c.now().isEmpty()
                    ? "it exited"
                    : "pid " + p.pid() + " is now another process ("
                            + safe(c.now().get().name()) + ", started "
                            + start(c.now().get()) + ")";
            out.println("Nothing sent: pid " + p.pid() + " is no longer the " + safe(p.name()) + " started " + start(p)
                    + " that was shown: " + now + ". Run portlens free again to see what holds the port.");
            return Optional.of(
                    "nothing sent: pid " + p.pid() + " changed between the look and the signal (" + now + ")");
        }
        Outcome.NotSent n = (Outcome.NotSent) o;
        out.println("Nothing sent to pid " + n.target().pid() + ": " + safe(n.reason()));
        return Optional.of("could not signal pid " + n.target().pid() + ": " + n.reason());
    }

    private static String who(ProcessInfo p) {
        return "pid " + p.pid() + " (" + safe(p.name()) + ", user " + safe(p.user()) + ")";
    }

    private static String start(ProcessInfo p) {
        return p.startTime() == null ? "at an unknown time" : utc(p.startTime());
    }
}

package org.portlens.web;

import java.util.ArrayList;
import java.util.List;
import org.portlens.Explanation;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.ProcessInfo;
import org.portlens.model.RuleForward;

/**
 * A forward as a page shows it, one line each: where it leads, who serves it there, what it speaks, what
 * could not be followed. Every text from another program (process names, namespace and chain names) has
 * its control characters made visible here; the template escapes it for HTML. Immutable; safe from any
 * thread.
 *
 * @param head  the forward in a few words ({@code tcp 8080 forwarded by a NAT rule (nft, chain DOCKER)})
 * @param lines the rest, in order
 */
public record ForwardLines(String head, List<String> lines) {

    /** Copies the lines. */
    public ForwardLines {
        lines = List.copyOf(lines);
    }

    /** A forwarding owner's target and the listeners serving it. */
    static List<String> of(Forward f) {
        List<String> out = new ArrayList<>();
        String to = f.targetPort() == 0
                ? "a target its command line does not name"
                : f.targetAddress().isEmpty() ? "port " + f.targetPort() + " of the namespace it serves" : f.target();
        out.add("to " + ListenerView.safe(to) + " (" + ListenerView.safe(f.program()) + ", pid " + f.pid() + ")");
        served(f.servers(), out);
        for (String n : f.notes()) {
            out.add((f.servers().isEmpty() ? "not followed: " : "") + ListenerView.safe(n));
        }
        return out;
    }

    /** A port forwarded by a NAT rule, with what its target speaks. */
    static ForwardLines of(Explanation.ExplainedRule x) {
        RuleForward r = x.rule();
        String head = r.transport().label() + " " + r.port() + " forwarded by a NAT rule"
                + (r.namespace().current()
                        ? ""
                        : " [" + ListenerView.safe(r.namespace().label()) + "]")
                + " (" + ListenerView.safe(r.tool())
                + (r.chain().isEmpty() ? "" : ", chain " + ListenerView.safe(String.join(" → ", r.chain())))
                + ", for packets to " + ListenerView.safe(r.matches()) + ")";
        List<String> out = new ArrayList<>();
        out.add((r.redirect() ? "redirects to " : "forwards to ") + ListenerView.safe(r.target()));
        served(r.servers(), out);
        if (x.wire().isPresent()) {
            out.add("wire: " + ListenerView.safe(x.wire().get().summary()) + " (probed at "
                    + ListenerView.safe(x.probedAt()) + ", where the rule leads)");
        } else if (!x.notProbed().isEmpty()) {
            out.add("wire not probed: " + ListenerView.safe(x.notProbed()));
        }
        for (String n : r.notes()) {
            out.add("not followed: " + ListenerView.safe(n));
        }
        return new ForwardLines(head, out);
    }

    private static void served(List<Listener> servers, List<String> out) {
        for (Listener l : servers) {
            StringBuilder b = new StringBuilder("served by ")
                    .append(l.transport().label())
                    .append(' ')
                    .append(ListenerView.safe(l.local().hostPort()));
            if (!l.namespace().current()) {
                b.append(" [").append(ListenerView.safe(l.namespace().label())).append(']');
            }
            for (ProcessInfo p : l.processes()) {
                b.append(", ")
                        .append(ListenerView.safe(p.name()))
                        .append(" (pid ")
                        .append(p.pid())
                        .append(')');
                if (!p.containerName().isEmpty()) {
                    b.append(" in container ").append(ListenerView.safe(p.containerName()));
                }
            }
            if (l.processes().isEmpty()) {
                b.append(", owner not seen");
            }
            out.add(b.toString());
        }
    }
}

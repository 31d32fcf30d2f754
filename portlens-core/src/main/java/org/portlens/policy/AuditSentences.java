package org.portlens.policy;

import java.util.List;
import org.portlens.findings.Exposure;
import org.portlens.findings.Holder;
import org.portlens.findings.Sentences;
import org.portlens.model.BindScope;
import org.portlens.model.Listener;
import org.portlens.model.ProcessInfo;

/**
 * Audit findings in plain English, one or two sentences each, with the same facts as
 * {@code portlens PORT} (owner, why it runs, exposure): the words every front end shows. Pure
 * functions; safe from any thread. The text is not escaped: it carries process names, so a renderer
 * escapes it for its medium.
 */
public final class AuditSentences {

    private AuditSentences() {}

    /**
     * The sentence for a finding.
     *
     * @param f any audit finding
     * @return one or two sentences, ending with a full stop, not escaped
     */
    public static String of(PolicyFinding f) {
        if (f instanceof PolicyFinding.Unexpected u) {
            return "Not in the policy: " + where(u.listener()) + " " + who(u.listener());
        }
        if (f instanceof PolicyFinding.Missing m) {
            Expect e = m.expect();
            return "Expected but not listening: " + e.place() + " ("
                    + e.identity().describe()
                    + e.bind().map(b -> ", " + bind(b)).orElse("") + ").";
        }
        if (f instanceof PolicyFinding.WiderExposure w) {
            Listener l = w.listener();
            String allowed = w.expect().bind().map(AuditSentences::bind).orElse("any bind");
            return "Bound wider than the policy allows: " + w.expect().place() + " may listen on " + allowed + ", but "
                    + where(l) + " " + who(l);
        }
        if (f instanceof PolicyFinding.OtherOwner o) {
            Listener l = o.listener();
            return "Held by another owner than the policy names: " + where(l) + " should be held by "
                    + o.expect().identity().describe() + ", but " + who(l);
        }
        PolicyFinding.OwnerUnknown u = (PolicyFinding.OwnerUnknown) f;
        return "Could not check who holds " + where(u.listener()) + " (the policy names "
                + u.expect().identity().describe() + "): " + u.reason() + "; this part of the audit is partial.";
    }

    /**
     * Why a listener's owner is not shown: the reason of its hidden owner, that its process exited,
     * or that no process holds it.
     *
     * @param l a listener with no known owner
     * @return the reason, without a full stop, not escaped
     */
    public static String ownerReason(Listener l) {
        return Audit.unknownReason(l);
    }

    /** {@code tcp 127.0.0.1:3640}. */
    private static String where(Listener l) {
        return l.transport().label() + " " + l.local().hostPort()
                + (l.namespace().current() ? "" : " (" + l.namespace().label() + ")");
    }

    /** "is held by …, reachable …." or "is reachable …, and its owner is not shown: …." */
    private static String who(Listener l) {
        List<ProcessInfo> ps = l.processes();
        if (ps.isEmpty()) {
            String reason = Audit.unknownReason(l);
            return "is " + Sentences.exposure(exposure(l)) + ", and its owner is not shown: " + reason + ".";
        }
        Holder h = new Holder(l.transport(), l.local().port(), ps.get(0), ps.size() - 1, exposure(l));
        return "is held by " + Sentences.holder(h);
    }

    private static Exposure exposure(Listener l) {
        return new Exposure(l.local().scope(), l.local().address(), l.namespace());
    }

    /** "loopback only", "all interfaces", "192.0.2.10 only". */
    static String bind(Bind b) {
        return b.scope() == BindScope.ADDRESS
                ? b.address() + " only"
                : b.scope().description();
    }
}

package org.portlens.watch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.portlens.policy.Audit;
import org.portlens.policy.PolicyFinding;

/**
 * The policy findings that are new at each audit of a watch: a finding is reported when it
 * appears, not again while it lasts, and again if it goes away and comes back. A finding is the
 * same while its kind, place and policy entry are (and, for another owner, the executable). Not
 * thread-safe.
 */
public final class Violations {

    private Set<String> current = Set.of();

    /** A fresh tracker that has seen no finding. */
    public Violations() {}

    /**
     * The findings of {@code audit} that the previous audit did not have.
     *
     * @param audit this read's audit
     * @return the new findings, in the audit's order
     */
    public List<PolicyFinding> next(Audit audit) {
        Set<String> now = new HashSet<>();
        List<PolicyFinding> fresh = new ArrayList<>();
        for (PolicyFinding f : audit.findings()) {
            String key = key(f);
            if (now.add(key) && !current.contains(key)) {
                fresh.add(f);
            }
        }
        current = now;
        return fresh;
    }

    /** What makes two findings of successive audits the same finding. */
    static String key(PolicyFinding f) {
        String key = f.kind() + " "
                + f.subject().map(Place::of).map(Place::toString).orElse("") + " "
                + f.expected().map(Object::toString).orElse("");
        if (f instanceof PolicyFinding.OtherOwner o) {
            key += " " + o.actual().executable() + " " + o.actual().name();
        }
        return key;
    }
}

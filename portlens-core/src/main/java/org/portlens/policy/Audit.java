package org.portlens.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.portlens.discovery.Discovery;
import org.portlens.model.Coverage;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;

/**
 * A policy held against what listens: the findings, in listener order (transport, port, address)
 * and then the missing entries in policy order. A pure function of the policy and the socket
 * table; pids play no part, so a restarted server is no finding.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param findings what was found, violations and {@link PolicyFinding.OwnerUnknown}
 * @param checked  how many listeners were held against the policy (not ignored)
 * @param ignored  how many listeners an ignore rule passed over
 * @param coverage what the socket table could see
 */
public record Audit(List<PolicyFinding> findings, int checked, int ignored, Coverage coverage) {

    /**
     * Copies the findings.
     *
     * @param findings what was found; copied
     * @param checked  listeners held against the policy
     * @param ignored  listeners passed over
     * @param coverage what the socket table could see
     */
    public Audit {
        findings = List.copyOf(findings);
    }

    private static final Comparator<Listener> ORDER = Comparator.comparing((Listener l) -> l.transport())
            .thenComparingInt(l -> l.local().port())
            .thenComparing(l -> l.local().address())
            .thenComparingLong(l -> l.namespace().inode());

    /**
     * Audits a socket table against a policy.
     *
     * @param policy    what should listen
     * @param discovery what listens (every port, tcp and udp, for a full audit)
     * @return the findings
     */
    public static Audit of(Policy policy, Discovery discovery) {
        List<PolicyFinding> out = new ArrayList<>();
        Set<Expect> met = new LinkedHashSet<>();
        int checked = 0;
        int ignored = 0;
        List<Listener> listeners = new ArrayList<>(discovery.listeners());
        listeners.sort(ORDER);
        for (Listener l : listeners) {
            List<Expect> places =
                    policy.expect().stream().filter(e -> e.placeMatches(l)).toList();
            // an ignore rule covers what no expect entry speaks for: a server expected inside an ignored
            // range (WireGuard's 51820 in the ephemeral range) still meets its entry
            if (places.isEmpty() && policy.ignore().stream().anyMatch(i -> i.matches(l))) {
                ignored++;
                continue;
            }
            checked++;
            if (places.isEmpty()) {
                out.add(new PolicyFinding.Unexpected(l));
                continue;
            }
            judge(l, places, met, out);
        }
        for (Expect e : policy.expect()) {
            if (e.required() && !met.contains(e)) {
                out.add(new PolicyFinding.Missing(e));
            }
        }
        return new Audit(out, checked, ignored, discovery.coverage());
    }

    private static void judge(Listener l, List<Expect> places, Set<Expect> met, List<PolicyFinding> out) {
        List<ProcessInfo> processes = l.processes();
        List<Expect> owners;
        if (processes.isEmpty()) {
            // hidden, gone or no process: only an entry for any owner can be judged
            owners = places.stream().filter(e -> e.identity().any()).toList();
            if (owners.isEmpty()) {
                met.addAll(places); // it may well be the expected one: never call it missing
                Expect e = places.get(0);
                out.add(new PolicyFinding.OwnerUnknown(l, e, unknownReason(l)));
                if (places.stream().noneMatch(p -> allows(p, l))) {
                    out.add(new PolicyFinding.WiderExposure(l, e));
                }
                return;
            }
        } else {
            owners = places.stream()
                    .filter(e -> processes.stream().anyMatch(p -> e.identity().matches(p)))
                    .toList();
            if (owners.isEmpty()) {
                met.addAll(places); // reported as held by another, not also as missing
                out.add(new PolicyFinding.OtherOwner(l, places.get(0), processes.get(0)));
                return;
            }
        }
        List<Expect> allowed = owners.stream().filter(e -> allows(e, l)).toList();
        if (!allowed.isEmpty()) {
            met.addAll(allowed); // every entry it satisfies, not the first only
        } else {
            met.add(owners.get(0));
            out.add(new PolicyFinding.WiderExposure(l, owners.get(0)));
        }
    }

    private static boolean allows(Expect e, Listener l) {
        return e.bind().map(b -> b.allows(l.local())).orElse(true);
    }

    static String unknownReason(Listener l) {
        for (Owner o : l.owners()) {
            if (o instanceof Owner.Hidden h) {
                return h.reason();
            }
            if (o instanceof Owner.Gone g) {
                return "its process (pid " + g.pid() + ") exited while portlens read it";
            }
            if (o instanceof Owner.None n) {
                return "no process holds it: " + n.reason();
            }
        }
        return "no owner was found";
    }

    /**
     * The violations: every finding but {@link PolicyFinding.OwnerUnknown}.
     *
     * @return the findings that break the policy
     */
    public List<PolicyFinding> violations() {
        return findings.stream().filter(PolicyFinding::violation).toList();
    }

    /**
     * Whether the host meets the policy, as far as could be seen.
     *
     * @return true when there is no violation
     */
    public boolean clean() {
        return violations().isEmpty();
    }

    /**
     * Whether part of the audit could not be judged: an owner at an expected place was unknown.
     *
     * @return true when some finding is {@link PolicyFinding.OwnerUnknown}
     */
    public boolean partial() {
        return findings.stream().anyMatch(f -> !f.violation());
    }
}

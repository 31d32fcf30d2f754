package org.portlens.probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Transport;

/**
 * The signatures a prober runs and the order it tries them in for one port: the signatures' own
 * order with the plausible ones first (a process name in a probe's hints counts most, then the
 * port, then an IANA service name). Immutable; safe from any thread.
 */
final class ProbePlan {

    /** The name of the step that waits for a server that speaks first. */
    static final String BANNER = "banner";

    private final List<Signature> signatures;
    private final Map<String, Signature> tcpByName;
    private final List<ResponseMatcher> passiveTcp;
    private final List<ResponseMatcher> nmapTcp;
    private final List<ResponseMatcher> nmapUdp;

    /**
     * One step of a plan: a signature, or (sig null) the wait for a banner.
     *
     * @param score how plausible the step is for the port and hints; higher is tried first
     */
    record Step(String name, @Nullable Signature sig, int score) {
        boolean banner() {
            return sig == null;
        }
    }

    /**
     * A plan over {@code ordered}; of signatures with the same name and transport, the first wins.
     *
     * @throws IllegalArgumentException when a tls probe runs an unknown probe inside
     */
    ProbePlan(List<Signature> ordered) {
        List<Signature> all = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Signature s : ordered) {
            if (names.add(s.transport().label() + " " + s.name())) {
                all.add(s);
            }
        }
        this.signatures = List.copyOf(all);
        Map<String, Signature> byName = new HashMap<>();
        for (Signature s : signatures) {
            if (s.transport() == Transport.TCP) {
                byName.putIfAbsent(s.name(), s);
            }
        }
        this.tcpByName = Map.copyOf(byName);
        for (Signature s : signatures) {
            for (String in : s.inside()) {
                Signature t = tcpByName.get(in);
                if (t == null || t.passive() || t.handler() != Signature.Handler.NONE) {
                    throw new IllegalArgumentException("probe '" + s.name() + "' (" + s.origin() + ") runs '" + in
                            + "' inside TLS, but there is no tcp probe of that name with a send line");
                }
            }
        }
        List<ResponseMatcher> passive = new ArrayList<>();
        for (Signature s : signatures) {
            if (s.transport() == Transport.TCP && s.passive()) {
                passive.addAll(s.matchers());
            }
        }
        this.passiveTcp = List.copyOf(passive);
        this.nmapTcp = nmapMatchers(signatures, Transport.TCP);
        this.nmapUdp = nmapMatchers(signatures, Transport.UDP);
    }

    /** All signatures in their default order (before hints reorder them). */
    List<Signature> signatures() {
        return signatures;
    }

    /** The matchers of the passive tcp (banner) signatures, tried on every tcp answer. */
    List<ResponseMatcher> passiveTcpMatchers() {
        return passiveTcp;
    }

    /**
     * The matchers of nmap's probes ({@link NmapProbes}, when they are among the signatures) of
     * {@code transport}, in order: an answer that matched nothing is tried against them to describe it.
     */
    List<ResponseMatcher> answerMatchers(Transport transport) {
        return transport == Transport.UDP ? nmapUdp : nmapTcp;
    }

    private static List<ResponseMatcher> nmapMatchers(List<Signature> signatures, Transport transport) {
        List<ResponseMatcher> out = new ArrayList<>();
        for (Signature s : signatures) {
            if (s.transport() == transport && s.name().startsWith(NmapProbes.PREFIX)) {
                out.addAll(s.matchers());
            }
        }
        return List.copyOf(out);
    }

    /** The tcp probes {@code tls} runs inside its session, in order. */
    List<Signature> inside(Signature tls) {
        List<Signature> out = new ArrayList<>();
        for (String name : tls.inside()) {
            out.add(tcpByName.get(name));
        }
        return out;
    }

    /** The steps for {@code port}, most plausible first; the banner wait is one step for all passive signatures. */
    List<Step> plan(int port, Transport transport, Hints hints) {
        List<Step> steps = new ArrayList<>();
        int bannerAt = -1;
        int bannerScore = 0;
        for (Signature s : signatures) {
            if (s.transport() != transport) {
                continue;
            }
            int score = score(s, port, hints);
            if (s.passive()) {
                // the wait sends nothing, so by default it comes first, before even the user's probes
                if (bannerAt < 0) {
                    bannerAt = 0;
                    steps.add(0, null);
                }
                bannerScore = Math.max(bannerScore, score);
            } else {
                steps.add(new Step(s.name(), s, score));
            }
        }
        if (bannerAt >= 0) {
            steps.set(bannerAt, new Step(BANNER, null, bannerScore));
        }
        steps.sort(Comparator.comparingInt(Step::score).reversed());
        return steps;
    }

    /**
     * The names of the steps a probe of {@code port} would try, in order, before any answer cuts
     * the list short: "banner" for the wait for a server that speaks first, else probe names. A
     * banner wait that is not first is left out: it is skipped then.
     */
    List<String> order(int port, Transport transport, Hints hints) {
        List<String> out = new ArrayList<>();
        List<Step> steps = plan(port, transport, hints);
        for (int i = 0; i < steps.size(); i++) {
            if (!steps.get(i).banner() || i == 0) {
                out.add(steps.get(i).name());
            }
        }
        return out;
    }

    static int score(Signature s, int port, Hints hints) {
        int score = 0;
        for (String p : hints.processNames()) {
            if (s.hintedBy(p)) {
                score += 4;
                break;
            }
        }
        if (s.plausibleOn(port)) {
            score += 2;
        }
        for (String n : hints.ianaNames()) {
            if (s.hintedBy(n)) {
                score += 1;
                break;
            }
        }
        return score;
    }

    /** Whether a step can still confirm a soft match of {@code protocol}. */
    boolean canConfirm(Signature s, String protocol) {
        if (s.canIdentify(protocol)) {
            return true;
        }
        if (s.handler() == Signature.Handler.TLS) {
            if (protocol.equals("tls") || protocol.equals("https")) {
                return true;
            }
            if (protocol.endsWith("s")) {
                String inner = protocol.substring(0, protocol.length() - 1);
                for (String name : s.inside()) {
                    Signature in = tcpByName.get(name);
                    if (in != null && in.canIdentify(inner)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

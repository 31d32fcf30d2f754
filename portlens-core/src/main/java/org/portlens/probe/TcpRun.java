package org.portlens.probe;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import org.portlens.probe.ProbePlan.Step;

/**
 * The TCP side of an identification: the wait for a banner when it is the first step, then the
 * probes in plan order, each on a fresh connection (the silent banner connection is reused by the
 * first), each run by the exchange of its {@link Signature.Handler}, until one decides the result
 * or the budget is spent. After a soft match only the steps that can confirm it run. Safe from any
 * thread: the state of a run is in its {@link Attempt}.
 */
final class TcpRun {

    private final ProbePlan plan;
    private final TlsExchange tls;

    TcpRun(ProbePlan plan) {
        this.plan = plan;
        this.tls = new TlsExchange(plan);
    }

    Wire run(Attempt a, List<Step> steps) {
        Evidence ev = a.evidence();
        List<ResponseMatcher> passive = plan.passiveTcpMatchers();
        Socket pending = null;
        try {
            int index = 0;
            if (!steps.isEmpty() && steps.get(0).banner()) {
                index = 1;
                Socket s;
                try {
                    s = a.connect();
                } catch (IOException e) {
                    return ev.noConnection(Attempt.classifyConnect(e), a.describeConnect(e));
                }
                PlainExchange.Banner b = PlainExchange.banner(a, s, passive);
                if (b instanceof PlainExchange.Banner.Done done) {
                    return done.wire();
                }
                if (b instanceof PlainExchange.Banner.Silent silent) {
                    pending = silent.connection();
                }
            }
            for (; index < steps.size(); index++) {
                Step step = steps.get(index);
                Signature sig = step.sig();
                if (sig == null) {
                    continue; // the banner wait: a banner is also recognised in the answers to the probes
                }
                Optional<String> soft = ev.softProtocol();
                if (soft.isPresent() && !plan.canConfirm(sig, soft.get())) {
                    continue;
                }
                if (a.outOfTime()) {
                    break;
                }
                Socket s = pending;
                pending = null;
                if (s == null) {
                    try {
                        s = a.connect();
                    } catch (IOException e) {
                        if (!a.connectedOnce()) {
                            return ev.noConnection(Attempt.classifyConnect(e), a.describeConnect(e));
                        }
                        ev.lastError(a.describeConnect(e));
                        break;
                    }
                }
                ev.tried(step.name());
                Wire done = switch (sig.handler()) {
                    case NONE -> PlainExchange.probe(a, s, sig, passive);
                    case TLS -> tls.probe(a, s, sig, passive);
                };
                if (done != null) {
                    return done;
                }
            }
        } finally {
            if (pending != null) {
                Attempt.close(pending);
            }
        }
        return ev.finish();
    }
}

package org.portlens.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;
import org.portlens.probe.Exchange.Response;
import org.portlens.probe.ProbePlan.Step;

/**
 * The UDP exchanges: each probe is one datagram from a socket of its own, answered within the
 * probe timeout or not at all. Stateless; safe from any thread.
 */
final class UdpExchange {

    private UdpExchange() {}

    /** Tries {@code steps} in order until one answer decides the result. */
    static Wire run(Attempt a, List<Step> steps) {
        Evidence ev = a.evidence();
        for (Step step : steps) {
            Signature sig = step.sig();
            if (sig == null) {
                continue;
            }
            Optional<String> soft = ev.softProtocol();
            if (soft.isPresent() && !sig.canIdentify(soft.get())) {
                continue;
            }
            if (a.outOfTime()) {
                break;
            }
            ev.tried(step.name());
            try (DatagramSocket ds = new DatagramSocket()) {
                ds.connect(a.target());
                ds.setSoTimeout((int) Math.max(1, a.options().probeTimeout().toMillis()));
                byte[] payload = sig.payload();
                ds.send(new DatagramPacket(payload, payload.length));
                byte[] buf = new byte[a.options().maxBytes()];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                ds.receive(p);
                Response r = new Response(buf, p.getLength(), false, "");
                Wire done = ev.consider(Matching.identify(sig.matchers(), buf, p.getLength()), r, step.name());
                if (done != null) {
                    return done;
                }
            } catch (PortUnreachableException e) {
                return ev.noConnection(Wire.ConnectFailure.REFUSED, "port unreachable");
            } catch (SocketTimeoutException e) {
                ev.silent();
            } catch (IOException | RuntimeException e) {
                ev.lastError(Exchange.describe(e instanceof IOException io ? io : new IOException(e.getMessage())));
                if (ev.triedCount() == 1) {
                    // the first datagram could not even be sent (no route, say): nothing was reached
                    return e instanceof IOException io
                            ? ev.noConnection(Attempt.classifyConnect(io), ev.lastError())
                            : ev.none(ev.lastError());
                }
                break;
            }
        }
        return ev.finish();
    }
}

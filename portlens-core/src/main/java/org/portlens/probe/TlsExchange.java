package org.portlens.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.portlens.probe.Exchange.PlainConn;
import org.portlens.probe.Exchange.Response;
import org.portlens.probe.Matching.Identification;

/**
 * The {@link Signature.Handler#TLS} exchange: a handshake offering ALPN, then the probes named
 * {@code inside} run in the session ("https", "imaps", …, else "tls"). A server that answers the
 * ClientHello in plain text is matched by the inside probes' matchers; one that fails the handshake
 * is still reported as TLS. Safe from any thread: the only state is the trusting SSL context, made
 * when first needed (two threads may each make one; either serves).
 */
final class TlsExchange {

    private static final int HANDSHAKE_LIMIT = 64 * 1024;
    private static final String[] ALPN_OFFER = {"h2", "http/1.1"};
    private static final String[] ALPN_HTTP1 = {"http/1.1"};

    private final ProbePlan plan;
    private volatile @Nullable SSLContext context;

    TlsExchange(ProbePlan plan) {
        this.plan = plan;
    }

    private SSLContext context() {
        SSLContext c = context;
        if (c == null) {
            c = TlsSession.trustingContext();
            context = c;
        }
        return c;
    }

    private int handshakeLimit(Attempt a) {
        return Math.max(HANDSHAKE_LIMIT, a.options().maxBytes());
    }

    /**
     * Runs {@code sig} on {@code s}, and closes it. Returns the final result when the port spoke
     * TLS or answered an inside probe, else null.
     */
    @Nullable
    Wire probe(Attempt a, Socket s, Signature sig, List<ResponseMatcher> passive) {
        Evidence ev = a.evidence();
        // the wait for the handshake counts from the step's start: the first TLS context of a JVM
        // takes a while to make, and that should not add to a silent port's time; but at least half
        // a probe timeout is left for the server's answer
        long stepDeadline = a.probeDeadline();
        InetSocketAddress target = a.target();
        List<Signature> inside = plan.inside(sig);
        List<ResponseMatcher> insideMatchers = new ArrayList<>();
        for (Signature in : inside) {
            insideMatchers.addAll(in.matchers());
        }
        TlsSession t;
        try {
            t = new TlsSession(s, context(), target.getHostString(), target.getPort(), ALPN_OFFER);
        } catch (IOException e) {
            ev.lastError(Exchange.describe(e));
            Attempt.close(s);
            return null;
        }
        long half = (a.probeDeadline() - System.nanoTime()) / 2;
        TlsSession.Outcome o = t.handshake(Math.max(stepDeadline, System.nanoTime() + half), handshakeLimit(a));
        switch (o) {
            case SILENT -> {
                t.close();
                ev.silent();
                return null;
            }
            case NOT_TLS -> {
                try (PlainConn c = new PlainConn(s, t.raw())) {
                    Response r = a.read(c, Attempt.concat(insideMatchers, passive), a.probeDeadline());
                    return ev.consider(Attempt.identify(insideMatchers, passive, r), r, sig.name());
                } catch (IOException e) {
                    ev.lastError(Exchange.describe(e));
                    return null;
                }
            }
            case TLS_FAILED -> {
                t.close();
                byte[] raw = t.raw();
                if (t.rawTotal() == 0) {
                    ev.lastError(t.failure());
                    return null;
                }
                Map<String, String> d = new LinkedHashMap<>();
                d.put("handshake", Matching.clean("failed: " + t.failure()));
                Identification id = new Identification("tls", "", "", d, false, sig.origin());
                return ev.result(id, null, new Response(raw, raw.length, false, ""), t.rawTotal());
            }
            default -> {
                return established(a, t, sig, inside, passive);
            }
        }
    }

    /** After a handshake: the inside probes, each on a fresh session when the first is used up or speaks h2. */
    private Wire established(
            Attempt a, TlsSession first, Signature sig, List<Signature> inside, List<ResponseMatcher> passive) {
        Evidence ev = a.evidence();
        InetSocketAddress target = a.target();
        TlsInfo info = first.info();
        String alpn = first.alpn();
        byte[] raw = first.raw();
        int rawTotal = first.rawTotal();
        Identification inner = null;
        Response innerResponse = null;
        boolean h2 = alpn.equals("h2");
        TlsSession session = first;
        for (int i = 0; i < inside.size() && inner == null; i++) {
            Signature in = inside.get(i);
            if (i > 0 || h2) {
                // a fresh session: the first one is used up, or speaks HTTP/2 where the inner probe speaks HTTP/1.x
                session.close();
                session = null;
                if (a.outOfTime()) {
                    break;
                }
                try {
                    Socket s = a.connect();
                    session = new TlsSession(s, context(), target.getHostString(), target.getPort(), ALPN_HTTP1);
                    if (session.handshake(a.probeDeadline(), handshakeLimit(a)) != TlsSession.Outcome.ESTABLISHED) {
                        session.close();
                        session = null;
                        break;
                    }
                } catch (IOException e) {
                    ev.lastError(Exchange.describe(e));
                    break;
                }
            }
            try {
                session.write(in.payload());
            } catch (IOException e) {
                ev.lastError(Exchange.describe(e));
            }
            Response r = a.read(session, Attempt.concat(in.matchers(), passive), a.probeDeadline());
            inner = Attempt.identify(in.matchers(), passive, r);
            if (inner != null || innerResponse == null || innerResponse.empty()) {
                innerResponse = r;
            }
        }
        if (session != null) {
            session.close();
        }
        String protocol;
        if (inner != null) {
            protocol = inner.protocol().startsWith("http") ? "https" : inner.protocol() + "s";
        } else {
            protocol = h2 || alpn.equals("http/1.1") ? "https" : "tls";
        }
        Map<String, String> details = new LinkedHashMap<>();
        if (inner != null) {
            details.putAll(inner.details());
        }
        if (!alpn.isEmpty()) {
            details.put("alpn", Matching.clean(alpn));
        }
        Identification id = new Identification(
                protocol,
                inner == null ? "" : inner.product(),
                inner == null ? "" : inner.version(),
                details,
                false,
                sig.origin());
        if (innerResponse != null && !innerResponse.empty()) {
            return ev.result(id, info, innerResponse, innerResponse.length());
        }
        return ev.result(id, info, new Response(raw, raw.length, false, ""), rawTotal);
    }
}

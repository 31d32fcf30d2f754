package org.portlens.probe;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.portlens.probe.Exchange.PlainConn;
import org.portlens.probe.Exchange.Response;

/**
 * The plain TCP exchanges: the wait for a server that speaks first, and one probe's
 * send-and-read. Each reports what it got to the attempt's {@link Evidence}. Stateless; safe from
 * any thread.
 */
final class PlainExchange {

    /** What the banner wait came to. */
    sealed interface Banner {
        /** The banner decided the result. */
        record Done(Wire wire) implements Banner {}

        /** The server said nothing and kept the connection open: the next probe may use it. */
        record Silent(Socket connection) implements Banner {}

        /** The server spoke without deciding the result, or closed the connection: go on. */
        record GoOn() implements Banner {}
    }

    private PlainExchange() {}

    /**
     * Waits {@link ProbeOptions#bannerWait()} on {@code s} for a server that speaks first; closes
     * {@code s} unless the server stayed silent.
     */
    static Banner banner(Attempt a, Socket s, List<ResponseMatcher> passive) {
        PlainConn c;
        try {
            c = new PlainConn(s);
        } catch (IOException e) {
            Attempt.close(s);
            return new Banner.Done(a.evidence().none(Exchange.describe(e)));
        }
        a.evidence().tried(ProbePlan.BANNER);
        Response r = a.read(c, passive, a.bannerDeadline());
        if (!r.empty()) {
            c.close();
            Wire done = a.evidence().consider(Matching.identify(passive, r.data(), r.length()), r, ProbePlan.BANNER);
            return done != null ? new Banner.Done(done) : new Banner.GoOn();
        }
        if (r.eof()) {
            c.close();
            a.evidence().closed();
            return new Banner.GoOn();
        }
        return new Banner.Silent(s);
    }

    /**
     * Sends {@code sig}'s payload on {@code s} and reads the answer; closes {@code s}. Returns the
     * final result for a confident match, else null.
     */
    static @Nullable Wire probe(Attempt a, Socket s, Signature sig, List<ResponseMatcher> passive) {
        Evidence ev = a.evidence();
        try (PlainConn c = new PlainConn(s)) {
            try {
                c.write(sig.payload());
            } catch (IOException e) {
                ev.lastError(Exchange.describe(e)); // a server that spoke and hung up may still have left its words
            }
            Response r = a.read(c, Attempt.concat(sig.matchers(), passive), a.probeDeadline());
            ev.count(r);
            return ev.consider(Attempt.identify(sig.matchers(), passive, r), r, sig.name());
        } catch (IOException e) {
            Attempt.close(s); // when the connection could not even be set up
            ev.lastError(Exchange.describe(e));
            return null;
        }
    }
}

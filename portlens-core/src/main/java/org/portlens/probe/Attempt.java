package org.portlens.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.portlens.probe.Exchange.Conn;
import org.portlens.probe.Exchange.Response;
import org.portlens.probe.Matching.Identification;

/**
 * One identification of one target: where it goes, its limits and time budget, its TCP
 * connections, and the {@link Evidence} its exchanges report to. One per
 * {@link Prober#probe} call; its steps may share it from several threads (the connector and evidence are
 * thread-safe, the rest does not change).
 */
final class Attempt {

    /** After a firm match, how long more of quiet to wait for the rest of a burst. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(30);
    /** After bytes that match nothing yet, how long more of quiet to wait for more. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(120);

    private final InetSocketAddress target;
    private final ProbeOptions options;
    private final Connector connector;
    private final long start = System.nanoTime();
    private final long budgetEnd;
    private final Evidence evidence;
    private volatile boolean connectedOnce;

    /** Starts the clock: the budget is a connect, the banner wait and {@code budgetProbes} probe timeouts. */
    Attempt(InetSocketAddress target, ProbeOptions options, Connector connector, int budgetProbes) {
        this.target = target;
        this.options = options;
        this.connector = connector;
        this.budgetEnd = start
                + TimeUnit.MILLISECONDS.toNanos(options.connectTimeout().toMillis()
                        + options.bannerWait().toMillis()
                        + budgetProbes * options.probeTimeout().toMillis());
        this.evidence = new Evidence(start, options.probeTimeout());
    }

    InetSocketAddress target() {
        return target;
    }

    ProbeOptions options() {
        return options;
    }

    Evidence evidence() {
        return evidence;
    }

    /** When an answer to a probe sent now must have come (nanoTime). */
    long probeDeadline() {
        return System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(options.probeTimeout().toMillis());
    }

    /** When a banner waited for from now must have come (nanoTime). */
    long bannerDeadline() {
        return System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(options.bannerWait().toMillis());
    }

    /** True once the time budget is spent (noted in the evidence) or the thread is interrupted. */
    boolean outOfTime() {
        if (System.nanoTime() - budgetEnd >= 0) {
            evidence.budgetSpent(TimeUnit.NANOSECONDS.toMillis(budgetEnd - start));
            return true;
        }
        return Thread.currentThread().isInterrupted();
    }

    /** Opens a new TCP connection to the target through the connector. */
    Socket connect() throws IOException {
        Socket s = connector.connect(target, options.connectTimeout());
        connectedOnce = true;
        return s;
    }

    /** Whether some connection to the target has succeeded. */
    boolean connectedOnce() {
        return connectedOnce;
    }

    /** What kind of connect failure {@code e} is. */
    static Wire.ConnectFailure classifyConnect(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return Wire.ConnectFailure.TIMED_OUT;
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof NoRouteToHostException || m.contains("unreachable") || m.contains("no route")) {
            return Wire.ConnectFailure.UNREACHABLE;
        }
        if (m.contains("refused")) {
            return Wire.ConnectFailure.REFUSED;
        }
        return Wire.ConnectFailure.FAILED;
    }

    /** A connect failure for people: "connection refused", "timed out after 500 ms", … */
    String describeConnect(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out after " + options.connectTimeout().toMillis() + " ms";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route";
        }
        if (e instanceof UnknownHostException) {
            return "unresolved host " + Matching.clean(target.getHostString());
        }
        if (e instanceof ConnectException
                && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("refused")) {
            return "connection refused";
        }
        return Exchange.describe(e);
    }

    /** Reads an answer on {@code conn} within the limits, watching {@code matchers} to stop early. */
    Response read(Conn conn, List<ResponseMatcher> matchers, long deadline) {
        return Exchange.read(conn, matchers, options.maxBytes(), deadline, SETTLE_NANOS, IDLE_NANOS);
    }

    /** What {@code own} matchers make of an answer, else what the passive (banner) ones do; null for neither. */
    static @Nullable Identification identify(List<ResponseMatcher> own, List<ResponseMatcher> passive, Response r) {
        Identification id = Matching.identify(own, r.data(), r.length());
        return id != null ? id : Matching.identify(passive, r.data(), r.length());
    }

    static List<ResponseMatcher> concat(List<ResponseMatcher> a, List<ResponseMatcher> b) {
        List<ResponseMatcher> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}

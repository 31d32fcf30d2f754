package org.portlens.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.portlens.model.Transport;
import org.portlens.probe.Matching.Identification;
import org.portlens.probe.Exchange.PlainConn;
import org.portlens.probe.Exchange.Response;

/**
 * Finds out what a port speaks by talking to it.
 *
 * <pre>{@code
 * Wire r = Prober.withDefaults().probe(new InetSocketAddress("127.0.0.1", 6379), Transport.TCP,
 *         new Hints(List.of("redis"), List.of("redis-server")));
 * r.protocol();  // "redis"
 * r.version();   // "7.0.15"
 * }</pre>
 *
 * <p>TCP: one connection waits {@link ProbeOptions#bannerWait()} for a server that speaks first; then
 * probes run in order, each on a fresh connection (the silent first one is reused), each bounded by
 * {@link ProbeOptions#probeTimeout()} and {@link ProbeOptions#maxBytes()}, until one matches. The
 * order is the signatures' own (user signatures before the built-in ones) with the plausible ones
 * first: a process name named in a probe's hints counts most, then the port, then an IANA service
 * name. When the most plausible probe is not the banner wait, the wait is skipped: answers of
 * servers that speak first are recognised in any probe's response. No new probe starts after
 * {@link #BUDGET_PROBES} probe timeouts (plus the banner wait and a connect) have passed.
 *
 * <p>UDP: each probe is one datagram, answered within the probe timeout or not at all.
 *
 * <p>Never throws for network trouble: the result's outcome is {@link Wire.Outcome#NONE}, with the reason in
 * {@link Wire#error()}. Immutable and safe to use from many threads at once.
 */
public final class Prober {

    /** How many probe timeouts one identification may spend, beyond the banner wait. */
    public static final int BUDGET_PROBES = 6;

    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(30);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(120);
    private static final int HANDSHAKE_LIMIT = 64 * 1024;
    private static final String[] ALPN_OFFER = {"h2", "http/1.1"};
    private static final String[] ALPN_HTTP1 = {"http/1.1"};

    private final ProbeOptions options;
    private final List<Signature> signatures;
    private final Map<String, Signature> byName = new HashMap<>();
    private volatile SSLContext tlsContext;

    /**
     * A prober with the built-in signatures and {@code extraSignatures}, which are tried first; an
     * extra signature with the name of a built-in one replaces it.
     *
     * @throws IllegalArgumentException when a tls probe runs an unknown probe inside
     */
    public Prober(ProbeOptions options, List<Signature> extraSignatures) {
        this(options, extraSignatures, List.of());
    }

    /**
     * A prober with {@code extraSignatures} first, then the built-in ones, then
     * {@code fallbackSignatures} (such as {@link NmapProbes}'); of signatures with the same name and
     * transport, the first wins.
     *
     * @throws IllegalArgumentException when a tls probe runs an unknown probe inside
     */
    public Prober(ProbeOptions options, List<Signature> extraSignatures, List<Signature> fallbackSignatures) {
        this(concatAll(extraSignatures, SignatureFile.builtIn(), fallbackSignatures), options);
    }

    private static List<Signature> concatAll(List<Signature> a, List<Signature> b, List<Signature> c) {
        List<Signature> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    private Prober(List<Signature> ordered, ProbeOptions options) {
        this.options = options;
        List<Signature> all = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Signature s : ordered) {
            if (names.add(s.transport().label() + " " + s.name())) {
                all.add(s);
            }
        }
        this.signatures = List.copyOf(all);
        for (Signature s : signatures) {
            if (s.transport() == Transport.TCP) {
                byName.putIfAbsent(s.name(), s);
            }
        }
        for (Signature s : signatures) {
            for (String in : s.inside()) {
                Signature t = byName.get(in);
                if (t == null || t.passive() || t.handler() != Signature.Handler.NONE) {
                    throw new IllegalArgumentException("probe '" + s.name() + "' (" + s.origin() + ") runs '" + in
                            + "' inside TLS, but there is no tcp probe of that name with a send line");
                }
            }
        }
    }

    /** The built-in signatures with {@link ProbeOptions#defaults()}. */
    public static Prober withDefaults() {
        return new Prober(ProbeOptions.defaults(), List.of());
    }

    public ProbeOptions options() {
        return options;
    }

    /** All signatures in their default order (before hints reorder them). */
    public List<Signature> signatures() {
        return signatures;
    }

    /**
     * The names of the steps a probe of {@code port} would try, in order, before any answer cuts
     * the list short: "banner" for the wait for a server that speaks first, else probe names.
     */
    public List<String> order(int port, Transport transport, Hints hints) {
        List<String> out = new ArrayList<>();
        List<Step> steps = plan(port, transport, hints);
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).sig != null || i == 0) {
                out.add(steps.get(i).name);
            }
        }
        return out;
    }

    /**
     * Identifies what {@code target} speaks. Never throws for network failures.
     *
     * @param hints what is known about the port beforehand, to try the likely probes first
     */
    public Wire probe(InetSocketAddress target, Transport transport, Hints hints) {
        Run run = new Run(target);
        if (target.isUnresolved()) {
            return run.none("unresolved host " + Matching.clean(target.getHostString()));
        }
        return switch (transport) {
            case TCP -> run.tcp(plan(target.getPort(), Transport.TCP, hints));
            case UDP -> run.udp(plan(target.getPort(), Transport.UDP, hints));
            default -> run.none("cannot probe " + transport.label() + ": only tcp and udp");
        };
    }

    /**
     * One endpoint to identify.
     *
     * @param address   where to connect
     * @param transport tcp or udp
     * @param hints     what is known beforehand, to try the likely probes first
     */
    public record Target(InetSocketAddress address, Transport transport, Hints hints) {
    }

    /**
     * Identifies every target, at most {@code parallelism} at once, each on connections of its own.
     * Returns one result per target, in the targets' order. If the calling thread is interrupted,
     * the targets not yet probed are not started and are left out of the list, so it may be shorter.
     *
     * @throws IllegalArgumentException when parallelism is below 1
     */
    public List<Wire> probeAll(List<Target> targets, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        Wire[] results = new Wire[targets.size()];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] threads = new Thread[Math.min(parallelism, targets.size())];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                int i;
                while (!Thread.currentThread().isInterrupted() && (i = next.getAndIncrement()) < targets.size()) {
                    Target target = targets.get(i);
                    results[i] = probe(target.address(), target.transport(), target.hints());
                }
            }, "portlens-probe-" + t);
            threads[t].setDaemon(true);
            threads[t].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                for (Thread u : threads) {
                    u.interrupt();
                }
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Wire> out = new ArrayList<>();
        for (Wire w : results) {
            if (w == null) {
                break;
            }
            out.add(w);
        }
        return out;
    }

    // ------------------------------------------------------------------ ordering

    /** One step of a plan: a signature, or (sig null) the wait for a banner. */
    private record Step(String name, Signature sig, int score) {
    }

    private List<Step> plan(int port, Transport transport, Hints hints) {
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
            steps.set(bannerAt, new Step("banner", null, bannerScore));
        }
        steps.sort(Comparator.comparingInt((Step s) -> s.score).reversed());
        return steps;
    }

    private static int score(Signature s, int port, Hints hints) {
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

    private List<ResponseMatcher> passiveMatchers(Transport transport) {
        List<ResponseMatcher> out = new ArrayList<>();
        for (Signature s : signatures) {
            if (s.transport() == transport && s.passive()) {
                out.addAll(s.matchers());
            }
        }
        return out;
    }

    private static List<ResponseMatcher> concat(List<ResponseMatcher> a, List<ResponseMatcher> b) {
        List<ResponseMatcher> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Whether a step can still confirm a soft match of {@code protocol}. */
    private static boolean canConfirm(Signature s, String protocol, Map<String, Signature> byName) {
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
                    Signature in = byName.get(name);
                    if (in != null && in.canIdentify(inner)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private SSLContext tls() {
        SSLContext c = tlsContext;
        if (c == null) {
            c = TlsSession.trustingContext();
            tlsContext = c;
        }
        return c;
    }

    // ------------------------------------------------------------------ one identification

    /** The state of one {@link #probe} call. */
    private final class Run {
        private final InetSocketAddress target;
        private final long start = System.nanoTime();
        private final long budgetEnd;
        private final List<String> tried = new ArrayList<>();
        private Identification soft;
        private Response softResponse;
        private Response evidence;
        private String evidenceProbe = "";
        private String lastError = "";
        private boolean connectedOnce;
        private boolean budgetSpent;
        private int closed;
        private int silent;

        Run(InetSocketAddress target) {
            this.target = target;
            this.budgetEnd = start + TimeUnit.MILLISECONDS.toNanos(options.connectTimeout().toMillis()
                    + options.bannerWait().toMillis() + BUDGET_PROBES * options.probeTimeout().toMillis());
        }

        private long probeDeadline() {
            return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.probeTimeout().toMillis());
        }

        private boolean outOfTime() {
            if (System.nanoTime() - budgetEnd >= 0) {
                budgetSpent = true;
                return true;
            }
            return Thread.currentThread().isInterrupted();
        }

        // -------------------------------------------------------------- tcp

        Wire tcp(List<Step> steps) {
            List<ResponseMatcher> passive = passiveMatchers(Transport.TCP);
            Socket pending = null;
            try {
                int index = 0;
                if (!steps.isEmpty() && steps.get(0).sig == null) {
                    index = 1;
                    Socket s;
                    try {
                        s = connect();
                    } catch (IOException e) {
                        return none(describeConnect(e));
                    }
                    PlainConn c;
                    try {
                        c = new PlainConn(s);
                    } catch (IOException e) {
                        close(s);
                        return none(Exchange.describe(e));
                    }
                    tried.add("banner");
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.bannerWait().toMillis());
                    Response r = Exchange.read(c, passive, options.maxBytes(), deadline, SETTLE_NANOS, IDLE_NANOS);
                    if (!r.empty()) {
                        c.close();
                        Wire done = consider(Matching.identify(passive, r.data(), r.length()), r, "banner");
                        if (done != null) {
                            return done;
                        }
                    } else if (r.eof()) {
                        c.close();
                        closed++;
                    } else {
                        pending = s;
                    }
                }
                for (; index < steps.size(); index++) {
                    Step step = steps.get(index);
                    if (step.sig == null) {
                        continue; // a banner is also recognised in the answers to the probes
                    }
                    if (soft != null && !canConfirm(step.sig, soft.protocol(), byName)) {
                        continue;
                    }
                    if (outOfTime()) {
                        break;
                    }
                    Socket s = pending;
                    pending = null;
                    if (s == null) {
                        try {
                            s = connect();
                        } catch (IOException e) {
                            if (!connectedOnce) {
                                return none(describeConnect(e));
                            }
                            lastError = describeConnect(e);
                            break;
                        }
                    }
                    tried.add(step.name);
                    Wire done = step.sig.handler() == Signature.Handler.TLS
                            ? tlsStep(s, step.sig, passive)
                            : plainStep(s, step.sig, passive);
                    if (done != null) {
                        return done;
                    }
                }
            } finally {
                if (pending != null) {
                    try {
                        pending.close();
                    } catch (IOException e) {
                        // nothing to do
                    }
                }
            }
            return finish();
        }

        private Socket connect() throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(target, (int) Math.max(1, options.connectTimeout().toMillis()));
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            connectedOnce = true;
            return s;
        }

        private String describeConnect(IOException e) {
            if (e instanceof SocketTimeoutException) {
                return "timed out after " + options.connectTimeout().toMillis() + " ms";
            }
            if (e instanceof NoRouteToHostException) {
                return "no route";
            }
            if (e instanceof UnknownHostException) {
                return "unresolved host " + Matching.clean(target.getHostString());
            }
            if (e instanceof ConnectException && e.getMessage() != null
                    && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused")) {
                return "connection refused";
            }
            return Exchange.describe(e);
        }

        private Wire plainStep(Socket s, Signature sig, List<ResponseMatcher> passive) {
            try (PlainConn c = new PlainConn(s)) {
                try {
                    c.write(sig.payload());
                } catch (IOException e) {
                    lastError = Exchange.describe(e); // a server that spoke and hung up may still have left its words
                }
                Response r = Exchange.read(c, concat(sig.matchers(), passive), options.maxBytes(), probeDeadline(),
                        SETTLE_NANOS, IDLE_NANOS);
                count(r);
                return consider(identify(sig.matchers(), passive, r), r, sig.name());
            } catch (IOException e) {
                lastError = Exchange.describe(e);
                return null;
            }
        }

        private void count(Response r) {
            if (r.empty()) {
                if (r.eof()) {
                    closed++;
                } else {
                    silent++;
                }
            }
        }

        private Identification identify(List<ResponseMatcher> own, List<ResponseMatcher> passive, Response r) {
            Identification id = Matching.identify(own, r.data(), r.length());
            return id != null ? id : Matching.identify(passive, r.data(), r.length());
        }

        private Wire tlsStep(Socket s, Signature sig, List<ResponseMatcher> passive) {
            List<Signature> inside = new ArrayList<>();
            List<ResponseMatcher> insideMatchers = new ArrayList<>();
            for (String name : sig.inside()) {
                Signature in = byName.get(name);
                inside.add(in);
                insideMatchers.addAll(in.matchers());
            }
            TlsSession t;
            try {
                t = new TlsSession(s, tls(), target.getHostString(), target.getPort(), ALPN_OFFER);
            } catch (IOException e) {
                lastError = Exchange.describe(e);
                close(s);
                return null;
            }
            TlsSession.Outcome o = t.handshake(probeDeadline(), Math.max(HANDSHAKE_LIMIT, options.maxBytes()));
            switch (o) {
                case SILENT -> {
                    t.close();
                    silent++;
                    return null;
                }
                case NOT_TLS -> {
                    try (PlainConn c = new PlainConn(s, t.raw())) {
                        Response r = Exchange.read(c, concat(insideMatchers, passive), options.maxBytes(), probeDeadline(),
                                SETTLE_NANOS, IDLE_NANOS);
                        return consider(identify(insideMatchers, passive, r), r, sig.name());
                    } catch (IOException e) {
                        lastError = Exchange.describe(e);
                        return null;
                    }
                }
                case TLS_FAILED -> {
                    t.close();
                    byte[] raw = t.raw();
                    if (t.rawTotal() == 0) {
                        lastError = t.failure();
                        return null;
                    }
                    Map<String, String> d = new LinkedHashMap<>();
                    d.put("handshake", Matching.clean("failed: " + t.failure()));
                    Identification id = new Identification("tls", "", "", d, false, sig.origin());
                    return result(id, null, new Response(raw, raw.length, false, ""), t.rawTotal());
                }
                default -> {
                    return established(t, sig, inside, passive);
                }
            }
        }

        private Wire established(TlsSession first, Signature sig, List<Signature> inside, List<ResponseMatcher> passive) {
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
                    if (outOfTime()) {
                        break;
                    }
                    try {
                        Socket s = connect();
                        session = new TlsSession(s, tls(), target.getHostString(), target.getPort(), ALPN_HTTP1);
                        if (session.handshake(probeDeadline(), Math.max(HANDSHAKE_LIMIT, options.maxBytes()))
                                != TlsSession.Outcome.ESTABLISHED) {
                            session.close();
                            session = null;
                            break;
                        }
                    } catch (IOException e) {
                        lastError = Exchange.describe(e);
                        break;
                    }
                }
                List<ResponseMatcher> matchers = concat(in.matchers(), passive);
                try {
                    session.write(in.payload());
                } catch (IOException e) {
                    lastError = Exchange.describe(e);
                }
                Response r = Exchange.read(session, matchers, options.maxBytes(), probeDeadline(), SETTLE_NANOS, IDLE_NANOS);
                inner = identify(in.matchers(), passive, r);
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
            Identification id = new Identification(protocol, inner == null ? "" : inner.product(),
                    inner == null ? "" : inner.version(), details, false, sig.origin());
            if (innerResponse != null && !innerResponse.empty()) {
                return result(id, info, innerResponse, innerResponse.length());
            }
            return result(id, info, new Response(raw, raw.length, false, ""), rawTotal);
        }

        // -------------------------------------------------------------- udp

        Wire udp(List<Step> steps) {
            for (Step step : steps) {
                if (step.sig == null) {
                    continue;
                }
                if (soft != null && !step.sig.canIdentify(soft.protocol())) {
                    continue;
                }
                if (outOfTime()) {
                    break;
                }
                tried.add(step.name);
                try (DatagramSocket ds = new DatagramSocket()) {
                    ds.connect(target);
                    ds.setSoTimeout((int) Math.max(1, options.probeTimeout().toMillis()));
                    byte[] payload = step.sig.payload();
                    ds.send(new DatagramPacket(payload, payload.length));
                    byte[] buf = new byte[options.maxBytes()];
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    ds.receive(p);
                    Response r = new Response(buf, p.getLength(), false, "");
                    Wire done = consider(Matching.identify(step.sig.matchers(), buf, p.getLength()), r, step.name);
                    if (done != null) {
                        return done;
                    }
                } catch (PortUnreachableException e) {
                    return none("port unreachable");
                } catch (SocketTimeoutException e) {
                    silent++;
                } catch (IOException | RuntimeException e) {
                    lastError = Exchange.describe(e instanceof IOException io ? io : new IOException(e.getMessage()));
                    if (tried.size() == 1) {
                        return none(lastError);
                    }
                    break;
                }
            }
            return finish();
        }

        // -------------------------------------------------------------- results

        /** Records an answer; returns the final result for a confident match, else null. */
        private Wire consider(Identification id, Response r, String probe) {
            if (!r.empty() && evidence == null) {
                evidence = r;
                evidenceProbe = probe;
            }
            if (id == null) {
                return null;
            }
            if (id.soft()) {
                if (soft == null) {
                    soft = id;
                    softResponse = r;
                }
                return null;
            }
            Identification fin = soft != null && soft.protocol().equals(id.protocol()) ? id.over(soft) : id;
            return result(fin, null, r, r.length());
        }

        private Wire finish() {
            if (soft != null) {
                return result(soft, null, softResponse, softResponse.length());
            }
            if (evidence != null) {
                Map<String, String> d = new LinkedHashMap<>();
                d.put("received", evidence.length() + " bytes");
                d.put("probe", evidenceProbe);
                return new Wire(Wire.Outcome.UNKNOWN, "", "", "", d, null, false, evidence.length(),
                        Matching.firstBytes(evidence.data(), evidence.length()), tried, elapsed(), "");
            }
            StringBuilder why = new StringBuilder("no response to any probe (" + tried.size() + " tried)");
            if (budgetSpent) {
                why.append("; stopped at the time budget of ").append(TimeUnit.NANOSECONDS.toMillis(budgetEnd - start)).append(" ms");
            } else if (!lastError.isEmpty() && tried.isEmpty()) {
                return none(lastError);
            }
            Map<String, String> d = new LinkedHashMap<>();
            if (closed > 0) {
                d.put("closed", closed + " connections closed by the server without data");
            }
            if (silent > 0) {
                d.put("silent", silent + " probes unanswered within " + options.probeTimeout().toMillis() + " ms");
            }
            if (!lastError.isEmpty()) {
                d.put("last-error", lastError);
            }
            return new Wire(Wire.Outcome.NONE, "", "", "", d, null, false, 0, "", tried, elapsed(), why.toString());
        }

        private Wire result(Identification id, TlsInfo tls, Response r, int bytes) {
            return new Wire(Wire.Outcome.IDENTIFIED, id.protocol(), id.product(), id.version(), id.details(), tls, !id.soft(), bytes,
                    Matching.firstBytes(r.data(), r.length()), tried, elapsed(), "");
        }

        Wire none(String error) {
            return new Wire(Wire.Outcome.NONE, "", "", "", Map.of(), null, false, 0, "", tried, elapsed(), error);
        }

        private long elapsed() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }

        private void close(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}

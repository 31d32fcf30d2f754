package org.portlens.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.portlens.Explanation;
import org.portlens.Portlens;
import org.portlens.discovery.SocketTable;
import org.portlens.model.Listener;
import org.portlens.model.Transport;
import org.portlens.policy.Policy;
import org.portlens.probe.Hints;
import org.portlens.probe.Prober;
import org.portlens.probe.Wire;
import org.portlens.registry.Registry;
import org.portlens.store.HistoryQuery;
import org.portlens.store.HistoryStore;
import org.portlens.store.OpenPeriod;
import org.portlens.store.OpenPlaces;
import org.portlens.store.StoreException;
import org.portlens.store.StoredEvent;
import org.portlens.store.VoteStore;
import org.portlens.web.json.Json;

/**
 * {@code portlens serve}: the pages, the JSON API, the server-sent events of {@code /listeners} and
 * {@code /metrics}, on Javalin (Jetty 12).
 *
 * <p>Who may ask what: on a loopback address every request must name a loopback host (a guard against
 * DNS rebinding); off loopback, or whenever a token is set, everything but the registry (the search,
 * the registry part of the port pages, the static files and the API description) needs the token, as
 * {@code Authorization: Bearer TOKEN} or the cookie that {@code /login?token=TOKEN} sets. POSTs made
 * by another site are refused. Every answer carries a strict Content-Security-Policy.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class WebServer implements AutoCloseable {

    /** The default port: unassigned by IANA for TCP and UDP, no known use, and below every OS's ephemeral range. */
    public static final int DEFAULT_PORT = 13640;

    /** Largest request body accepted, in bytes. */
    static final long MAX_BODY = 16 * 1024;

    /** Largest request line and headers accepted, in bytes. */
    static final int MAX_HEADERS = 16 * 1024;

    /** At most this many clients follow {@code /listeners} at once. */
    static final int MAX_FOLLOWERS = 64;

    /** What a token may be made of: safe in a cookie, a header and a URL, 16-512 characters. */
    public static final String TOKEN_CHARS = "[A-Za-z0-9._~+/=-]{16,512}";

    private static final java.util.regex.Pattern PORT = java.util.regex.Pattern.compile("\\d{1,5}");
    private static final java.util.regex.Pattern VOTER = java.util.regex.Pattern.compile("[0-9a-f]{32}");
    private static final java.util.regex.Pattern IP_LITERAL = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{1,45}");

    private static final String VOTER_COOKIE = "portlens_voter";
    private static final String LANG_COOKIE = "portlens_lang";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * How the server runs.
     *
     * @param bind          the address and port to listen on
     * @param token         the access token; null for none, which is allowed on loopback only
     * @param policy        expected listeners, to mark the unexpected ones; or null
     * @param dataDir       where the votes are kept and portlens watch's history is read
     * @param historyUrl    the history database of portlens watch when not the data directory's
     *                      SQLite file ({@code jdbc:postgresql://…}), or null
     * @param registry      the registry, loaded when first asked
     * @param sockets       the socket table of this host
     * @param prober        the prober for this host's listeners, or null not to probe
     * @param probeAnywhere whether {@code /api/probe} may reach addresses other than loopback
     * @param interval      how often {@code /listeners} reads the host while someone follows it
     * @param version       portlens's version, for the footer
     */
    public record Options(
            InetSocketAddress bind,
            @Nullable String token,
            @Nullable Policy policy,
            Path dataDir,
            @Nullable String historyUrl,
            Supplier<Registry> registry,
            SocketTable sockets,
            @Nullable Prober prober,
            boolean probeAnywhere,
            Duration interval,
            String version) {

        /** Checks the values. */
        public Options {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(dataDir, "dataDir");
            if (token != null && !token.matches(TOKEN_CHARS)) {
                throw new IllegalArgumentException("a token is 16-512 of A-Z a-z 0-9 . _ ~ + / = -, got "
                        + token.length() + " characters" + (token.length() >= 16 ? " with others among them" : ""));
            }
            if (token == null && !bind.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("a server off loopback needs a token, got none for "
                        + bind.getAddress().getHostAddress());
            }
        }
    }

    private final Options options;
    private final Guard guard;
    private final LiveHost host;
    private final Metrics metrics;
    private final Javalin app;
    private final RateLimiter votes = new RateLimiter(10, 10);
    private final RateLimiter probes = new RateLimiter(30, 10);
    private final AtomicInteger following = new AtomicInteger();
    private final Map<String, byte[]> assets = new ConcurrentHashMap<>();
    /** The totals shown on pages, read once per page and kept up to date by this server's votes. */
    private final Map<String, VoteStore.Tally> tallies = new ConcurrentHashMap<>();

    /** Port pages already rendered, by page, language, rights and "voted". */
    private final Map<String, Rendered> rendered = new ConcurrentHashMap<>();

    private @Nullable VoteStore voteStore;
    private @Nullable String voteStoreError;

    private WebServer(Options options) {
        this.options = options;
        this.guard = new Guard(options.bind().getAddress().isLoopbackAddress(), options.token());
        this.host = new LiveHost(
                memo(options.registry()),
                options.prober(),
                options.sockets(),
                options.policy(),
                options.interval(),
                Clock.systemUTC());
        this.metrics = new Metrics(host);
        for (String f : List.of("portlens.css", "portlens.js", "favicon.svg")) {
            assets.put(f, resource("static/" + f));
        }
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_BODY;
            config.http.generateEtags = false;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            config.jetty.modifyHttpConfiguration(hc -> {
                hc.setRequestHeaderSize(MAX_HEADERS);
                hc.setSendServerVersion(false);
            });
            config.routes.before(this::guard);
            config.routes.get("/", this::index);
            config.routes.get("/port/{n}", ctx -> port(ctx, null));
            config.routes.get("/port/{n}/{transport}", ctx -> port(ctx, transport(ctx.pathParam("transport"))));
            config.routes.post("/port/{n}/vote", ctx -> vote(ctx, null));
            config.routes.post("/port/{n}/{transport}/vote", ctx -> vote(ctx, transport(ctx.pathParam("transport"))));
            config.routes.get("/listeners", this::listeners);
            config.routes.sse("/listeners/events", this::follow);
            config.routes.get("/metrics", this::metrics);
            config.routes.get("/login", this::login);
            config.routes.get("/static/{file}", this::asset);
            config.routes.get("/api/ports/{n}", this::apiPort);
            config.routes.get("/api/search", this::apiSearch);
            config.routes.get("/api/listeners", this::apiListeners);
            config.routes.post("/api/probe", this::apiProbe);
            config.routes.get("/api/votes", this::apiVotes);
            config.routes.get(
                    "/api/openapi.json",
                    ctx -> ctx.contentType("application/json")
                            .result(assets.computeIfAbsent("openapi.json", f -> resource(f))));
            config.routes.exception(BadRequest.class, (e, ctx) -> fail(ctx, e.status, e.getMessage()));
            config.routes.exception(StoreException.class, (e, ctx) -> fail(ctx, 503, e.getMessage()));
            config.routes.exception(
                    io.javalin.http.HttpResponseException.class, (e, ctx) -> fail(ctx, e.getStatus(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                System.err.println("portlens serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
                fail(ctx, 500, "internal error (the server's stderr says which)");
            });
            config.routes.error(404, "*", ctx -> {
                if (!ctx.attributeMap().containsKey("failed")) {
                    fail(ctx, 404, "no page at " + Guard.shorten(ctx.path()));
                }
            });
            config.routes.error(
                    405, "*", ctx -> fail(ctx, 405, ctx.method() + " is not allowed on " + Guard.shorten(ctx.path())));
        });
    }

    /**
     * Starts a server.
     *
     * @param options how
     * @return the running server
     * @throws IllegalStateException when the address cannot be bound (in use, not allowed)
     */
    public static WebServer start(Options options) {
        WebServer s = new WebServer(options);
        // the registry loads while Jetty starts: ready means ready to answer, not to start loading
        Thread load = new Thread(s.host::registryDate, "portlens-registry");
        load.start();
        s.app.start(options.bind().getAddress().getHostAddress(), options.bind().getPort());
        try {
            load.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return s;
    }

    /** @return the port it listens on (the one chosen when 0 was asked) */
    public int port() {
        return app.port();
    }

    /** @return the address to open, such as {@code http://127.0.0.1:13640/} */
    public String url() {
        InetAddress a = options.bind().getAddress();
        String h = a.isAnyLocalAddress() ? "127.0.0.1" : Portlens.addressText(a);
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + "/";
    }

    @Override
    public void close() {
        host.close();
        app.stop();
        synchronized (this) {
            if (voteStore != null) {
                voteStore.close();
            }
        }
    }

    /**
     * A fresh random token: 32 bytes from a strong source, as 64 hex digits.
     *
     * @return the token
     */
    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- the guard ---------------------------------------------------------------------------------

    private void guard(Context ctx) {
        ctx.header("Content-Security-Policy", Guard.CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        if (!ctx.path().startsWith("/static/")) {
            ctx.header("Cache-Control", "no-store"); // live answers and command lines stay out of caches
        }
        String refused = guard.checkHost(ctx.header("Host"));
        if (refused != null) {
            throw new BadRequest(403, refused);
        }
        if (ctx.method().name().equals("POST")) {
            String cross = Guard.checkCrossSite(ctx.header("Sec-Fetch-Site"), ctx.header("Origin"), ctx.header("Host"));
            if (cross != null) {
                throw new BadRequest(403, cross);
            }
        }
        if (ctx.path().equals("/listeners/events") && following.get() >= MAX_FOLLOWERS) {
            throw new BadRequest(503, "too many clients follow /listeners: at most " + MAX_FOLLOWERS);
        }
        if (!registryPath(ctx) && !authorized(ctx)) {
            throw new BadRequest(
                    401,
                    "this needs the access token: send 'Authorization: Bearer TOKEN', or open /login?token=TOKEN once");
        }
    }

    /** The registry part, open to all: the search, port pages (without their live part), static files. */
    private static boolean registryPath(Context ctx) {
        String p = ctx.path();
        boolean get = ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD");
        return get
                && (p.equals("/")
                        || (p.startsWith("/port/") && !p.endsWith("/vote"))
                        || p.startsWith("/static/")
                        || p.equals("/login")
                        || p.equals("/api/search")
                        || p.equals("/api/openapi.json"));
    }

    private boolean authorized(Context ctx) {
        return guard.authorized(ctx.header("Authorization"), ctx.cookie(Guard.TOKEN_COOKIE));
    }

    private void login(Context ctx) {
        String t = ctx.queryParam("token");
        if (t == null || !guard.tokenRequired() || !guard.matches(t)) {
            throw new BadRequest(401, guard.tokenRequired() ? "wrong or missing token" : "this server needs no token");
        }
        ctx.header("Set-Cookie", Guard.TOKEN_COOKIE + "=" + t + "; Path=/; HttpOnly; SameSite=Strict");
        ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    // ---- pages -------------------------------------------------------------------------------------

    private static Messages messages(Context ctx) {
        return Messages.of(
                Messages.negotiate(ctx.queryParam("lang"), ctx.cookie(LANG_COOKIE), ctx.header("Accept-Language")));
    }

    private Page page(Context ctx, String title, String path, @Nullable String scriptData) {
        String q = ctx.queryParam("lang");
        if (q != null && Messages.LANGUAGES.contains(q) && !q.equals(ctx.cookie(LANG_COOKIE))) {
            ctx.header("Set-Cookie", LANG_COOKIE + "=" + q + "; Path=/; Max-Age=31536000; SameSite=Lax");
        }
        ctx.header("Vary", "Accept-Language, Cookie");
        return new Page(
                messages(ctx),
                Links.server(),
                title,
                path,
                authorized(ctx),
                options.version(),
                host.registryDate(),
                scriptData);
    }

    private void index(Context ctx) {
        String q = ctx.queryParam("q");
        Search search;
        try {
            search = Search.run(host.registry(), q == null ? "" : q);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, String.valueOf(e.getMessage()));
        }
        if (search.port() >= 0 && ctx.queryParam("stay") == null) {
            ctx.redirect("/port/" + search.port(), io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        ctx.html(Templates.index(page(ctx, "portlens", "/", null), search));
    }

    private void port(Context ctx, @Nullable Transport transport) {
        int n = portNumber(ctx.pathParam("n"));
        boolean live = authorized(ctx);
        boolean voted = ctx.queryParam("voted") != null;
        String key = "port/" + n + (transport == null ? "" : "/" + transport.label());
        Page page = page(
                ctx,
                messages(ctx).f("port.tab", n + (transport == null ? "" : "/" + transport.label())),
                "/" + key,
                key);
        // A page is a function of the port, the language, the reader's rights, the explanation (one
        // per second while live, the registry otherwise) and the votes: the same inputs reuse the
        // same bytes, so a page read by many costs one rendering a second.
        LiveHost.Timed<Explanation> timed = live ? host.explain(n, transport) : null;
        Object basis = timed != null ? timed : REGISTRY_ONLY;
        VoteStore.Tally tally = live ? tally(key) : null;
        String cacheKey = key + "|" + page.m().lang() + "|" + live + "|" + voted;
        Rendered r = rendered.get(cacheKey);
        if (r == null || r.basis() != basis || !Objects.equals(r.tally(), tally)) {
            Explanation e = timed != null ? timed.value() : host.registryOnly(n, transport);
            Map<Long, OpenPeriod> open = Map.of();
            Map<String, List<String>> findings = Map.of();
            if (live && !e.listeners().isEmpty()) {
                List<Listener> ls = new ArrayList<>();
                e.listeners().forEach(x -> ls.add(x.listener()));
                open = OpenPlaces.byInode(options.dataDir(), ls);
                if (host.policy() != null) {
                    findings = host.table().findings();
                }
            }
            List<StoredEvent> past = live ? history(n, transport) : null;
            PortView v = new PortView(
                    n, transport, e, live, timed == null ? null : timed.at(), open, findings, tally, voted, past);
            r = new Rendered(basis, tally, Templates.portBytes(page, v));
            if (rendered.size() > 4096) {
                rendered.clear(); // bounded: a crawl over every port keeps no more
            }
            rendered.put(cacheKey, r);
        }
        ctx.contentType("text/html; charset=utf-8").result(r.body());
    }

    /** The events portlens watch kept on this port, newest ten; null when there is no history to read. */
    private @Nullable List<StoredEvent> history(int port, @Nullable Transport transport) {
        HistoryQuery q = HistoryQuery.port(port).withTransport(transport).withLimit(10);
        try {
            Optional<HistoryStore> opened =
                    HistoryStore.openReadOnly(options.historyUrl(), options.dataDir(), HistoryStore.localHost());
            if (opened.isEmpty()) {
                return null;
            }
            try (HistoryStore store = opened.get()) {
                return store.history(q).events();
            }
        } catch (StoreException e) {
            return null; // the page says no history rather than fail; portlens history says why
        }
    }

    /** The basis of a page rendered from the registry alone. */
    private static final Object REGISTRY_ONLY = new Object();

    /** A rendered page and what it was rendered from. */
    private record Rendered(Object basis, VoteStore.@Nullable Tally tally, byte[] body) {}

    private void listeners(Context ctx) {
        LiveHost.Table t = host.table();
        List<ListenerView> rows = new ArrayList<>(LiveHost.views(t).values());
        Page page = page(ctx, messages(ctx).t("listeners.heading"), "/listeners", "listeners");
        ctx.html(Templates.listeners(page, rows, host.policy() != null, ListenerView.UTC.format(t.at())));
    }

    private void follow(SseClient client) {
        if (following.incrementAndGet() > MAX_FOLLOWERS) {
            following.decrementAndGet(); // the guard refuses most before the stream starts
            client.close();
            return;
        }
        client.keepAlive();
        // one writer thread per client: a slow reader delays only itself; a full queue drops it
        java.util.concurrent.ThreadPoolExecutor writer = new java.util.concurrent.ThreadPoolExecutor(
                1,
                1,
                0,
                java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(1024),
                r -> {
                    Thread t = new Thread(r, "portlens-sse");
                    t.setDaemon(true);
                    return t;
                });
        LiveHost.Follower follower = new LiveHost.Follower() {
            @Override
            public void change(String json) {
                send(() -> client.sendEvent("change", json));
            }

            @Override
            public void heartbeat() {
                send(() -> client.sendComment("keep-alive"));
            }

            private void send(Runnable r) {
                try {
                    writer.execute(() -> {
                        if (!client.terminated()) {
                            r.run();
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    client.close(); // too far behind, or already closed
                }
            }
        };
        client.onClose(() -> {
            host.unfollow(follower);
            writer.shutdownNow();
            following.decrementAndGet();
        });
        // the table now, then its changes, in order: nothing is lost between the page and the stream
        host.follow(follower, t -> snapshot(writer, client, t));
        if (client.terminated()) {
            host.unfollow(follower); // gone before it was followed: onClose has already run
        }
    }

    private static void snapshot(java.util.concurrent.Executor writer, SseClient client, LiveHost.Table t) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (Listener l : t.discovery().listeners()) {
            rows.add(LiveHost.row("present", l, t));
        }
        String snapshot = compact(rows);
        writer.execute(() -> client.sendEvent("snapshot", snapshot));
    }

    private void metrics(Context ctx) {
        ctx.contentType(metrics.contentType()).result(metrics.scrape());
    }

    private void asset(Context ctx) {
        String f = ctx.pathParam("file");
        byte[] body = assets.get(f);
        if (body == null) {
            throw new BadRequest(404, "no static file " + Guard.shorten(f));
        }
        String type = f.endsWith(".css")
                ? "text/css; charset=utf-8"
                : f.endsWith(".js") ? "text/javascript; charset=utf-8" : "image/svg+xml";
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(type).result(body);
    }

    // ---- votes -------------------------------------------------------------------------------------

    private void vote(Context ctx, @Nullable Transport transport) {
        int n = portNumber(ctx.pathParam("n"));
        String helpful = ctx.formParam("helpful");
        if (!"yes".equals(helpful) && !"no".equals(helpful)) {
            throw new BadRequest(
                    400, "helpful must be yes or no, got " + (helpful == null ? "nothing" : Guard.shorten(helpful)));
        }
        if (!votes.allow(ctx.ip(), System.nanoTime())) {
            throw new BadRequest(429, "too many votes from " + ctx.ip() + ": at most 10 a minute");
        }
        String voter = ctx.cookie(VOTER_COOKIE);
        if (voter == null || !VOTER.matcher(voter).matches()) {
            byte[] b = new byte[16];
            RANDOM.nextBytes(b);
            voter = HexFormat.of().formatHex(b);
            ctx.header(
                    "Set-Cookie", VOTER_COOKIE + "=" + voter + "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict");
        }
        String key = "port/" + n + (transport == null ? "" : "/" + transport.label());
        VoteStore store = votes();
        VoteStore.Tally t;
        synchronized (store) { // the store's own lock: the cache is updated in the order of the votes
            t = store.vote(key, voter, helpful.equals("yes"), Instant.now());
            tallies.put(key, t);
        }
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("application/json")) {
            ObjectNode o = Json.doc("vote");
            o.put("page", t.page());
            o.put("yes", t.yes());
            o.put("no", t.no());
            ctx.contentType("application/json").result(write(o));
        } else {
            ctx.redirect("/" + key + "?voted=1#feedback", io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private synchronized VoteStore votes() {
        if (voteStore == null) {
            voteStore = VoteStore.open(options.dataDir());
        }
        return voteStore;
    }

    private VoteStore.@Nullable Tally tally(String key) {
        VoteStore.Tally known = tallies.get(key);
        if (known != null) {
            return known;
        }
        try {
            VoteStore store = votes();
            synchronized (store) {
                VoteStore.Tally t = store.tally(key);
                VoteStore.Tally newer = tallies.putIfAbsent(key, t); // a vote meanwhile wins
                return newer == null ? t : newer;
            }
        } catch (StoreException e) {
            synchronized (this) {
                if (voteStoreError == null) {
                    voteStoreError = e.getMessage();
                    System.err.println("portlens serve: votes are off: " + e.getMessage());
                }
            }
            return null;
        }
    }

    // ---- the API -----------------------------------------------------------------------------------

    private void apiPort(Context ctx) {
        int n = portNumber(ctx.pathParam("n"));
        String tq = ctx.queryParam("transport");
        Transport transport = tq == null ? null : transport(tq);
        LiveHost.Timed<Explanation> timed = host.explain(n, transport);
        String cacheKey = "api/" + n + "/" + (transport == null ? "" : transport.label());
        Rendered r = rendered.get(cacheKey);
        if (r == null || r.basis() != timed) {
            Explanation e = timed.value();
            List<Listener> ls = new ArrayList<>();
            e.listeners().forEach(x -> ls.add(x.listener()));
            ObjectNode doc = Json.explanation(e, ls.isEmpty() ? Map.of() : OpenPlaces.byInode(options.dataDir(), ls));
            r = new Rendered(timed, null, write(doc).getBytes(StandardCharsets.UTF_8));
            rendered.put(cacheKey, r);
        }
        ctx.contentType("application/json").result(r.body());
    }

    private void apiSearch(Context ctx) {
        String q = ctx.queryParam("q");
        if (q == null) {
            throw new BadRequest(400, "q is missing: /api/search?q=WORDS, a port or a range");
        }
        Search s;
        try {
            s = Search.run(host.registry(), q);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, String.valueOf(e.getMessage()));
        }
        ObjectNode o = Json.search(s.query(), s.hits());
        if (s.port() >= 0) {
            o.put("port", s.port());
        } else {
            o.putNull("port");
        }
        o.put("more", s.more());
        json(ctx, o);
    }

    private void apiListeners(Context ctx) {
        LiveHost.Table t = host.table();
        ObjectNode o = Json.listing(t.discovery().listeners(), t.discovery());
        json(ctx, o);
    }

    private void apiProbe(Context ctx) {
        Prober prober = options.prober();
        if (prober == null) {
            throw new BadRequest(403, "probing is off on this server (portlens serve --no-probe)");
        }
        String h = param(ctx, "host", "127.0.0.1");
        int n = portNumber(param(ctx, "port", ""));
        Transport t = transport(param(ctx, "transport", "tcp"));
        InetAddress a;
        try {
            if (!IP_LITERAL.matcher(h).matches()) {
                throw new UnknownHostException(h);
            }
            a = InetAddress.getByName(h); // a literal: no name is looked up
        } catch (UnknownHostException e) {
            throw new BadRequest(400, "host must be an IP address, got " + Guard.shorten(h));
        }
        if (!a.isLoopbackAddress() && !options.probeAnywhere()) {
            throw new BadRequest(
                    403,
                    "probing " + Portlens.addressText(a) + " is refused: this server probes loopback only"
                            + " (portlens serve --allow-remote-probe to allow more)");
        }
        if (!probes.allow(ctx.ip(), System.nanoTime())) {
            throw new BadRequest(429, "too many probes from " + ctx.ip() + ": at most 30 a minute");
        }
        InetSocketAddress target = new InetSocketAddress(a, n);
        Wire w = prober.probe(target, t, Hints.none());
        json(ctx, Json.probe(Portlens.endpointText(target), t, w));
    }

    private void apiVotes(Context ctx) {
        String format = ctx.queryParam("format");
        VoteStore store = votes();
        if ("csv".equals(format)) {
            StringBuilder b = new StringBuilder("page,helpful,at\n");
            store.export(v -> b.append(v.page())
                    .append(',')
                    .append(v.helpful() ? "yes" : "no")
                    .append(',')
                    .append(v.at())
                    .append('\n'));
            ctx.contentType("text/csv; charset=utf-8").result(b.toString());
            return;
        }
        ObjectNode o = Json.doc("votes");
        ArrayNode arr = o.putArray("votes");
        store.export(v -> {
            ObjectNode n = arr.addObject();
            n.put("page", v.page());
            n.put("helpful", v.helpful());
            n.put("at", v.at().toString());
        });
        json(ctx, o);
    }

    private static String param(Context ctx, String name, String otherwise) {
        String v = ctx.formParam(name);
        if (v == null) {
            v = ctx.queryParam(name);
        }
        return v == null ? otherwise : v;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** A port number from a path or parameter, or a 400 that names it. */
    static int portNumber(String s) {
        if (!PORT.matcher(s).matches()) {
            throw new BadRequest(400, "port must be a number 0-65535, got " + Guard.shorten(s));
        }
        int n = Integer.parseInt(s);
        if (n > 65535) {
            throw new BadRequest(400, "port must be 0-65535, got " + n);
        }
        return n;
    }

    static Transport transport(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "tcp":
                return Transport.TCP;
            case "udp":
                return Transport.UDP;
            default:
                throw new BadRequest(400, "transport must be tcp or udp, got " + Guard.shorten(s));
        }
    }

    private static void json(Context ctx, ObjectNode node) {
        ctx.contentType("application/json").result(write(node));
    }

    private static String compact(Object node) {
        try {
            return Json.COMPACT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An error as JSON under /api and /metrics, else as a page; the message is one line. */
    private void fail(Context ctx, int status, @Nullable String message) {
        String msg = message == null ? "error" : message;
        ctx.attribute("failed", true);
        ctx.status(status);
        String p = ctx.path();
        if (p.startsWith("/api/") || p.equals("/metrics") || p.endsWith("/vote") && acceptsJson(ctx)) {
            ObjectNode o = Json.doc("error");
            o.put("status", status);
            o.put("error", msg);
            ctx.contentType("application/json").result(write(o));
        } else {
            Page page = new Page(
                    Messages.of(Messages.negotiate(
                            ctx.queryParam("lang"), ctx.cookie(LANG_COOKIE), ctx.header("Accept-Language"))),
                    Links.server(),
                    String.valueOf(status),
                    "/",
                    false,
                    options.version(),
                    host.registryDate(),
                    null);
            ctx.html(Templates.error(page, status, msg));
        }
    }

    private static boolean acceptsJson(Context ctx) {
        String a = ctx.header("Accept");
        return a != null && a.contains("application/json");
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource org/portlens/web/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> Supplier<T> memo(Supplier<T> s) {
        return new Supplier<>() {
            private volatile @Nullable T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        v = value;
                        if (v == null) {
                            v = s.get();
                            value = v;
                        }
                    }
                }
                return v;
            }
        };
    }

    /** A request refused with a status and a one-line reason. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}

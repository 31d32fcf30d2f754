package org.portlens.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.discovery.SocketTable;
import org.portlens.policy.Policy;
import org.portlens.probe.Prober;
import org.portlens.registry.Registry;
import org.portlens.store.VoteStore;
import org.portlens.web.json.Json;

/** The server as a client sees it: the API, the guard, bad input, votes, metrics, server-sent events. */
class WebServerIT {

    static final String TOKEN = "t0k3n-for-the-tests-0123456789";

    @TempDir
    static Path data;

    @TempDir
    static Path tokenData;

    static WebServer open;
    static WebServer locked;

    @BeforeAll
    static void start() {
        open = WebServer.start(options(null, data, new Policy(List.of(), List.of())));
        locked = WebServer.start(options(TOKEN, tokenData, null));
    }

    static WebServer.Options options(String token, Path dataDir, Policy policy) {
        return new WebServer.Options(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                token,
                policy,
                dataDir,
                null,
                Registry::bundled,
                SocketTable.system(),
                Prober.withDefaults(),
                false,
                Duration.ofMillis(200),
                "test");
    }

    @AfterAll
    static void stop() {
        open.close();
        locked.close();
    }

    static JsonNode json(Http.Response r) throws Exception {
        assertThat(r.header("Content-Type")).startsWith("application/json");
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void apiPortsExplainsAPortInTheCliSchema() throws Exception {
        JsonNode n = json(Http.get(open.port(), "/api/ports/3640"));
        assertThat(n.get("schema").asText()).isEqualTo("portlens/2");
        assertThat(n.get("kind").asText()).isEqualTo("explanation");
        assertThat(n.at("/registry/status").asText()).isEqualTo("registered-unused");
        assertThat(n.at("/registry/records/0/serviceName").asText()).isEqualTo("netplay-port1");
        assertThat(n.at("/range/class").asText()).isEqualTo("user");
        assertThat(n.get("listeners").isArray()).isTrue();
    }

    @Test
    void aListenerOfThisProcessShowsWithItsOwnerInTheApiAndThePage() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int p = s.getLocalPort();
            JsonNode n = json(Http.get(open.port(), "/api/ports/" + p + "?transport=tcp"));
            JsonNode l = n.at("/listeners/0");
            assertThat(l.get("port").asInt()).isEqualTo(p);
            assertThat(l.get("scope").asText()).isEqualTo("loopback");
            assertThat(l.toString())
                    .contains("\"pid\":" + ProcessHandle.current().pid());

            Http.Response page = Http.get(open.port(), "/port/" + p + "/tcp");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body())
                    .contains("What port " + p + "/tcp is")
                    .contains("127.0.0.1:" + p)
                    .contains("loopback only")
                    .contains("(pid " + ProcessHandle.current().pid() + ")");

            JsonNode all = json(Http.get(open.port(), "/api/listeners"));
            assertThat(all.get("kind").asText()).isEqualTo("listeners");
            assertThat(all.get("listeners").toString()).contains("\"port\":" + p);
        }
    }

    @Test
    void everyAnswerCarriesAStrictContentSecurityPolicy() throws Exception {
        for (String path :
                List.of("/", "/port/3640", "/api/ports/22", "/listeners", "/port/abc", "/static/portlens.js")) {
            Http.Response r = Http.get(open.port(), path);
            assertThat(r.header("Content-Security-Policy"))
                    .as(path)
                    .contains("default-src 'none'")
                    .contains("script-src 'self'")
                    .contains("frame-ancestors 'none'");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void aForeignHostHeaderIsRefusedOnLoopback() throws Exception {
        for (String host :
                List.of("evil.example", "evil.example:13640", "127.0.0.1.nip.io", "localhost.evil.example")) {
            Http.Response r = Http.get(open.port(), "/api/listeners", "Host: " + host);
            assertThat(r.status()).as(host).isEqualTo(403);
            assertThat(json(r).get("error").asText()).contains("DNS rebinding");
        }
        for (String host : List.of("localhost", "localhost:1", "127.0.0.1", "127.1.2.3:80", "[::1]:8080")) {
            assertThat(Http.get(open.port(), "/api/listeners", "Host: " + host).status())
                    .as(host)
                    .isEqualTo(200);
        }
    }

    @Test
    void withATokenEverythingButTheRegistryNeedsIt() throws Exception {
        int port = locked.port();
        for (String path : List.of("/api/listeners", "/api/ports/3640", "/metrics", "/listeners", "/api/votes")) {
            Http.Response r = Http.get(port, path);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(Http.get(port, path, "Authorization: Bearer wrong-token-wrong-token")
                            .status())
                    .as(path)
                    .isEqualTo(401);
            assertThat(Http.get(port, path, "Authorization: Bearer " + TOKEN).status())
                    .as(path)
                    .isEqualTo(200);
        }
        // the registry stays open, without the live part
        Http.Response page = Http.get(port, "/port/3640");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("netplay-port1")
                .contains("needs the access token")
                .doesNotContain("Coverage:");
        assertThat(Http.get(port, "/api/search?q=netplay").status()).isEqualTo(200);
        assertThat(Http.get(port, "/api/openapi.json").status()).isEqualTo(200);
        // a vote is not a registry read
        assertThat(Http.post(port, "/port/3640/vote", "helpful=yes").status()).isEqualTo(401);
        // /login sets the cookie that browsers then send
        Http.Response login = Http.get(port, "/login?token=" + TOKEN);
        assertThat(login.status()).isEqualTo(303);
        assertThat(login.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Strict");
        assertThat(Http.get(port, "/api/listeners", "Cookie: portlens_token=" + TOKEN)
                        .status())
                .isEqualTo(200);
        assertThat(Http.get(port, "/login?token=nope").status()).isEqualTo(401);
    }

    @Test
    void aServerOffLoopbackWithoutATokenIsRefusedBeforeItStarts() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0);
        assertThatThrownBy(() -> new WebServer.Options(
                        any,
                        null,
                        null,
                        data,
                        null,
                        Registry::bundled,
                        SocketTable.system(),
                        null,
                        false,
                        Duration.ofSeconds(1),
                        "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a token");
    }

    @Test
    void aCrossSitePostIsRefusedAndNothingIsStored() throws Exception {
        int port = open.port();
        Http.Response bySite = Http.post(port, "/port/4000/vote", "helpful=yes", "Origin: http://evil.example");
        assertThat(bySite.status()).isEqualTo(403);
        Http.Response byFetch = Http.post(port, "/port/4000/vote", "helpful=yes", "Sec-Fetch-Site: cross-site");
        assertThat(byFetch.status()).isEqualTo(403);
        Http.Response probe = Http.post(port, "/api/probe", "port=22", "Origin: http://evil.example");
        assertThat(probe.status()).isEqualTo(403);
        assertThat(json(probe).get("error").asText()).contains("cross-site");
        try (VoteStore v = VoteStore.open(data)) {
            assertThat(v.tally("port/4000").total()).isZero();
        }
        Http.Response same = Http.post(
                port,
                "/port/4000/vote",
                "helpful=yes",
                "Origin: http://127.0.0.1:" + port,
                "Sec-Fetch-Site: same-origin",
                "Accept: application/json");
        assertThat(same.status()).isEqualTo(200);
        assertThat(json(same).get("yes").asInt()).isEqualTo(1);
    }

    @Test
    void oneVotePerBrowserPerPageALaterOneReplacesIt() throws Exception {
        int port = open.port();
        Http.Response first = Http.post(port, "/port/5001/vote", "helpful=yes", "Accept: application/json");
        String cookie = first.header("Set-Cookie").split(";")[0];
        assertThat(cookie).startsWith("portlens_voter=");
        assertThat(json(first).get("yes").asInt()).isEqualTo(1);
        JsonNode again =
                json(Http.post(port, "/port/5001/vote", "helpful=no", "Accept: application/json", "Cookie: " + cookie));
        assertThat(again.get("yes").asInt()).isZero();
        assertThat(again.get("no").asInt()).isEqualTo(1);
        // the page shows the totals; a form POST without script comes back to the page
        assertThat(Http.get(port, "/port/5001").body()).contains("0 found it helpful, 1 did not");
        Http.Response form = Http.post(port, "/port/5001/vote", "helpful=yes", "Cookie: " + cookie);
        assertThat(form.status()).isEqualTo(303);
        assertThat(form.header("Location")).isEqualTo("/port/5001?voted=1#feedback");
        // exported, without voter ids
        Http.Response csv = Http.get(port, "/api/votes?format=csv");
        assertThat(csv.body()).startsWith("page,helpful,at\n").contains("port/5001,yes,");
        assertThat(csv.body()).doesNotContain(cookie.substring("portlens_voter=".length()));
        assertThat(json(Http.get(port, "/api/votes")).get("votes").toString()).contains("port/5001");
    }

    @Test
    void badInputGetsAClearErrorAndNothingIsStored() throws Exception {
        int port = open.port();
        Http.Response big = Http.get(port, "/port/70000");
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.header("Content-Type")).startsWith("text/html");
        assertThat(big.body()).contains("port must be 0-65535, got 70000");
        Http.Response abc = Http.get(port, "/port/abc");
        assertThat(abc.status()).isEqualTo(400);
        assertThat(abc.body()).contains("port must be a number 0-65535, got 'abc'");
        assertThat(Http.get(port, "/port/3640/sctp").body()).contains("transport must be tcp or udp");
        assertThat(json(Http.get(port, "/api/ports/-1")).get("error").asText()).contains("got '-1'");
        Http.Response huge = Http.get(port, "/api/search?q=" + "a".repeat(100 * 1024));
        assertThat(huge.status()).isEqualTo(414);
        assertThat(json(huge).get("error").asText()).isEqualTo("the request line is over 16 KB");
        assertThat(huge.header("Content-Security-Policy")).contains("default-src 'none'");
        Http.Response longer = Http.get(port, "/api/search?q=" + "a".repeat(300));
        assertThat(longer.status()).isEqualTo(400);
        assertThat(json(longer).get("error").asText()).isEqualTo("q must be at most 200 characters, got 300");
        assertThat(json(Http.get(port, "/api/search")).get("error").asText()).contains("q is missing");
        assertThat(Http.get(port, "/nosuch").status()).isEqualTo(404);
        Http.Response vote = Http.post(port, "/port/3640/vote", "helpful=maybe");
        assertThat(vote.status()).isEqualTo(400);
        assertThat(vote.body()).contains("helpful must be yes or no, got 'maybe'");
        Http.Response body = Http.post(
                port, "/port/3640/vote", "helpful=yes&x=" + "b".repeat(64 * 1024), "Accept: application/json");
        assertThat(body.status()).isEqualTo(413);
        assertThat(json(body).get("kind").asText()).isEqualTo("error");
        try (VoteStore v = VoteStore.open(data)) {
            assertThat(v.tally("port/3640").total()).isZero();
        }
    }

    @Test
    void aFloodOfVotesIsCutByTheRateLimitAndOnlyTheAllowedOnesAreStored() throws Exception {
        // every request without a cookie: a new "browser" each time, all from one address
        int port = locked.port();
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 40; i++) {
            Http.Response r = Http.post(
                    port,
                    "/port/6001/vote",
                    "helpful=yes",
                    "Accept: application/json",
                    "Authorization: Bearer " + TOKEN);
            if (r.status() == 200) {
                ok++;
            } else {
                assertThat(r.status()).isEqualTo(429);
                assertThat(json(r).get("error").asText()).contains("too many votes");
                limited++;
            }
        }
        assertThat(ok).isBetween(10, 11);
        assertThat(limited).isEqualTo(40 - ok);
        try (VoteStore v = VoteStore.open(tokenData)) {
            assertThat(v.tally("port/6001").yes()).isEqualTo(ok);
        }
    }

    @Test
    void probeReachesLoopbackOnlyAndSaysWhatAPortSpeaks() throws Exception {
        int port = open.port();
        Http.Response self = Http.post(port, "/api/probe", "host=127.0.0.1&port=" + port);
        JsonNode n = json(self);
        assertThat(n.get("kind").asText()).isEqualTo("probe");
        assertThat(n.toString()).contains("http");
        Http.Response far = Http.post(port, "/api/probe", "host=192.0.2.1&port=80");
        assertThat(far.status()).isEqualTo(403);
        assertThat(json(far).get("error").asText()).contains("loopback only");
        assertThat(Http.post(port, "/api/probe", "host=example.com&port=80").status())
                .isEqualTo(400);
    }

    @Test
    void metricsCountListenersAndThePolicysFindings() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.sleep(1100); // past the one-second reuse of the last read
            Http.Response r = Http.get(open.port(), "/metrics");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            String port = "port=\"" + s.getLocalPort() + "\"";
            assertThat(r.body().lines().filter(l -> l.startsWith("portlens_listeners{") && l.contains(port)))
                    .singleElement()
                    .asString()
                    .contains("scope=\"loopback\"")
                    .contains("transport=\"tcp\"")
                    .endsWith(" 1.0");
            // the policy of this server expects nothing: every listener is unexpected
            assertThat(r.body().lines().filter(l -> l.startsWith("portlens_unexpected_listeners{") && l.contains(port)))
                    .hasSize(1);
            assertThat(r.body()).contains("portlens_policy_findings ").contains("portlens_scrape_duration_seconds ");
        }
    }

    @Test
    void listenersEventsSendTheTableThenEachChange() throws Exception {
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), open.port())) {
            s.getOutputStream()
                    .write(("GET /listeners/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> {
                try {
                    for (String l; (l = in.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            reader.setDaemon(true);
            reader.start();
            await(lines, "event: snapshot");
            int p;
            try (ServerSocket opened = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
                p = opened.getLocalPort();
                String change = await(lines, "\"kind\":\"opened\"", "|127.0.0.1|" + p + "|");
                assertThat(change).contains("\"owner\"");
            }
            await(lines, "\"kind\":\"closed\"", "|127.0.0.1|" + p + "|");
        }
    }

    /** The next line that holds every one of the parts, within 10 s. */
    private static String await(BlockingQueue<String> lines, String... parts) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l != null && List.of(parts).stream().allMatch(l::contains)) {
                return l;
            }
        }
        throw new AssertionError("no line with " + List.of(parts) + " within 10 s");
    }

    @Test
    void aPortPageShowsWhatPortlensWatchKeptInItsHistory() throws Exception {
        Http.Response before = Http.get(open.port(), "/port/5002");
        assertThat(before.body()).doesNotContain("id=\"history\"").as("no history yet");
        java.time.Instant t0 = java.time.Instant.parse("2026-12-01T10:00:00Z");
        org.portlens.model.Listener l = TemplatesTest.hostileListener();
        org.portlens.model.Listener at5002 = new org.portlens.model.Listener(
                l.transport(),
                new org.portlens.model.Endpoint(
                        "127.0.0.1", 5002, false, l.local().scope(), l.local().dualStack()),
                l.state(),
                l.uid(),
                l.user(),
                l.inode(),
                l.namespace(),
                l.owners());
        try (org.portlens.store.HistoryStore h =
                org.portlens.store.HistoryStore.open(null, data, org.portlens.store.HistoryStore.localHost())) {
            h.record(List.of(
                    new org.portlens.watch.WatchEvent.Opened(t0, at5002),
                    new org.portlens.watch.WatchEvent.Closed(t0.plusSeconds(60), at5002)));
        }
        Thread.sleep(1100); // past the one-second reuse of the page
        String page = Http.get(open.port(), "/port/5002").body();
        assertThat(page)
                .contains("id=\"history\"")
                .contains("2026-12-01 10:00:00 UTC")
                .contains("opened")
                .contains("2026-12-01 10:01:00 UTC")
                .contains("closed")
                .contains("tcp 127.0.0.1:5002")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert");
    }

    @Test
    void liveAnswersAreNeverCachedAndStaticFilesAre() throws Exception {
        assertThat(Http.get(open.port(), "/api/listeners").header("Cache-Control"))
                .isEqualTo("no-store");
        assertThat(Http.get(open.port(), "/port/3640").header("Cache-Control")).isEqualTo("no-store");
        assertThat(Http.get(open.port(), "/static/portlens.css").header("Cache-Control"))
                .contains("max-age");
    }

    @Test
    void languageFollowsTheQueryThenTheCookieThenAcceptLanguage() throws Exception {
        int port = open.port();
        assertThat(Http.get(port, "/port/3640", "Accept-Language: it-IT,it;q=0.9,en;q=0.5")
                        .body())
                .contains("Cos'è la porta 3640")
                .contains("Questa pagina è stata utile?");
        Http.Response q = Http.get(port, "/port/3640?lang=it", "Accept-Language: en");
        assertThat(q.body()).contains("Cos'è la porta 3640");
        assertThat(q.header("Set-Cookie")).contains("portlens_lang=it");
        assertThat(Http.get(port, "/port/3640", "Cookie: portlens_lang=it").body())
                .contains("Cos'è la porta");
        assertThat(Http.get(port, "/port/3640", "Accept-Language: fr").body()).contains("What port 3640 is");
    }

    @Test
    void theOpenApiDescriptionNamesOnlyRoutesThatExist() throws Exception {
        JsonNode api = json(Http.get(open.port(), "/api/openapi.json"));
        assertThat(api.get("openapi").asText()).startsWith("3.");
        for (Iterator<String> it = api.get("paths").fieldNames(); it.hasNext(); ) {
            String path = it.next().replace("{n}", "3640");
            Http.Response get = Http.get(open.port(), path);
            Http.Response post = Http.post(open.port(), path, "port=1");
            assertThat(get.status() != 404 || post.status() != 404).as(path).isTrue();
        }
    }
}

package org.portlens.cli.servers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.cli.LiveIT;
import org.portlens.cli.servers.Servers.Server;

/**
 * {@code portlens probe HOST:PORT --json} (the packaged jar) against real servers this test starts
 * as its own children on 127.0.0.1, each on a free port chosen at run time (so nothing is found by
 * its well-known port), with config and data in a temporary directory: what the wire says must
 * name the protocol, the product and the version the binary itself reports.
 */
class RealServersIT {

    @TempDir
    Path tmp;

    Servers servers;

    @BeforeEach
    void setUp() throws Exception {
        servers = new Servers(tmp);
    }

    @AfterEach
    void tearDown() {
        servers.close();
    }

    // ------------------------------------------------------------------ identification

    @Test
    void nginxHttp() throws Exception {
        String version = Servers.nginxVersion();
        Server s = servers.nginx(false);
        Probed p = probe(s);
        p.is("protocol", "http").is("product", "nginx").is("version", version);
        p.detail("status", "200 OK").detail("server", "nginx/" + version).detail("title", Servers.HTTP_TITLE);
        assertThat(p.wire().path("tls").isNull()).as(p.context()).isTrue();
    }

    @Test
    void nginxHttpsWithASelfSignedCertificate() throws Exception {
        String version = Servers.nginxVersion();
        Server s = servers.nginx(true);
        Probed p = probe(s);
        p.is("protocol", "https").is("product", "nginx").is("version", version);
        p.detail("status", "200 OK").detail("title", Servers.HTTP_TITLE);
        JsonNode tls = p.wire().get("tls");
        assertThat(tls).as(p.context()).isNotNull();
        assertThat(tls.isObject()).as(p.context()).isTrue();
        assertThat(tls.path("version").asText()).as(p.context()).startsWith("TLSv1.");
        assertThat(tls.path("cipher").asText()).as(p.context()).isNotBlank();
        assertThat(tls.path("subject").asText()).as(p.context()).contains(Servers.TLS_NAME);
        assertThat(tls.path("issuer").asText()).as(p.context()).contains(Servers.TLS_NAME);
        assertThat(texts(tls.path("sans")))
                .as(p.context())
                .hasSize(1)
                .allSatisfy(san -> assertThat(san).endsWith(Servers.TLS_NAME));
        assertThat(tls.path("selfSigned").isBoolean() && tls.path("selfSigned").asBoolean())
                .as(p.context())
                .isTrue();
        assertThat(tls.path("expired").isBoolean() && !tls.path("expired").asBoolean())
                .as(p.context())
                .isTrue();
        // the certificate was made a moment ago for 2 days
        Instant now = Instant.now();
        Instant notBefore = Instant.parse(tls.path("notBefore").asText());
        Instant notAfter = Instant.parse(tls.path("notAfter").asText());
        assertThat(notBefore).as(p.context()).isBetween(now.minus(Duration.ofMinutes(10)), now.plusSeconds(5));
        assertThat(Duration.between(notBefore, notAfter)).as(p.context()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void opensshSshd() throws Exception {
        String version = Servers.opensshVersion();
        Server s = servers.sshd();
        Probed p = probe(s);
        p.is("protocol", "ssh").is("product", "OpenSSH");
        // the banner says "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10"; sshd -V says "OpenSSH_9.2"
        assertThat(p.text("version")).as(p.context()).startsWith(version);
        assertThat(p.text("firstBytes")).as(p.context()).startsWith("SSH-2.0-OpenSSH_" + version);
    }

    @Test
    void redis() throws Exception {
        String version = Servers.redisVersion();
        Server s = servers.redis();
        Probed p = probe(s);
        p.is("protocol", "redis").is("version", version);
        assertThat(version).startsWith("7.");
    }

    @Test
    void memcached() throws Exception {
        String version = Servers.memcachedVersion();
        Server s = servers.memcached();
        Probed p = probe(s);
        p.is("protocol", "memcached").is("version", version);
    }

    @Test
    void postgresql() throws Exception {
        LiveIT.needRoot("PostgreSQL's own cluster (its data directory is handed to user postgres)");
        Server s = servers.postgres();
        Probed p = probe(s);
        p.is("protocol", "postgresql");
    }

    @Test
    void mariadbIsMysqlByMariaDb() throws Exception {
        LiveIT.needRoot("MariaDB's own data directory (mariadb-install-db runs it as root)");
        String version = Servers.mariadbVersion();
        Server s = servers.mariadb();
        Probed p = probe(s);
        p.is("protocol", "mysql").is("product", "MariaDB");
        // the greeting says "5.5.5-10.11.19-MariaDB-0+deb12u1": the real version, not the 5.5.5 prefix
        assertThat(p.text("version")).as(p.context()).startsWith(version);
    }

    @Test
    void mosquittoMqtt() throws Exception {
        Server s = servers.mosquitto();
        Probed p = probe(s);
        p.is("protocol", "mqtt");
    }

    @Test
    void pythonHttpServer() throws Exception {
        Server s = servers.pythonHttp();
        Probed p = probe(s);
        p.is("protocol", "http").detail("status", "200 OK").detail("title", Servers.HTTP_TITLE);
        assertThat(p.details().path("server").asText())
                .as(p.context())
                .contains("SimpleHTTP")
                .contains("Python/");
        assertThat(p.wire().path("tls").isNull()).as(p.context()).isTrue();
    }

    @Test
    void dnsmasqOverUdp() throws Exception {
        String version = Servers.dnsmasqVersion();
        Server s = servers.dnsmasq();
        Probed p = probe(s, "--udp");
        // dnsmasq names itself when asked (CHAOS TXT version.bind)
        p.is("protocol", "dns").is("product", "dnsmasq").is("version", version);
    }

    @Test
    void dnsmasqIsIdentifiedByAUdpScan() throws Exception {
        String version = Servers.dnsmasqVersion();
        Server s = servers.dnsmasq();
        // dnsmasq drops the sweep's one-byte datagram (open|filtered) but answers the dns-udp probe
        Portlens.Result r =
                Portlens.run("scan", "127.0.0.1", "-p", Integer.toString(s.port()), "--udp", "--identify", "--json");
        Supplier<String> ctx = () -> r + "\n" + s.logTail();
        assertThat(r.code()).as(ctx).isZero();
        JsonNode port = r.json().path("ports").path(0);
        assertThat(port.path("port").asInt()).as(ctx).isEqualTo(s.port());
        assertThat(port.path("state").asText()).as(ctx).isEqualTo("open");
        assertThat(port.path("wire").path("protocol").asText()).as(ctx).isEqualTo("dns");
        assertThat(port.path("wire").path("product").asText()).as(ctx).isEqualTo("dnsmasq");
        assertThat(port.path("wire").path("version").asText()).as(ctx).isEqualTo(version);
    }

    // ------------------------------------------------------------------ the explain command

    @Test
    void explainFindsThePythonChildAndWhatItSpeaks() throws Exception {
        Server s = servers.pythonHttp();
        Portlens.Result r = Portlens.run(Integer.toString(s.port()), "--json");
        Supplier<String> ctx = () -> r + "\n" + s.logTail();
        assertThat(r.code()).as(ctx).isZero();
        JsonNode j = r.json();
        assertThat(j.path("kind").asText()).as(ctx).isEqualTo("explanation");
        List<JsonNode> mine = new ArrayList<>();
        for (JsonNode l : j.path("listeners")) {
            if (l.path("transport").asText().equals("tcp") && l.path("port").asInt() == s.port()) {
                mine.add(l);
            }
        }
        assertThat(mine).as(ctx).hasSize(1);
        JsonNode listener = mine.get(0);
        assertThat(listener.path("owners")).as(ctx).hasSize(1);
        assertThat(listener.path("owners").get(0).path("process").path("pid").asLong())
                .as(ctx)
                .isEqualTo(s.pid());
        JsonNode wire = listener.get("wire");
        assertThat(wire).as(ctx).isNotNull();
        assertThat(wire.path("protocol").asText()).as(ctx).isEqualTo("http");
        assertThat(wire.path("details").path("server").asText()).as(ctx).contains("SimpleHTTP");
    }

    // ------------------------------------------------------------------ bad input and nothing there

    @Test
    void targetWithoutAPortIsAUsageError() throws Exception {
        Portlens.Result r = Portlens.run("probe", "127.0.0.1");
        assertUsageError(r, "127.0.0.1");
        assertThat(r.err()).as(r::toString).containsIgnoringCase("port");
    }

    @Test
    void portOutOfRangeIsAUsageError() throws Exception {
        Portlens.Result r = Portlens.run("probe", "127.0.0.1:70000");
        assertUsageError(r, "70000");
    }

    @Test
    void hostThatDoesNotResolveIsAUsageErrorNamingIt() throws Exception {
        Portlens.Result r = Portlens.run("probe", "no-such-host.invalid:80");
        assertUsageError(r, "no-such-host.invalid");
    }

    @Test
    void nothingListeningIsProtocolNoneConnectionRefused() throws Exception {
        int port = Servers.freeTcpPort();
        Portlens.Result r = Portlens.run("probe", "127.0.0.1:" + port, "--json");
        Supplier<String> ctx = r::toString;
        assertThat(r.code())
                .as("a probe that could not connect exits 1; %s", ctx.get())
                .isEqualTo(1);
        JsonNode j = r.json();
        assertThat(j.path("schema").asText()).as(ctx).isEqualTo("portlens/2");
        assertThat(j.path("kind").asText()).as(ctx).isEqualTo("probe");
        assertThat(j.path("wire").path("connectFailure").asText()).as(ctx).isEqualTo("refused");
        assertThat(j.path("target").asText()).as(ctx).isEqualTo("127.0.0.1:" + port);
        assertThat(j.path("transport").asText()).as(ctx).isEqualTo("tcp");
        JsonNode wire = j.path("wire");
        assertThat(wire.path("protocol").asText()).as(ctx).isEqualTo("none");
        assertThat(wire.path("error").asText()).as(ctx).containsIgnoringCase("refused");
        assertThat(wire.path("confident").asBoolean(true)).as(ctx).isFalse();
        assertThat(wire.path("bytesReceived").asInt(-1)).as(ctx).isZero();
        assertThat(wire.path("tls").isNull()).as(ctx).isTrue();
    }

    static void assertUsageError(Portlens.Result r, String mentioned) {
        assertThat(r.code()).as(r::toString).isEqualTo(2);
        assertThat(r.out()).as(r::toString).isBlank();
        String err = r.err().strip();
        assertThat(err)
                .as(r::toString)
                .isNotEmpty()
                .doesNotContain("\n")
                .contains(mentioned)
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                // what a portlens without the probe command says
                .doesNotContain("Unmatched argument");
    }

    // ------------------------------------------------------------------ probing

    /** The result of {@code portlens probe TARGET --json}, with the server's log for failure messages. */
    record Probed(Portlens.Result result, Server server, JsonNode wire) {

        String context() {
            return result + "\n" + server.logTail();
        }

        String text(String field) {
            JsonNode v = wire.get(field);
            assertThat(v).as("wire." + field + " missing\n" + context()).isNotNull();
            return v.asText();
        }

        JsonNode details() {
            return wire.path("details");
        }

        Probed is(String field, String expected) {
            assertThat(text(field)).as("wire." + field + "\n" + context()).isEqualTo(expected);
            return this;
        }

        Probed detail(String key, String expected) {
            assertThat(details().path(key).asText(null))
                    .as("wire.details." + key + "\n" + context())
                    .isEqualTo(expected);
            return this;
        }
    }

    /** Probes the server and checks what every successful identification has in common. */
    static Probed probe(Server s, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("probe", s.target(), "--json"));
        args.addAll(List.of(extra));
        Portlens.Result r = Portlens.run(args.toArray(String[]::new));
        Supplier<String> ctx = () -> r + "\n" + s.logTail();
        assertThat(r.code()).as(ctx).isZero();
        JsonNode j = r.json();
        assertThat(j.path("schema").asText()).as(ctx).isEqualTo("portlens/2");
        assertThat(j.path("kind").asText()).as(ctx).isEqualTo("probe");
        assertThat(j.path("target").asText()).as(ctx).isEqualTo(s.target());
        assertThat(j.path("transport").asText()).as(ctx).isEqualTo(s.transport());
        JsonNode wire = j.get("wire");
        assertThat(wire).as(ctx).isNotNull();
        assertThat(wire.isObject()).as(ctx).isTrue();
        assertThat(wire.path("error").asText(null)).as(ctx).isEqualTo("");
        assertThat(wire.path("confident").asBoolean(false)).as(ctx).isTrue();
        assertThat(wire.path("bytesReceived").asInt(-1)).as(ctx).isPositive();
        assertThat(wire.path("tried").isArray() && !wire.path("tried").isEmpty())
                .as(ctx)
                .isTrue();
        assertThat(wire.path("elapsedMillis").asLong(-1)).as(ctx).isBetween(0L, 30_000L);
        assertThat(s.process().isAlive()).as(ctx).isTrue();
        return new Probed(r, s, wire);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

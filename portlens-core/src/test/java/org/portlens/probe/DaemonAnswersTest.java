package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;

/**
 * The built-in signatures against answers of real Debian 12 daemons that bench/daemons.sh ran on
 * loopback (2026-12-01, packages as listed in bench/README.md; the bytes as portlens's wire showed
 * them, up to its first-bytes cut, with the rest of each answer as the daemon's documentation
 * gives it), and against answers written from the protocol documents where the bench saw none.
 * No network.
 */
class DaemonAnswersTest {

    private static Matching.Identification answer(String probe, Transport transport, String answer) {
        Signature sig = SignatureFile.builtIn().stream()
                .filter(s -> s.name().equals(probe) && s.transport() == transport)
                .findFirst()
                .orElseThrow();
        List<ResponseMatcher> all = new ArrayList<>(sig.matchers());
        if (transport == Transport.TCP && !sig.passive()) {
            SignatureFile.builtIn().stream()
                    .filter(s -> s.passive() && s.transport() == Transport.TCP)
                    .forEach(s -> all.addAll(s.matchers()));
        }
        byte[] b = answer.getBytes(StandardCharsets.ISO_8859_1);
        Matching.Identification id = Matching.identify(all, b, b.length);
        assertThat(id).as(probe + " on " + Matching.firstBytes(b, b.length)).isNotNull();
        return id;
    }

    private static Matching.Identification tcp(String probe, String answer) {
        return answer(probe, Transport.TCP, answer);
    }

    // ------------------------------------------------------------------ speak first

    @Test
    void muninNodeGreetsWithItsHostName() {
        Matching.Identification id = tcp("banner", "# munin node at bench.portlens.test\n");
        assertThat(id.protocol()).isEqualTo("munin");
        assertThat(id.product()).isEqualTo("Munin node");
        assertThat(id.details()).containsEntry("hostname", "bench.portlens.test");
    }

    @Test
    void gpsdOpensWithItsVersionObject() {
        Matching.Identification id = tcp(
                "banner",
                "{\"class\":\"VERSION\",\"release\":\"3.22\",\"rev\":\"3.22\",\"proto_major\":3,\"proto_minor\":14}\r\n");
        assertThat(id.protocol()).isEqualTo("gpsd");
        assertThat(id.product()).isEqualTo("gpsd");
        assertThat(id.version()).isEqualTo("3.22");
    }

    @Test
    void svnserveGreetsWithItsProtocolVersions() {
        Matching.Identification id = tcp(
                "banner",
                "( success ( 2 2 ( ) ( edit-pipeline svndiff1 accepts-svndiff2 absent-entries commit-revprops depth"
                        + " log-revprops atomic-revprops partial-replay inherited-props ephemeral-txnprops"
                        + " file-revs-reverse list ) ) ) ");
        assertThat(id.protocol()).isEqualTo("svn");
        assertThat(id.product()).isEqualTo("Subversion svnserve");
        assertThat(id.details()).containsEntry("protocol-versions", "2-2");
    }

    @Test
    void proftpdKeepsItsProductWhenSystAnswersFirst() {
        Matching.Identification id =
                tcp("syst", "220 ProFTPD Server (portlens bench) [127.0.0.1]\r\n215 UNIX Type: L8\r\n");
        assertThat(id.protocol()).isEqualTo("ftp");
        assertThat(id.product()).isEqualTo("ProFTPD");
        assertThat(id.details()).containsEntry("syst", "UNIX Type: L8");
    }

    // ------------------------------------------------------------------ answers to an HTTP GET

    @Test
    void torsSocksPortIsSocksNotHttp() {
        Matching.Identification id = tcp(
                "http-get",
                "HTTP/1.0 501 Tor is not an HTTP Proxy\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
                        + "<html><head><title>This is a SOCKS Proxy, Not An HTTP Proxy</title></head></html>");
        assertThat(id.protocol()).isEqualTo("socks");
        assertThat(id.product()).isEqualTo("Tor");
    }

    @Test
    void ngircdTellsAnHttpRequestItIsIrc() {
        Matching.Identification id = tcp("http-get", "ERROR :\"Oops, HTTP request received? This is IRC!\"\r\n");
        assertThat(id.protocol()).isEqualTo("irc");
        assertThat(id.product()).isEqualTo("ngIRCd");
    }

    @Test
    void varnishIsNamedFromViaOverTheBackendsServerHeader() {
        Matching.Identification id = tcp(
                "http-get",
                "HTTP/1.1 200 OK\r\nDate: Tue, 01 Dec 2026 22:22:31 GMT\r\nServer: Apache/2.4.71 (Debian)\r\n"
                        + "X-Varnish: 32770\r\nAge: 0\r\nVia: 1.1 varnish (Varnish/7.1)\r\nConnection: close\r\n\r\n");
        assertThat(id.protocol()).isEqualTo("http");
        assertThat(id.product()).isEqualTo("Varnish");
        assertThat(id.version()).isEqualTo("7.1");
        assertThat(id.details()).containsEntry("server", "Apache/2.4.71 (Debian)");
    }

    @Test
    void haproxysOwnErrorPageNamesIt() {
        Matching.Identification id = tcp(
                "http-get",
                "HTTP/1.1 400 Bad request\r\nContent-length: 90\r\nCache-Control: no-cache\r\nConnection: close\r\n"
                        + "Content-Type: text/html\r\n\r\n<html><body><h1>400 Bad request</h1>\n"
                        + "Your browser sent an invalid request.\n</body></html>\n");
        assertThat(id.product()).isEqualTo("HAProxy");
    }

    @Test
    void nodeExporterIsNamedFromItsLandingPage() {
        Matching.Identification id = tcp(
                "http-get",
                "HTTP/1.0 200 OK\r\nDate: Tue, 01 Dec 2026 22:23:17 GMT\r\nContent-Length: 150\r\n"
                        + "Content-Type: text/html; charset=utf-8\r\n\r\n<html>\n<head><title>Node Exporter</title></head>");
        assertThat(id.product()).isEqualTo("Prometheus node_exporter");
    }

    @Test
    void icecastsServerHeaderGivesItsVersion() {
        Matching.Identification id =
                tcp("http-get", "HTTP/1.0 404 File Not Found\r\nServer: Icecast 2.4.4\r\nConnection: Close\r\n\r\n");
        assertThat(id.product()).isEqualTo("Icecast");
        assertThat(id.version()).isEqualTo("2.4.4");
    }

    @Test
    void anHttpServerWithASlashInItsServerHeaderIsAsBefore() {
        Matching.Identification id =
                tcp("http-get", "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 0\r\n\r\n");
        assertThat(id.product()).isEqualTo("nginx");
        assertThat(id.version()).isEqualTo("1.22.1");
    }

    // ------------------------------------------------------------------ DNS servers by version.bind

    /** An answer to the dns probe's version.bind CHAOS TXT query (RFC 1035 4.1; id 0x706c), with {@code txt}. */
    static String versionBind(String txt, boolean tcp) {
        String q = "pl\u0084\u0000\u0000\u0001\u0000\u0001\u0000\u0000\u0000\u0000"
                + "\u0007version\u0004bind\u0000\u0000\u0010\u0000\u0003";
        String a = "\u00c0\u000c\u0000\u0010\u0000\u0003\u0000\u0000\u0000\u0000\u0000" + (char) (txt.length() + 1)
                + (char) txt.length() + txt;
        String m = q + a;
        return tcp ? "\u0000" + (char) m.length() + m : m;
    }

    @Test
    void bindUnboundAndPowerDnsAreNamedFromVersionBind() {
        Matching.Identification bind = answer("dns-udp", Transport.UDP, versionBind("9.18.49-1~deb12u3-Debian", false));
        assertThat(bind.product()).isEqualTo("ISC BIND");
        assertThat(bind.version()).isEqualTo("9.18.49-1~deb12u3-Debian");
        Matching.Identification bindTcp =
                answer("dns-tcp", Transport.TCP, versionBind("9.18.49-1~deb12u3-Debian", true));
        assertThat(bindTcp.product()).isEqualTo("ISC BIND");
        Matching.Identification unbound = answer("dns-udp", Transport.UDP, versionBind("unbound 1.17.1", false));
        assertThat(unbound.product()).isEqualTo("Unbound");
        assertThat(unbound.version()).isEqualTo("1.17.1");
        Matching.Identification pdns = answer("dns-udp", Transport.UDP, versionBind("PowerDNS Recursor 4.8.8", false));
        assertThat(pdns.product()).isEqualTo("PowerDNS Recursor");
        assertThat(pdns.version()).isEqualTo("4.8.8");
        Matching.Identification dnsmasq = answer("dns-udp", Transport.UDP, versionBind("dnsmasq-2.89", false));
        assertThat(dnsmasq.product()).isEqualTo("dnsmasq");
        Matching.Identification other = answer("dns-udp", Transport.UDP, versionBind("none of your business", false));
        assertThat(other.product()).isEmpty();
        assertThat(other.details()).containsEntry("version-bind", "none of your business");
    }

    // ------------------------------------------------------------------ written from the protocol documents

    @Test
    void zabbixAgentAnswersItsVersionItem() {
        Matching.Identification id = tcp("zabbix", "ZBXD\u0001\u0006\u0000\u0000\u0000\u0000\u0000\u0000\u00006.0.14");
        assertThat(id.protocol()).isEqualTo("zabbix");
        assertThat(id.product()).isEqualTo("Zabbix agent");
        assertThat(id.version()).isEqualTo("6.0.14");
    }

    @Test
    void aSocks5ServerChoosesAMethod() {
        Matching.Identification id = tcp("socks5", "\u0005\u0000");
        assertThat(id.protocol()).isEqualTo("socks");
        assertThat(id.details()).contains(entry("method", "0"));
        assertThat(Matching.identify(
                        SignatureFile.builtIn().stream()
                                .filter(s -> s.name().equals("socks5"))
                                .findFirst()
                                .orElseThrow()
                                .matchers(),
                        "\u0005\u0000more".getBytes(StandardCharsets.ISO_8859_1),
                        6))
                .as("two bytes exactly")
                .isNull();
    }

    @Test
    void mumblesUdpPingGivesItsVersionAndUsers() {
        Matching.Identification id = answer(
                "mumble-udp",
                Transport.UDP,
                "\u0000\u0001\u0003\u0004portlens\u0000\u0000\u0000\u0002\u0000\u0000\u0000\u0064\u0000\u0001\u0038\u0080");
        assertThat(id.protocol()).isEqualTo("mumble");
        assertThat(id.product()).isEqualTo("Mumble server");
        assertThat(id.version()).isEqualTo("1.3.4");
        assertThat(id.details()).containsEntry("users", "2").containsEntry("max-users", "100");
    }

    @Test
    void aNetbiosNodeStatusAnswerGivesTheFirstName() {
        String name = "CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        String answer = "pl\u0084\u0000\u0000\u0000\u0000\u0001\u0000\u0000\u0000\u0000\u0020" + name
                + "\u0000\u0000\u0021\u0000\u0001\u0000\u0000\u0000\u0000\u0000\u0041\u0001"
                + "BENCH          \u0000\u0004\u0000";
        Matching.Identification id = answer("netbios-ns", Transport.UDP, answer);
        assertThat(id.protocol()).isEqualTo("netbios-ns");
        assertThat(id.details().get("netbios-name")).startsWith("BENCH");
    }

    @Test
    void ngircdNamesItsVersionWhenRegistering() {
        Matching.Identification id = tcp(
                "irc",
                ":irc.portlens.test 001 portlens :Welcome to the Internet Relay Network portlens!~portlens@localhost\r\n"
                        + ":irc.portlens.test 002 portlens :Your host is irc.portlens.test, running version ngircd-26.1"
                        + " (x86_64/pc/linux-gnu)\r\n");
        assertThat(id.protocol()).isEqualTo("irc");
        assertThat(id.product()).isEqualTo("ngIRCd");
        assertThat(id.version()).isEqualTo("26.1");
    }

    @Test
    void rsyncsGreetingNamesRsync() {
        Matching.Identification id = tcp("banner", "@RSYNCD: 32.0 sha512 sha256 sha1 md5 md4\n");
        assertThat(id.protocol()).isEqualTo("rsync");
        assertThat(id.product()).isEqualTo("rsync");
        assertThat(id.details()).containsEntry("protocol-version", "32.0");
    }

    @Test
    void coturnNamesItselfInSoftware() {
        // a STUN Binding success response (RFC 5389 6, 15.10) as coturn 4.6.1 sent it to the bench's probe
        String software = "Coturn-4.6.1 'Gorst'";
        String attr = "\u0080\"\u0000" + (char) software.length() + software + "\u0000\u0000";
        String body = "\u0000\u0020\u0000\u0008\u0000\u0001\u0086\u0074\u005e\u0012\u00a4\u0043" + attr;
        String answer = "\u0001\u0001\u0000" + (char) body.length() + "\u0021\u0012\u00a4\u0042portlens-pl1" + body;
        Matching.Identification id = answer("stun", Transport.UDP, answer);
        assertThat(id.protocol()).isEqualTo("stun");
        assertThat(id.product()).isEqualTo("coturn");
        assertThat(id.version()).isEqualTo("4.6.1");
    }
}

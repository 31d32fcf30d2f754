package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;

/**
 * The probes for servers that wait for a client hello (and the banners added with them) against
 * answers written from the protocols' specifications ({@link SpecAnswers}): no network.
 */
class HelloProbesTest {

    /** What the prober makes of {@code answer} to probe {@code probe}: its own matchers, then the banner's. */
    private static Matching.Identification answer(String probe, Transport transport, String answer) {
        Signature sig = find(probe, transport);
        List<ResponseMatcher> all = new ArrayList<>(sig.matchers());
        if (!sig.passive() && sig.transport() == Transport.TCP) {
            all.addAll(find("banner", Transport.TCP).matchers());
        }
        byte[] b = answer.getBytes(StandardCharsets.ISO_8859_1);
        Matching.Identification id = Matching.identify(all, b, b.length);
        assertThat(id).as(probe + " on " + Matching.firstBytes(b, b.length)).isNotNull();
        return id;
    }

    private static Matching.Identification answer(String probe, String answer) {
        return answer(probe, Transport.TCP, answer);
    }

    private static Signature find(String name, Transport transport) {
        return SignatureFile.builtIn().stream()
                .filter(s -> s.name().equals(name) && s.transport() == transport)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void smb2NegotiateResponseGivesTheDialect() {
        Matching.Identification id = answer("smb", SpecAnswers.SMB2_NEGOTIATE_RESPONSE);
        assertThat(id.protocol()).isEqualTo("smb");
        assertThat(id.soft()).isFalse();
        assertThat(id.details()).containsExactly(entry("dialect", "3.0.2"));
    }

    @Test
    void smbPayloadIsOneNegotiateOfTheLengthItsFramingStates() {
        byte[] p = find("smb", Transport.TCP).payload();
        assertThat(p).hasSize(4 + 64 + 36 + 8);
        assertThat(((p[2] & 0xff) << 8) | (p[3] & 0xff)).isEqualTo(p.length - 4);
    }

    @Test
    void tdsPreloginResponseIsSqlServerWithItsVersion() {
        Matching.Identification id = answer("mssql", SpecAnswers.MSSQL_PRELOGIN_RESPONSE);
        assertThat(id.protocol()).isEqualTo("mssql");
        assertThat(id.product()).isEqualTo("Microsoft SQL Server");
        assertThat(id.version()).isEqualTo("15.0.2000");
    }

    @Test
    void jrmpProtocolAckIsJavaRmi() {
        Matching.Identification id = answer("java-rmi", SpecAnswers.JRMI_PROTOCOL_ACK);
        assertThat(id.protocol()).isEqualTo("java-rmi");
        assertThat(id.details()).containsExactly(entry("client-seen-as", "127.0.0.1"));
    }

    @Test
    void kafkaApiVersionsAnswerCarriesOurCorrelationId() {
        Matching.Identification id = answer("kafka", SpecAnswers.KAFKA_API_VERSIONS);
        assertThat(id.protocol()).isEqualTo("kafka");
        assertThat(id.details()).containsExactly(entry("apis", "2"));
    }

    @Test
    void zookeeperSrvrGivesVersionAndMode() {
        Matching.Identification id = answer("zookeeper", SpecAnswers.ZOOKEEPER_SRVR);
        assertThat(id.product()).isEqualTo("ZooKeeper");
        assertThat(id.version()).isEqualTo("3.8.4");
        assertThat(id.details()).containsExactly(entry("mode", "standalone"));
    }

    @Test
    void cqlSupportedGivesTheCqlVersion() {
        Matching.Identification id = answer("cql", SpecAnswers.CASSANDRA_SUPPORTED);
        assertThat(id.protocol()).isEqualTo("cassandra");
        assertThat(id.product()).isEmpty();
        assertThat(id.details()).containsExactly(entry("cql-version", "3.4.6"));
    }

    @Test
    void x11SuccessNamesTheVendorAndFailureTheReason() {
        assertThat(answer("x11", SpecAnswers.X11_SUCCESS).product()).isEqualTo("The X.Org Foundation");
        Matching.Identification failed = answer("x11", SpecAnswers.X11_FAILED);
        assertThat(failed.protocol()).isEqualTo("x11");
        assertThat(failed.details().get("refused"))
                .isEqualTo("Authorization required, but no authorization protocol specified");
    }

    @Test
    void rsyncNatsAndIrcGreetingsAreBanners() {
        assertThat(answer("banner", SpecAnswers.RSYNCD_BANNER).details())
                .containsExactly(entry("protocol-version", "31.0"));
        Matching.Identification nats = answer("banner", SpecAnswers.NATS_INFO);
        assertThat(nats.protocol()).isEqualTo("nats");
        assertThat(nats.version()).isEqualTo("2.10.4");
        Matching.Identification irc = answer("banner", SpecAnswers.IRC_NOTICE);
        assertThat(irc.protocol()).isEqualTo("irc");
        assertThat(irc.details()).containsEntry("server", "irc.example.net");
    }

    @Test
    void gitDaemonErrorIsGit() {
        Matching.Identification id = answer("git", SpecAnswers.GIT_DAEMON_ERR);
        assertThat(id.protocol()).isEqualTo("git");
        assertThat(id.details()).containsExactly(entry("error", "no such repository: /portlens.git"));
    }

    @Test
    void gitPayloadLengthIsItsPktLineLength() {
        byte[] p = find("git", Transport.TCP).payload();
        assertThat(Integer.parseInt(new String(p, 0, 4, StandardCharsets.US_ASCII), 16))
                .isEqualTo(p.length);
    }

    @Test
    void rtspAnswersOptionsAndAGet() {
        Matching.Identification id = answer("rtsp", SpecAnswers.RTSP_OPTIONS);
        assertThat(id.protocol()).isEqualTo("rtsp");
        assertThat(id.details()).containsEntry("status", "200 OK").containsEntry("server", "gortsplib");
        assertThat(answer("http-get", "RTSP/1.0 400 Bad Request\r\nCSeq: 0\r\n\r\n")
                        .protocol())
                .isEqualTo("rtsp");
    }

    @Test
    void sipOptionsOverTcpAndUdpNameTheServer() {
        for (Matching.Identification id : List.of(
                answer("sip", SpecAnswers.SIP_OPTIONS), answer("sip-udp", Transport.UDP, SpecAnswers.SIP_OPTIONS))) {
            assertThat(id.protocol()).isEqualTo("sip");
            assertThat(id.product()).isEqualTo("Asterisk");
            assertThat(id.details()).containsEntry("status", "200 OK");
        }
    }

    @Test
    void epmdNamesTheNode() {
        Matching.Identification id = answer("epmd", SpecAnswers.EPMD_NAMES);
        assertThat(id.details()).containsExactly(entry("node", "rabbit"), entry("node-port", "25672"));
    }

    @Test
    void rpcNullReplyIsThePortmapperOverTcpAndUdp() {
        assertThat(answer("rpc", SpecAnswers.RPC_NULL_REPLY_TCP).details())
                .containsExactly(entry("program", "portmapper"));
        assertThat(answer("rpc-udp", Transport.UDP, SpecAnswers.RPC_NULL_REPLY_UDP)
                        .protocol())
                .isEqualTo("rpc");
    }

    @Test
    void xmppStreamHeaderGivesTheDomain() {
        Matching.Identification id = answer("xmpp", SpecAnswers.XMPP_STREAM);
        assertThat(id.protocol()).isEqualTo("xmpp");
        assertThat(id.details()).containsExactly(entry("domain", "localhost"));
    }

    @Test
    void ircWelcomeIsIrc() {
        assertThat(answer("irc", SpecAnswers.IRC_REGISTERED).details())
                .containsExactly(entry("server", "irc.example.net"));
    }

    @Test
    void beanstalkdStatsGivesTheVersion() {
        Matching.Identification id = answer("beanstalkd", SpecAnswers.BEANSTALKD_STATS);
        assertThat(id.product()).isEqualTo("beanstalkd");
        assertThat(id.version()).isEqualTo("1.12");
    }

    @Test
    void openVpnServerResetAcksOurSessionOverTcpAndUdp() {
        assertThat(answer("openvpn", SpecAnswers.OPENVPN_RESET_TCP).protocol()).isEqualTo("openvpn");
        assertThat(answer("openvpn-udp", Transport.UDP, SpecAnswers.OPENVPN_RESET_UDP)
                        .protocol())
                .isEqualTo("openvpn");
    }

    @Test
    void stunBindingSuccessNamesTheSoftware() {
        Matching.Identification id = answer("stun", Transport.UDP, SpecAnswers.STUN_BINDING_SUCCESS);
        assertThat(id.protocol()).isEqualTo("stun");
        assertThat(id.details()).containsExactly(entry("software", "Coturn-4.6.1 'Gorst'"));
        assertThat(answer("stun-tcp", SpecAnswers.STUN_BINDING_SUCCESS).protocol())
                .isEqualTo("stun");
    }

    @Test
    void mdnsAndSsdpAnswers() {
        assertThat(answer("mdns", Transport.UDP, SpecAnswers.MDNS_SERVICES).protocol())
                .isEqualTo("mdns");
        Matching.Identification ssdp = answer("ssdp", Transport.UDP, SpecAnswers.SSDP_RESPONSE);
        assertThat(ssdp.protocol()).isEqualTo("ssdp");
        assertThat(ssdp.details()).containsExactly(entry("server", "Debian/12 UPnP/1.1 MiniUPnPd/2.3.1"));
    }

    @Test
    void kerberosErrorGivesTheErrorCodeAndRealmOverUdpAndTcp() {
        for (Matching.Identification id : List.of(
                answer("kerberos-udp", Transport.UDP, SpecAnswers.KERBEROS_WRONG_REALM),
                answer("kerberos", SpecAnswers.KERBEROS_WRONG_REALM_TCP))) {
            assertThat(id.protocol()).isEqualTo("kerberos");
            assertThat(id.details()).containsExactly(entry("error-code", "68"), entry("realm", "PORTLENS.INVALID"));
        }
    }

    @Test
    void kerberosRequestIsOneDerValueOfTheLengthItStates() {
        byte[] udp = find("kerberos-udp", Transport.UDP).payload();
        assertThat(udp[0]).isEqualTo((byte) 0x6a); // [APPLICATION 10] AS-REQ
        assertThat(udp[1]).isEqualTo((byte) 0x81);
        assertThat(udp[2] & 0xff).isEqualTo(udp.length - 3);
        byte[] tcp = find("kerberos", Transport.TCP).payload();
        assertThat(tcp[3] & 0xff).isEqualTo(udp.length);
    }

    @Test
    void elasticsearchRootDocumentNamesItself() {
        Matching.Identification id = answer(
                "http-get",
                "HTTP/1.1 200 OK\r\nX-elastic-product: Elasticsearch\r\ncontent-type: application/json\r\n\r\n"
                        + "{\n  \"name\" : \"n1\",\n  \"version\" : {\n    \"number\" : \"8.11.1\",\n"
                        + "    \"build_flavor\" : \"default\"\n  },\n  \"tagline\" : \"You Know, for Search\"\n}\n");
        assertThat(id.protocol()).isEqualTo("http");
        assertThat(id.product()).isEqualTo("Elasticsearch");
        assertThat(id.version()).isEqualTo("8.11.1");
    }

    @Test
    void noHelloProbeClaimsAnotherProbesRecordedAnswer() {
        List<String> recorded = List.of(
                RecordedAnswers.NGINX_HTTP,
                RecordedAnswers.OPENSSH_BANNER,
                RecordedAnswers.MARIADB_GREETING,
                RecordedAnswers.POSTGRES_STARTUP,
                RecordedAnswers.REDIS_PING_INFO,
                RecordedAnswers.MEMCACHED_VERSION,
                RecordedAnswers.MOSQUITTO_CONNACK,
                RecordedAnswers.DNSMASQ_UDP_VERSION_BIND);
        for (String probe : List.of(
                "smb",
                "mssql",
                "java-rmi",
                "kafka",
                "zookeeper",
                "cql",
                "x11",
                "git",
                "rtsp",
                "sip",
                "epmd",
                "rpc",
                "xmpp",
                "irc",
                "beanstalkd",
                "openvpn",
                "stun-tcp")) {
            Signature sig = find(probe, Transport.TCP);
            for (String r : recorded) {
                byte[] b = r.getBytes(StandardCharsets.ISO_8859_1);
                assertThat(Matching.identify(sig.matchers(), b, b.length))
                        .as(probe + " on " + Matching.firstBytes(b, b.length))
                        .isNull();
            }
        }
    }
}

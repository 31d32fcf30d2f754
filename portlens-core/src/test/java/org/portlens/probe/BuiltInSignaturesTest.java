package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;

/**
 * The built-in matchers against recorded answers of real servers ({@link RecordedAnswers}) and
 * against answers written from the protocols' specifications (labelled "spec" below): no network.
 */
class BuiltInSignaturesTest {

    /** What the prober makes of {@code answer} to probe {@code probe}: its own matchers, then the banner's. */
    private static Matching.Identification answer(String probe, String answer) {
        Signature sig = find(probe);
        List<ResponseMatcher> all = new ArrayList<>(sig.matchers());
        if (!sig.passive() && sig.transport() == Transport.TCP) {
            all.addAll(find("banner").matchers());
        }
        byte[] b = answer.getBytes(StandardCharsets.ISO_8859_1);
        return Matching.identify(all, b, b.length);
    }

    private static Signature find(String name) {
        return SignatureFile.builtIn().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void nginxAnswerGivesStatusServerTitleProductAndVersion() {
        Matching.Identification id = answer("http-get", RecordedAnswers.NGINX_HTTP);
        assertThat(id.protocol()).isEqualTo("http");
        assertThat(id.soft()).isFalse();
        assertThat(id.product()).isEqualTo("nginx");
        assertThat(id.version()).isEqualTo("1.22.1");
        assertThat(id.details())
                .containsExactly(
                        entry("status", "200 OK"), entry("server", "nginx/1.22.1"), entry("title", "Hello portlens"));
    }

    @Test
    void plainHttpToNginxTlsPortIsASoftHttps() {
        Matching.Identification id = answer("http-get", RecordedAnswers.NGINX_PLAIN_TO_TLS_PORT);
        assertThat(id.protocol()).isEqualTo("https");
        assertThat(id.soft()).isTrue();
        assertThat(id.product()).isEqualTo("nginx");
    }

    @Test
    void pythonHttpServerHeaderNamesSimpleHttp() {
        // spec: what python3 -m http.server answers, shortened
        Matching.Identification id = answer(
                "http-get",
                "HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n"
                        + "Content-type: text/html; charset=utf-8\r\n\r\n<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n"
                        + "<TITLE>Directory listing for /</TITLE>\n</head>");
        assertThat(id.protocol()).isEqualTo("http");
        assertThat(id.product()).isEqualTo("SimpleHTTP");
        assertThat(id.version()).isEqualTo("0.6");
        assertThat(id.details())
                .containsEntry("server", "SimpleHTTP/0.6 Python/3.11.2")
                .containsEntry("title", "Directory listing for /");
    }

    @Test
    void utf8TitleIsDecodedAndControlCharactersEscaped() {
        String body = "HTTP/1.1 200 OK\r\n\r\n<title>Caf\u00c3\u00a9 \u001b[31mred</title>";
        Matching.Identification id = answer("http-get", body);
        assertThat(id.details()).containsEntry("title", "Café \\x1b[31mred");
    }

    @Test
    void overlongTitleIsCut() {
        Matching.Identification id =
                answer("http-get", "HTTP/1.1 200 OK\r\n\r\n<title>" + "x".repeat(5000) + "</title>");
        assertThat(id.details().get("title")).hasSize(Matching.MAX_VALUE).endsWith("…");
    }

    @Test
    void openSshBannerGivesProductVersionAndComment() {
        Matching.Identification id = answer("banner", RecordedAnswers.OPENSSH_BANNER);
        assertThat(id.protocol()).isEqualTo("ssh");
        assertThat(id.product()).isEqualTo("OpenSSH");
        assertThat(id.version()).isEqualTo("9.2p1");
        assertThat(id.details()).containsEntry("comment", "Debian-2+deb12u10");
    }

    @Test
    void sshBannerIsRecognisedInTheAnswerToAnotherProbe() {
        Matching.Identification id =
                answer("http-get", RecordedAnswers.OPENSSH_BANNER + "Invalid SSH identification string.\r\n");
        assertThat(id.protocol()).isEqualTo("ssh");
    }

    @Test
    void dropbearBanner() {
        // spec: RFC 4253 section 4.2, as Dropbear words it
        Matching.Identification id = answer("banner", "SSH-2.0-dropbear_2022.83\r\n");
        assertThat(id.product()).isEqualTo("dropbear");
        assertThat(id.version()).isEqualTo("2022.83");
    }

    @Test
    void mariaDbGreetingGivesTheRealVersionNotThe555Prefix() {
        Matching.Identification id = answer("banner", RecordedAnswers.MARIADB_GREETING);
        assertThat(id.protocol()).isEqualTo("mysql");
        assertThat(id.product()).isEqualTo("MariaDB");
        assertThat(id.version()).isEqualTo("10.11.19");
        assertThat(id.details()).containsEntry("server-version", "10.11.19-MariaDB-0+deb12u1");
    }

    @Test
    void mysqlGreeting() {
        // spec: HandshakeV10 as MySQL 8.0 sends it, shortened after the version
        Matching.Identification id =
                answer("banner", "J\u0000\u0000\u0000\n8.0.36-0ubuntu0.22.04.1\u0000\u0008\u0000\u0000\u0000");
        assertThat(id.protocol()).isEqualTo("mysql");
        assertThat(id.product()).isEqualTo("MySQL");
        assertThat(id.version()).isEqualTo("8.0.36");
    }

    @Test
    void mysqlHostNotAllowedError() {
        // spec: ERR packet 1130 sent instead of a greeting
        Matching.Identification id = answer(
                "banner",
                "E\u0000\u0000\u0000\u00ffj\u0004Host '10.0.0.5' is not allowed to connect to this MariaDB server");
        assertThat(id.protocol()).isEqualTo("mysql");
        assertThat(id.product()).isEqualTo("MariaDB");
    }

    @Test
    void postgresSslRequestAnswerIsSoftAndStartupErrorConfirms() {
        Matching.Identification soft = answer("pg-ssl", RecordedAnswers.POSTGRES_SSLREQUEST);
        assertThat(soft.protocol()).isEqualTo("postgresql");
        assertThat(soft.soft()).isTrue();
        assertThat(soft.details()).containsEntry("ssl", "no");

        Matching.Identification hard = answer("pg-startup", RecordedAnswers.POSTGRES_STARTUP);
        assertThat(hard.protocol()).isEqualTo("postgresql");
        assertThat(hard.soft()).isFalse();
        assertThat(hard.details()).containsEntry("error", "role \"portlens\" does not exist");
        assertThat(hard.over(soft).details())
                .containsExactly(entry("ssl", "no"), entry("error", "role \"portlens\" does not exist"));
    }

    @Test
    void postgresAskingForAPasswordIsPostgres() {
        // spec: AuthenticationSASL (R, code 10) as scram-sha-256 asks
        Matching.Identification id =
                answer("pg-startup", "R\u0000\u0000\u0000\u0017\u0000\u0000\u0000\nSCRAM-SHA-256\u0000\u0000");
        assertThat(id.protocol()).isEqualTo("postgresql");
        assertThat(id.details()).containsEntry("auth", "requested");
    }

    @Test
    void redisPongWithInfoGivesVersion() {
        Matching.Identification id = answer("redis", RecordedAnswers.REDIS_PING_INFO);
        assertThat(id.protocol()).isEqualTo("redis");
        assertThat(id.product()).isEqualTo("Redis");
        assertThat(id.version()).isEqualTo("7.0.15");
        assertThat(id.details()).containsEntry("mode", "standalone");
    }

    @Test
    void redisAskingForAPasswordIsRedis() {
        // spec: requirepass set; both commands refused
        Matching.Identification id =
                answer("redis", "-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n");
        assertThat(id.protocol()).isEqualTo("redis");
        assertThat(id.soft()).isFalse();
        assertThat(id.details()).containsEntry("auth", "required");
    }

    @Test
    void redisAnswerToHttpGetIsASoftRedis() {
        Matching.Identification id = answer("http-get", RecordedAnswers.REDIS_HTTP_GET);
        assertThat(id.protocol()).isEqualTo("redis");
        assertThat(id.soft()).isTrue();
    }

    @Test
    void memcachedVersion() {
        Matching.Identification id = answer("memcached", RecordedAnswers.MEMCACHED_VERSION);
        assertThat(id.protocol()).isEqualTo("memcached");
        assertThat(id.version()).isEqualTo("1.6.18");
    }

    @Test
    void mosquittoConnack() {
        Matching.Identification id = answer("mqtt", RecordedAnswers.MOSQUITTO_CONNACK);
        assertThat(id.protocol()).isEqualTo("mqtt");
        assertThat(id.details()).containsEntry("connack", "0");
    }

    @Test
    void dnsmasqAnswersVersionBindOverUdp() {
        Matching.Identification id = answer("dns-udp", RecordedAnswers.DNSMASQ_UDP_VERSION_BIND);
        assertThat(id.protocol()).isEqualTo("dns");
        assertThat(id.product()).isEqualTo("dnsmasq");
        assertThat(id.version()).isEqualTo("2.90");
    }

    @Test
    void dnsOverTcpNeedsTheLengthPrefix() {
        Matching.Identification id = answer("dns-tcp", "\u00007" + RecordedAnswers.DNSMASQ_UDP_VERSION_BIND);
        assertThat(id.protocol()).isEqualTo("dns");
        assertThat(answer("dns-udp", "\u00007" + RecordedAnswers.DNSMASQ_UDP_VERSION_BIND))
                .isNull();
    }

    @Test
    void ftpBannersAreNotTakenForSmtp() {
        // spec: greetings as vsftpd, ProFTPD and Postfix word them
        assertThat(answer("banner", "220 (vsFTPd 3.0.3)\r\n")).satisfies(id -> {
            assertThat(id.protocol()).isEqualTo("ftp");
            assertThat(id.product()).isEqualTo("vsftpd");
            assertThat(id.version()).isEqualTo("3.0.3");
        });
        assertThat(answer("banner", "220 ProFTPD 1.3.8 Server (Debian) [::ffff:127.0.0.1]\r\n")
                        .product())
                .isEqualTo("ProFTPD");
        assertThat(answer("banner", "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n"))
                .satisfies(id -> {
                    assertThat(id.protocol()).isEqualTo("smtp");
                    assertThat(id.product()).isEqualTo("Postfix");
                    assertThat(id.details()).containsEntry("hostname", "mail.example.org");
                });
        assertThat(answer("banner", "220 host.example ESMTP Exim 4.96 Fri, 27 Nov 2026 15:00:00 +0000\r\n")
                        .version())
                .isEqualTo("4.96");
    }

    @Test
    void bare220IsASoftFtpThatSystSettles() {
        Matching.Identification soft = answer("banner", "220 Welcome\r\n");
        assertThat(soft.protocol()).isEqualTo("ftp");
        assertThat(soft.soft()).isTrue();
        assertThat(answer("syst", "220 Welcome\r\n215 UNIX Type: L8\r\n").details())
                .containsEntry("syst", "UNIX Type: L8");
        assertThat(answer("syst", "220 Welcome\r\n502 5.5.2 Error: command not recognized\r\n")
                        .protocol())
                .isEqualTo("smtp");
    }

    @Test
    void pop3AndImapGreetings() {
        // spec: Dovecot's greetings
        assertThat(answer("banner", "+OK Dovecot (Debian) ready.\r\n")).satisfies(id -> {
            assertThat(id.protocol()).isEqualTo("pop3");
            assertThat(id.product()).isEqualTo("Dovecot");
        });
        assertThat(answer(
                        "banner",
                        "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
                                + "AUTH=PLAIN] Dovecot (Debian) ready.\r\n"))
                .satisfies(id -> {
                    assertThat(id.protocol()).isEqualTo("imap");
                    assertThat(id.product()).isEqualTo("Dovecot");
                });
    }

    @Test
    void vncGreeting() {
        assertThat(answer("banner", "RFB 003.008\n").details()).containsEntry("rfb", "003.008");
    }

    @Test
    void http2SettingsFrame() {
        // spec: RFC 9113 section 6.5, a SETTINGS frame with two settings
        String settings =
                "\u0000\u0000\u000c\u0004\u0000\u0000\u0000\u0000\u0000\u0000\u0003\u0000\u0000\u0000\u0064\u0000\u0004\u0000\u0001\u0000\u0000";
        assertThat(answer("http2", settings).protocol()).isEqualTo("http2");
    }

    @Test
    void mongodbIsMasterReply() {
        // spec: OP_REPLY (opcode 1) to request id 0x706c with {ismaster: true, maxWireVersion: 21}
        String doc = "\u0008ismaster\u0000\u0001\u0010maxWireVersion\u0000\u0015\u0000\u0000\u0000\u0001ok\u0000"
                + "\u0000\u0000\u0000\u0000\u0000\u0000\u00f0\u003f\u0000";
        String reply = "\u0070\u0000\u0000\u0000\u0001\u0000\u0000\u0000lp\u0000\u0000\u0001\u0000\u0000\u0000"
                + "\u0008\u0000\u0000\u0000" + "\u0000".repeat(8) + "\u0000\u0000\u0000\u0000\u0001\u0000\u0000\u0000"
                + "\u0030\u0000\u0000\u0000" + doc;
        Matching.Identification id = answer("mongodb", reply);
        assertThat(id.protocol()).isEqualTo("mongodb");
        assertThat(id.details()).containsEntry("wire-version", "21");
    }

    @Test
    void amqpConnectionStartGivesProductAndVersion() {
        // spec: AMQP 0-9-1 Connection.Start as RabbitMQ sends it, server properties shortened
        String props = "\u0007productS\u0000\u0000\u0000\u0008RabbitMQ\u0007versionS\u0000\u0000\u0000\u00063.12.1";
        String frame = "\u0001\u0000\u0000\u0000\u0000\u0001\u0000\u0000\n\u0000\n\u0000\u0009\u0000\u0000\u0000\u0030"
                + props;
        Matching.Identification id = answer("amqp", frame);
        assertThat(id.protocol()).isEqualTo("amqp");
        assertThat(id.product()).isEqualTo("RabbitMQ");
        assertThat(id.version()).isEqualTo("3.12.1");
        assertThat(answer("amqp", "AMQP\u0000\u0001\u0000\u0000").protocol()).isEqualTo("amqp");
    }

    @Test
    void ldapBindResponse() {
        // spec: RFC 4511 BindResponse, success, message id 1
        Matching.Identification id =
                answer("ldap", "\u0030\u000c\u0002\u0001\u0001\u0061\u0007\n\u0001\u0000\u0004\u0000\u0004\u0000");
        assertThat(id.protocol()).isEqualTo("ldap");
        assertThat(id.details()).containsEntry("result-code", "0");
    }

    @Test
    void rdpConnectionConfirm() {
        // spec: MS-RDPBCGR 2.2.1.2, X.224 Connection Confirm with RDP_NEG_RSP (TLS)
        String cc =
                "\u0003\u0000\u0000\u0013\u000e\u00d0\u0000\u0000\u0012\u0034\u0000\u0002\u001f\u0008\u0000\u0001\u0000\u0000\u0000";
        assertThat(answer("rdp", cc).protocol()).isEqualTo("rdp");
    }

    @Test
    void ntpServerReplyGivesStratum() {
        // spec: RFC 5905 mode 4 reply, version 4, stratum 2
        String reply = "\u0024\u0002\u0003\u00e9" + "\u0000".repeat(44);
        Matching.Identification id = answer("ntp", reply);
        assertThat(id.protocol()).isEqualTo("ntp");
        assertThat(id.details()).containsEntry("stratum", "2");
    }

    @Test
    void chronyReplyGivesStratum() {
        Matching.Identification id = answer("ntp", RecordedAnswers.CHRONY_NTP);
        assertThat(id.protocol()).isEqualTo("ntp");
        assertThat(id.details()).containsEntry("stratum", "8");
    }

    @Test
    void netSnmpResponseGivesSysDescr() {
        Matching.Identification id = answer("snmp", RecordedAnswers.SNMPD_SYSDESCR);
        assertThat(id.protocol()).isEqualTo("snmp");
        assertThat(id.details()).containsEntry("sysdescr", "portlens test agent");
    }

    @Test
    void snmpResponseGivesSysDescr() {
        Matching.Identification id = answer("snmp", Fakes.snmpResponse("Linux box 6.1.0-18-amd64 #1 SMP x86_64"));
        assertThat(id.protocol()).isEqualTo("snmp");
        assertThat(id.details()).containsEntry("sysdescr", "Linux box 6.1.0-18-amd64 #1 SMP x86_64");
    }

    @Test
    void binaryGarbageMatchesNothing() {
        assertThat(answer("http-get", "\u0000\u0001\u0002garbage\u00ff")).isNull();
    }
}

package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;
import org.portlens.testkit.Needs;

class NmapProbesTest {

    /** Written for this test in the format of nmap's nmap-service-probes (not taken from it). */
    private static final String SAMPLE = """
            # comment
            Exclude T:9100-9107
            Probe TCP NULL q||
            totalwaitms 6000
            match ssh m|^SSH-([\\d.]+)-OpenSSH_([\\w._-]+)[ -]([^\\r\\n]*)\\r?\\n| p/OpenSSH/ v/$2/ i/protocol $1/ o/Linux/ cpe:/a:openbsd:openssh:$2/
            match nul m|^\\0\\0OK| p/Nul server/
            match posix m|^([[:digit:]]+) ready[[:space:]]| v/$1/
            softmatch ftp m|^220 |
            match broken m|^x{,5}(| p/never/

            Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|
            rarity 1
            ports 80,8000-8010
            sslports 443
            match http m|^HTTP/1\\.[01] \\d\\d\\d .*\\r\\nServer: Apache/([\\d.]+)|s p|Apache httpd| v/$1/
            fallback NULL

            Probe TCP Rare q|\\x01\\x02|
            rarity 9
            match rare m|^\\x03|
            fallback GetRequest

            Probe UDP DNSVersionBindReq q|\\0\\x06\\x01\\0\\0\\x01\\0\\0\\0\\0\\0\\0\\x07version\\x04bind\\0\\0\\x10\\0\\x03|
            rarity 1
            ports 53
            match dns m|^\\0\\x06\\x81|
            """;

    private static Matching.Identification identify(Signature s, String answer) {
        byte[] b = answer.getBytes(StandardCharsets.ISO_8859_1);
        return Matching.identify(s.matchers(), b, b.length);
    }

    @Test
    void readsProbesMatchesPortsAndVersionFields() {
        NmapProbes.Loaded l = NmapProbes.parse(SAMPLE, "sample", 7);

        assertThat(l.signatures())
                .extracting(Signature::name)
                .containsExactly("nmap-NULL", "nmap-GetRequest", "nmap-DNSVersionBindReq");
        Signature nul = l.signatures().get(0);
        assertThat(nul.passive()).isTrue();
        Matching.Identification ssh = identify(nul, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
        assertThat(ssh.protocol()).isEqualTo("ssh");
        assertThat(ssh.product()).isEqualTo("OpenSSH");
        assertThat(ssh.version()).isEqualTo("9.2p1");
        assertThat(ssh.details()).containsEntry("info", "protocol 2.0").containsEntry("os", "Linux");

        Signature get = l.signatures().get(1);
        assertThat(new String(get.payload(), StandardCharsets.ISO_8859_1)).isEqualTo("GET / HTTP/1.0\r\n\r\n");
        assertThat(get.plausibleOn(8005)).isTrue();
        assertThat(get.plausibleOn(443)).isTrue();
        assertThat(identify(get, "HTTP/1.1 200 OK\r\nServer: Apache/2.4.57 (Debian)\r\n")
                        .version())
                .isEqualTo("2.4.57");

        Signature dns = l.signatures().get(2);
        assertThat(dns.transport()).isEqualTo(Transport.UDP);
        assertThat(dns.payload()).startsWith(0, 6, 1, 0, 0, 1);
    }

    @Test
    void translatesPerlNulAndPosixClasses() {
        Signature nul = NmapProbes.parse(SAMPLE, "sample", 7).signatures().get(0);
        assertThat(identify(nul, "\u0000\u0000OK").protocol()).isEqualTo("nul");
        assertThat(identify(nul, "42 ready\n").version()).isEqualTo("42");
        assertThat(NmapProbes.javaRegex("a\\0b\\01[[:alpha:]_]")).isEqualTo("a\\x00b\\01[\\p{Alpha}_]");
        assertThat(NmapProbes.javaRegex("^S\\x1a{|\\[\\d+, {.*x{2,3}")).isEqualTo("^S\\x1a\\{|\\[\\d+, \\{.*x{2,3}");
    }

    @Test
    void countsAndNamesTheExpressionsJavaCannotCompile() {
        NmapProbes.Loaded l = NmapProbes.parse(SAMPLE, "sample", 7);

        assertThat(l.skipped()).isEqualTo(1);
        assertThat(l.matchers()).isEqualTo(7);
        assertThat(l.problems()).singleElement().asString().startsWith("sample:9: Java cannot compile");
    }

    @Test
    void leavesOutProbesRarerThanAsked() {
        assertThat(NmapProbes.parse(SAMPLE, "sample", 9).signatures())
                .extracting(Signature::name)
                .contains("nmap-Rare");
    }

    @Test
    void fallbackAddsTheMatchersOfTheNamedProbe() {
        Signature rare = NmapProbes.parse(SAMPLE, "sample", 9).signatures().stream()
                .filter(s -> s.name().equals("nmap-Rare"))
                .findFirst()
                .orElseThrow();
        assertThat(identify(rare, "\u0003").protocol()).isEqualTo("rare");
        assertThat(identify(rare, "HTTP/1.0 200 OK\r\nServer: Apache/2.4.1\r\n").protocol())
                .isEqualTo("http");
    }

    @Test
    void runsAfterTheBuiltInProbes() {
        Prober p = Prober.builder()
                .fallbackSignatures(NmapProbes.parse(SAMPLE, "sample", 7).signatures())
                .build();
        assertThat(p.order(40000, Transport.TCP, Hints.none()))
                .startsWith("banner", "http-get")
                .endsWith("nmap-GetRequest");
    }

    @Test
    void readsTheInstalledNmapFileWhenThereIsOne() throws Exception {
        Needs.debianPackage("nmap", NmapProbes::installed);

        NmapProbes.Loaded l = NmapProbes.load(NmapProbes.DEFAULT_PATH, 7);

        assertThat(l.signatures()).hasSizeGreaterThan(20);
        assertThat(l.matchers()).isGreaterThan(1000);
        assertThat(l.skipped()).isLessThan(l.matchers() / 10);
        Prober.builder().fallbackSignatures(l.signatures()).build();
    }
}

package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

class SignatureFileTest {

    private static final String GOOD = """
            # a comment, then a blank line

            probe hello tcp
              send "HELLO\\r\\n\\x00\\0\\e\\t\\"q\\"\\\\"
              send "more"
              ports 7000, 7001-7003
              hints hellod hello-* HELLO
              match hello m|^HI ([\\w.]+) (\\S+)|i product="Hello Server" version=$1 host=$2
                extract m|(?s)build=(\\d+)| build=$1
              softmatch hello m%^HI|^HEY%

            probe secure tcp
              handler tls
              inside hello

            probe quiet tcp
              match quiet m/^QUIET/

            probe ping udp
              send "\\x01\\x02"
              match pong m|^\\x02|s
            """;

    @Test
    void parsesEveryDirectiveOfAGoodFile() {
        List<Signature> sigs = SignatureFile.parse(GOOD, "good.txt");

        assertThat(sigs).extracting(Signature::name).containsExactly("hello", "secure", "quiet", "ping");
        Signature hello = sigs.get(0);
        assertThat(hello.transport()).isEqualTo(Transport.TCP);
        assertThat(new String(hello.payload(), StandardCharsets.ISO_8859_1))
                .isEqualTo("HELLO\r\n\u0000\u0000\u001b\t\"q\"\\more");
        assertThat(hello.ports()).containsExactly(PortRange.of(7000), new PortRange(7001, 7003));
        assertThat(hello.hints()).containsExactly("hellod", "hello-*", "hello");
        assertThat(hello.origin()).isEqualTo("good.txt:3");
        assertThat(hello.matchers()).hasSize(2);
        ResponseMatcher m = hello.matchers().get(0);
        assertThat(m.protocol()).isEqualTo("hello");
        assertThat(m.soft()).isFalse();
        assertThat(m.fields())
                .containsExactly(
                        Map.entry("product", "Hello Server"), Map.entry("version", "$1"), Map.entry("host", "$2"));
        assertThat(m.extracts()).hasSize(1);
        assertThat(m.origin()).isEqualTo("good.txt:8");
        assertThat(hello.matchers().get(1).soft()).isTrue();

        Signature secure = sigs.get(1);
        assertThat(secure.handler()).isEqualTo(Signature.Handler.TLS);
        assertThat(secure.inside()).containsExactly("hello");
        assertThat(secure.passive()).isFalse();
        assertThat(sigs.get(2).passive()).isTrue();
        assertThat(sigs.get(3).transport()).isEqualTo(Transport.UDP);
    }

    @Test
    void matchesCaseInsensitivelyWithFlagIAndExtractsFields() {
        Signature hello = SignatureFile.parse(GOOD, "good.txt").get(0);
        byte[] answer = "hi 1.2.3 box\r\nbuild=42".getBytes(StandardCharsets.ISO_8859_1);

        Matching.Identification id = Matching.identify(hello.matchers(), answer, answer.length);

        assertThat(id.protocol()).isEqualTo("hello");
        assertThat(id.product()).isEqualTo("Hello Server");
        assertThat(id.version()).isEqualTo("1.2.3");
        assertThat(id.details()).containsExactly(Map.entry("host", "box"), Map.entry("build", "42"));
    }

    @Test
    void hintsMatchProcessNamesWithATrailingStar() {
        Signature hello = SignatureFile.parse(GOOD, "good.txt").get(0);
        assertThat(hello.hintedBy("hello-server")).isTrue();
        assertThat(hello.hintedBy("HELLOD")).isTrue();
        assertThat(hello.hintedBy("hellodaemon")).isFalse();
        assertThat(hello.plausibleOn(7002)).isTrue();
        assertThat(hello.plausibleOn(7004)).isFalse();
    }

    @Test
    void bundledProbesFileParses() {
        List<Signature> sigs = SignatureFile.builtIn();

        assertThat(sigs)
                .extracting(Signature::name)
                .contains(
                        "banner",
                        "http-get",
                        "tls",
                        "http2",
                        "redis",
                        "memcached",
                        "pg-ssl",
                        "pg-startup",
                        "mongodb",
                        "mqtt",
                        "amqp",
                        "ldap",
                        "rdp",
                        "dns-tcp",
                        "syst",
                        "dns-udp",
                        "ntp",
                        "snmp");
        assertThat(sigs.get(0).name()).isEqualTo("banner");
        assertThat(sigs).allSatisfy(s -> assertThat(s.origin()).startsWith("probes.txt:"));
        assertThat(Prober.withDefaults().signatures()).hasSameSizeAs(sigs);
    }

    // ------------------------------------------------------------------ broken files

    private static String problem(String text) {
        try {
            SignatureFile.parse(text, "user.txt");
        } catch (SignatureFormatException e) {
            assertThat(e.problems()).hasSize(1);
            return e.getMessage();
        }
        throw new AssertionError("no problem found in:\n" + text);
    }

    @Test
    void unknownKeywordNamesFileAndLine() {
        assertThat(problem("probe a tcp\n  send \"x\"\n  mtach a m/x/\n"))
                .startsWith("user.txt:3: unknown keyword 'mtach'");
    }

    @Test
    void directiveBeforeAnyProbeIsReported() {
        assertThat(problem("\n  send \"x\"\n")).isEqualTo("user.txt:2: 'send' before any 'probe NAME tcp|udp' line");
    }

    @Test
    void badTransportIsReported() {
        assertThat(problem("probe a sctp\n  match a m/x/\n"))
                .isEqualTo("user.txt:1: probe transport must be tcp or udp, got 'sctp'");
    }

    @Test
    void probeLineWithoutTransportIsReportedOnceAndItsLinesSkipped() {
        assertThat(problem("probe a\n  send \"x\"\n  match a m/x/\n"))
                .isEqualTo("user.txt:1: expected 'probe NAME tcp|udp', got 'probe a'");
    }

    @Test
    void duplicateProbeNameIsReported() {
        assertThat(problem("probe a tcp\n match a m/x/\nprobe a tcp\n match a m/y/\n"))
                .isEqualTo("user.txt:3: probe 'a' is defined twice in this file");
    }

    @Test
    void unknownEscapeInPayloadIsReported() {
        assertThat(problem("probe a tcp\n  send \"x\\q\"\n  match a m/x/\n"))
                .startsWith("user.txt:2: unknown escape '\\q' in payload");
    }

    @Test
    void shortHexEscapeInPayloadIsReported() {
        assertThat(problem("probe a tcp\n  send \"\\x4\"\n  match a m/x/\n"))
                .startsWith("user.txt:2: \\x in payload must be followed by two hex digits");
    }

    @Test
    void unterminatedPayloadIsReported() {
        assertThat(problem("probe a tcp\n  send \"abc\n  match a m/x/\n"))
                .isEqualTo("user.txt:2: payload has no closing '\"'");
    }

    @Test
    void unquotedPayloadIsReported() {
        assertThat(problem("probe a tcp\n  send abc\n  match a m/x/\n"))
                .startsWith("user.txt:2: expected a double-quoted payload");
    }

    @Test
    void nonAsciiPayloadIsReported() {
        assertThat(problem("probe a tcp\n  send \"caf\u00e9\"\n  match a m/x/\n"))
                .startsWith("user.txt:2: payload character U+00E9 is not printable ASCII");
    }

    @Test
    void badPortIsReported() {
        assertThat(problem("probe a tcp\n  ports 80 70000\n  match a m/x/\n"))
                .isEqualTo("user.txt:2: port must be 0-65535, got 70000");
    }

    @Test
    void regexThatDoesNotCompileIsReportedWithJavasReason() {
        assertThat(problem("probe a tcp\n  send \"x\"\n  match a m/^(unclosed/\n"))
                .startsWith("user.txt:3: bad regular expression /^(unclosed/: Unclosed group");
    }

    @Test
    void regexWithoutClosingDelimiterIsReported() {
        assertThat(problem("probe a tcp\n  send \"x\"\n  match a m|^abc\n"))
                .isEqualTo("user.txt:3: regular expression has no closing '|': m|^abc");
    }

    @Test
    void unknownRegexFlagIsReported() {
        assertThat(problem("probe a tcp\n  send \"x\"\n  match a m|^abc|q\n"))
                .isEqualTo("user.txt:3: unknown regex flag 'q' after |^abc|: expected i, s or m");
    }

    @Test
    void templateUsingAMissingGroupIsReported() {
        assertThat(problem("probe a tcp\n  send \"x\"\n  match a m|^v(\\d+)| version=$2\n"))
                .isEqualTo("user.txt:3: version: template '$2' uses group 2 but the expression has 1 group");
    }

    @Test
    void unknownTemplateFunctionIsReported() {
        assertThat(problem("probe a tcp\n  send \"x\"\n  match a m|^v(\\d+)| version=$X(1)\n"))
                .startsWith("user.txt:3: version: unknown '$X' in template '$X(1)'");
    }

    @Test
    void fieldWithoutEqualsIsReported() {
        assertThat(problem("probe a tcp\n  send \"x\"\n  match a m|^v| product\n"))
                .isEqualTo("user.txt:3: expected key=value, got 'product'");
    }

    @Test
    void upperCaseProtocolIsReported() {
        assertThat(problem("probe a tcp\n  send \"x\"\n  match HTTP m|^v|\n"))
                .startsWith("user.txt:3: bad protocol name 'HTTP'");
    }

    @Test
    void extractWithoutMatchIsReported() {
        assertThat(problem("probe a tcp\n  send \"x\"\n  extract m|v(\\d)| version=$1\n  match a m|^v|\n"))
                .isEqualTo("user.txt:3: 'extract' must follow a match or softmatch line");
    }

    @Test
    void unknownHandlerIsReported() {
        assertThat(problem("probe a tcp\n  handler ssh\n"))
                .isEqualTo("user.txt:2: unknown handler 'ssh': expected one of [tls]");
    }

    @Test
    void probeWithoutMatchersIsReportedAtItsProbeLine() {
        assertThat(problem("\nprobe a tcp\n  send \"x\"\n"))
                .isEqualTo("user.txt:2: probe 'a' has no match or softmatch line");
    }

    @Test
    void udpProbeWithoutPayloadIsReported() {
        assertThat(problem("probe a udp\n  match a m|x|\n"))
                .isEqualTo("user.txt:1: probe 'a' is udp but has no send line: a udp probe must send something");
    }

    @Test
    void everyProblemOfAFileIsReportedInOrder() {
        assertThatThrownBy(() -> SignatureFile.parse("probe a tcp\n send \"\\q\"\n match a m|(|\nbogus\n", "many.txt"))
                .isInstanceOfSatisfying(
                        SignatureFormatException.class,
                        e -> assertThat(e.problems())
                                .extracting(p -> p.substring(0, p.indexOf(':', 9) + 1))
                                .containsExactly("many.txt:2:", "many.txt:3:", "many.txt:4:"));
    }

    @Test
    void tlsProbeRunningAnUnknownProbeInsideIsRejectedByTheProber() {
        List<Signature> sigs = SignatureFile.parse("probe t tcp\n  handler tls\n  inside nothing\n", "t.txt");
        assertThatThrownBy(() -> Prober.builder().extraSignatures(sigs).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("t.txt:1")
                .hasMessageContaining("'nothing'");
    }

    @Test
    void aSignaturesPayloadCannotBeChangedByWhoeverHoldsIt() {
        Signature s = SignatureFile.builtIn().stream()
                .filter(x -> x.name().equals("http-get"))
                .findFirst()
                .orElseThrow();
        byte[] mine = s.payload();
        byte first = mine[0];
        mine[0] = 'X';
        assertThat(s.payload()[0]).isEqualTo(first);
    }
}

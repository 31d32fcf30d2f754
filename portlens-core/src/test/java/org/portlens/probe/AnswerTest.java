package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.probe.Fakes.latin1;

import org.junit.jupiter.api.Test;

/** {@link Answer#describe}: what an unmatched answer looks like, from its bytes alone. */
class AnswerTest {

    private static Answer describe(String latin1) {
        byte[] b = latin1(latin1);
        return Answer.describe(b, b.length, "");
    }

    @Test
    void tlsAlertIsATlsRecord() {
        Answer a = describe("\u0015\u0003\u0003\u0000\u0002\u0002\u0028");
        assertThat(a.shape()).isEqualTo(Answer.Shape.TLS);
        assertThat(a.hex()).isEqualTo("15 03 03 00 02 02 28");
        assertThat(a.text()).isEmpty();
        assertThat(a.length()).isEqualTo(7);
    }

    @Test
    void statusLineIsHttp() {
        Answer a = describe("HTTP/1.1 418 I'm a teapot\r\n\r\n");
        assertThat(a.shape()).isEqualTo(Answer.Shape.HTTP);
        assertThat(a.text()).isEqualTo("HTTP/1.1 418 I'm a teapot\\r\\n\\r\\n");
    }

    @Test
    void mostlyPrintableIsText() {
        assertThat(describe("XYZZY 1.0 ready\r\n").shape()).isEqualTo(Answer.Shape.TEXT);
    }

    @Test
    void lengthFieldThatFitsIsNamed() {
        Answer be =
                describe("\u0000\u0000\u0000\u0006\u0001\u0002hello".substring(0, 10)); // 4-byte length 6, then 6 bytes
        assertThat(be.shape()).isEqualTo(Answer.Shape.LENGTH_PREFIXED);
        assertThat(be.framing()).isEqualTo("4-byte big-endian length of the rest");
        Answer le = describe("\u0005\u0000\u0001\u0002\u0003\u0004\u0005");
        assertThat(le.framing()).isEqualTo("2-byte little-endian length of the rest");
        assertThat(le.summary())
                .isEqualTo("7 bytes, 2-byte little-endian length of the rest, hex 05 00 01 02 03 04 05");
    }

    @Test
    void otherBytesAreBinaryWithTheirPrintableRuns() {
        Answer a = describe("\u0001\u00ff\u0002ab\u0003version 7\u0000\u0080\u0081config\u0000");
        assertThat(a.shape()).isEqualTo(Answer.Shape.BINARY);
        assertThat(a.framing()).isEmpty();
        assertThat(a.text()).isEqualTo("version 7 … config"); // "ab" is shorter than a run
    }

    @Test
    void hostileBytesNeverReachTheTextRaw() {
        Answer a = describe("\u001b[2J\u001b]0;pwned\u0007HELLO\u0000\u0000WORLD\u009b\\x41\r\n");
        assertThat(a.text()).isEqualTo("]0;pwned … HELLO … WORLD … \\\\x41\\r\\n");
        assertThat(a.text().chars()).noneMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
        assertThat(a.hex()).startsWith("1b 5b 32 4a 1b");
    }

    @Test
    void longAnswersAreCut() {
        Answer a = describe("A".repeat(5000));
        assertThat(a.text()).hasSize(Answer.MAX_TEXT).endsWith("…");
        assertThat(a.hex().split(" ")).hasSize(Answer.HEX_BYTES);
        assertThat(a.length()).isEqualTo(5000);
    }
}

package org.portlens.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void leavesPlainTextUnchanged() {
        String s = "/usr/bin/python3 -m http.server 8000 --bind 127.0.0.1";
        assertThat(Text.escapeControls(s)).isSameAs(s);
    }

    @Test
    void leavesPrintableUnicodeUnchanged() {
        String s = "café ☕ 日本語 Ωmega – “quoted”";
        assertThat(Text.escapeControls(s)).isEqualTo(s);
    }

    @Test
    void escapesAnsiEscapeSequences() {
        assertThat(Text.escapeControls("\u001b[31mred\u001b[0m"))
                .isEqualTo("\\x1b[31mred\\x1b[0m")
                .doesNotContain("\u001b");
    }

    @Test
    void escapesTitleSettingOscSequenceWithBel() {
        assertThat(Text.escapeControls("\u001b]0;pwned\u0007")).isEqualTo("\\x1b]0;pwned\\x07");
    }

    @Test
    void escapesNul() {
        assertThat(Text.escapeControls("a\u0000b")).isEqualTo("a\\x00b");
    }

    @Test
    void escapesLineBreaksAndTabsSoTheyCannotForgeLines() {
        assertThat(Text.escapeControls("nginx\r\nroot  1  fake line\tx"))
                .isEqualTo("nginx\\r\\nroot  1  fake line\\tx");
    }

    @Test
    void escapesC1ControlSequenceIntroducer() {
        // U+009B is CSI on terminals that honour 8-bit controls: "\u009b31m" colours like ESC [ 31 m
        assertThat(Text.escapeControls("\u009b31mred")).isEqualTo("\\x9b31mred");
        assertThat(Text.escapeControls("\u0085")).isEqualTo("\\x85");
    }

    @Test
    void escapesDel() {
        assertThat(Text.escapeControls("a\u007fb")).isEqualTo("a\\x7fb");
    }

    @Test
    void escapesBidiOverrideThatReordersText() {
        // "evil\u202Etxt.exe" displays as "evilexe.txt"
        assertThat(Text.escapeControls("evil\u202etxt.exe")).isEqualTo("evil\\u202etxt.exe");
        assertThat(Text.escapeControls("\u2066x\u2069")).isEqualTo("\\u2066x\\u2069");
    }

    @Test
    void escapesUnicodeLineSeparators() {
        assertThat(Text.escapeControls("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
    }

    @Test
    void keepsTextAroundEscapes() {
        assertThat(Text.escapeControls("before\u001bafter")).isEqualTo("before\\x1bafter");
    }

    @Test
    void treatsNullAsEmpty() {
        assertThat(Text.escapeControls(null)).isEmpty();
    }

    @Test
    void splitsUidLineOfProcStatusOnTabs() {
        // the Uid line of /proc/self/status (Linux 6.18, Debian 12, root), after "Uid:"
        assertThat(Text.splitWhitespace("\t0\t0\t0\t0")).containsExactly("0", "0", "0", "0");
    }

    @Test
    void splitsPortRangeAndIgnoresRepeatedAndTrailingWhitespace() {
        // /proc/sys/net/ipv4/ip_local_port_range as the kernel prints it: tab-separated, newline-terminated
        assertThat(Text.splitWhitespace("32768\t60999\n")).containsExactly("32768", "60999");
        assertThat(Text.splitWhitespace("  a  b \r\n c ")).containsExactly("a", "b", "c");
    }

    @Test
    void splitsBlankTextIntoNoFields() {
        assertThat(Text.splitWhitespace("")).isEmpty();
        assertThat(Text.splitWhitespace(" \t\n")).isEmpty();
    }
}

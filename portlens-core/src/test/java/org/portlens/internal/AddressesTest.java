package org.portlens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hex strings are as /proc/net/tcp and tcp6 print them on a little-endian machine (x86_64,
 * arm64): each 32-bit word in host byte order. See the recorded files in
 * src/test/resources/org/portlens/discovery/linux.
 */
class AddressesTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(
                ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the fixtures were recorded on a little-endian kernel");
    }

    private static byte[] decode(String hex) {
        return Addresses.decodeProcHex(hex, 0, hex.length());
    }

    private static byte[] ip(String text) throws UnknownHostException {
        return InetAddress.getByName(text).getAddress();
    }

    private static byte[] v6(int... groups) {
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[i * 2] = (byte) (groups[i] >> 8);
            a[i * 2 + 1] = (byte) groups[i];
        }
        return a;
    }

    @Test
    void decodesLittleEndianIpv4Loopback() {
        byte[] a = decode("0100007F");
        assertThat(a).containsExactly(127, 0, 0, 1);
        assertThat(Addresses.format(a)).isEqualTo("127.0.0.1");
    }

    @Test
    void decodesIpv4WithEveryByteDistinct() {
        // 192.168.1.20 prints as 1401A8C0
        assertThat(Addresses.format(decode("1401A8C0"))).isEqualTo("192.168.1.20");
        assertThat(Addresses.format(decode("1401a8c0"))).isEqualTo("192.168.1.20");
    }

    @Test
    void decodesIpv6Loopback() {
        byte[] a = decode("00000000000000000000000001000000");
        assertThat(a).hasSize(16);
        assertThat(a[15]).isEqualTo((byte) 1);
        assertThat(Addresses.format(a)).isEqualTo("::1");
    }

    @Test
    void decodesIpv6WordByWord() throws UnknownHostException {
        // fe80::1:2 - word 0 is fe80:0000 printed as 000080FE, word 3 is 0001:0002 printed as 02000100
        byte[] a = decode("000080FE000000000000000002000100");
        assertThat(a).containsExactly(ip("fe80::1:2"));
        assertThat(Addresses.format(a)).isEqualTo("fe80::1:2");
    }

    @Test
    void decodesIpv4MappedAddressAndUnmapsItToIpv4() {
        byte[] a = decode("0000000000000000FFFF00000100007F");
        assertThat(Addresses.isIpv4Mapped(a)).isTrue();
        assertThat(Addresses.format(a)).isEqualTo("::ffff:127.0.0.1");
        assertThat(Addresses.format(Addresses.unmapped(a))).isEqualTo("127.0.0.1");
        assertThat(Addresses.isLoopback(a)).isTrue();
        assertThat(Addresses.isWildcard(a)).isFalse();
    }

    @Test
    void decodesWildcards() {
        byte[] v4 = decode("00000000");
        byte[] v6 = decode("00000000000000000000000000000000");
        assertThat(Addresses.format(v4)).isEqualTo("0.0.0.0");
        assertThat(Addresses.format(v6)).isEqualTo("::");
        assertThat(Addresses.isWildcard(v4)).isTrue();
        assertThat(Addresses.isWildcard(v6)).isTrue();
        assertThat(Addresses.isLoopback(v4)).isFalse();
        assertThat(Addresses.isLoopback(v6)).isFalse();
    }

    @Test
    void decodesOnlyTheGivenSlice() {
        String line = "   0: 0100007F:DC79 00000000:0000 0A";
        int start = line.indexOf("0100007F");
        assertThat(Addresses.format(Addresses.decodeProcHex(line, start, start + 8)))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void rejectsWrongLengthNamingIt() {
        assertThatThrownBy(() -> decode("0100007"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 7");
        assertThatThrownBy(() -> decode("0000000000000000FFFF00000100007F00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 34");
    }

    @Test
    void rejectsNonHexDigitNamingIt() {
        assertThatThrownBy(() -> decode("0100007G"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'G'");
    }

    @Test
    void formatsRfc5952LowerCaseWithoutLeadingZeros() {
        assertThat(Addresses.format(v6(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0x000a))).isEqualTo("2001:db8::a");
        assertThat(Addresses.format(v6(0x2001, 0x0DB8, 0xABCD, 0x0012, 1, 2, 3, 4)))
                .isEqualTo("2001:db8:abcd:12:1:2:3:4");
    }

    @Test
    void compressesTheLongestZeroRun() {
        assertThat(Addresses.format(v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 0))).isEqualTo("2001:db8:0:0:1::");
        assertThat(Addresses.format(v6(1, 0, 0, 2, 0, 0, 0, 3))).isEqualTo("1:0:0:2::3");
    }

    @Test
    void compressesTheFirstOfEqualZeroRuns() {
        assertThat(Addresses.format(v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1))).isEqualTo("2001:db8::1:0:0:1");
    }

    @Test
    void doesNotCompressASingleZeroGroup() {
        assertThat(Addresses.format(v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1))).isEqualTo("2001:db8:0:1:1:1:1:1");
    }

    @Test
    void compressesZeroRunsAtEitherEnd() {
        assertThat(Addresses.format(v6(0, 0, 0, 0, 0, 0, 0, 1))).isEqualTo("::1");
        assertThat(Addresses.format(v6(0xfe80, 0, 0, 0, 0, 0, 0, 0))).isEqualTo("fe80::");
    }

    @Test
    void recognisesLoopback() throws UnknownHostException {
        assertThat(Addresses.isLoopback(ip("127.0.0.1"))).isTrue();
        assertThat(Addresses.isLoopback(ip("127.1.2.3"))).isTrue();
        assertThat(Addresses.isLoopback(ip("::1"))).isTrue();
        assertThat(Addresses.isLoopback(ip("128.0.0.1"))).isFalse();
        assertThat(Addresses.isLoopback(ip("::2"))).isFalse();
        assertThat(Addresses.isLoopback(ip("1::1"))).isFalse();
        assertThat(Addresses.isLoopback(decode("0000000000000000FFFF00000100000A")))
                .isFalse(); // ::ffff:10.0.0.1
    }

    @Test
    void recognisesWildcard() throws UnknownHostException {
        assertThat(Addresses.isWildcard(ip("0.0.0.1"))).isFalse();
        assertThat(Addresses.isWildcard(ip("::1"))).isFalse();
        assertThat(Addresses.isWildcard(new byte[4])).isTrue();
        assertThat(Addresses.isWildcard(new byte[16])).isTrue();
    }

    /** The examples of RFC 5952 sections 4 and 5, each written in a form the RFC allows but does not recommend. */
    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // 4.2.3: the first of two equal runs
        "2001:0db8:0:0:0:0:2:1, 2001:db8::2:1", // 4.1: no leading zeros; 4.2.1: the run as ::
        "2001:db8:0000:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // 4.2.2: one zero group is not shortened
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", // 4.2.3: the longest run
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1", // 4.3: lower case
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "1:0:0:0:0:0:0:0, 1::",
        "0:0:1:0:0:0:0:0, 0:0:1::",
        "1:0:1:0:1:0:1:0, 1:0:1:0:1:0:1:0",
    })
    void formatsTheRfc5952Examples(String written, String recommended) throws UnknownHostException {
        assertThat(Addresses.format(ip(written))).isEqualTo(recommended);
        assertThat(Addresses.format(InetAddress.getByName(written))).isEqualTo(recommended);
    }

    @Test
    void formatsIpv4MappedAsRfc5952Section5() {
        byte[] mapped = v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201);
        assertThat(Addresses.format(mapped)).isEqualTo("::ffff:192.0.2.1");
    }

    @Test
    void formatsInetAddressesInFullNeverAsJavaDoes() throws UnknownHostException {
        InetAddress loopback6 = InetAddress.getByName("::1");
        assertThat(loopback6.getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1"); // what this replaces
        assertThat(Addresses.format(loopback6)).isEqualTo("::1");
        assertThat(Addresses.format(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(Addresses.format(InetAddress.getByName("127.0.0.1"))).isEqualTo("127.0.0.1");
    }

    @Test
    void writesHostAndPortWithBracketsForIpv6() throws UnknownHostException {
        assertThat(Addresses.hostPort(InetAddress.getByName("::1"), 3640)).isEqualTo("[::1]:3640");
        assertThat(Addresses.hostPort(InetAddress.getByName("2001:db8:0:0:0:0:0:1"), 443))
                .isEqualTo("[2001:db8::1]:443");
        assertThat(Addresses.hostPort(InetAddress.getByName("192.0.2.1"), 80)).isEqualTo("192.0.2.1:80");
        assertThat(Addresses.hostPort("::", 22)).isEqualTo("[::]:22");
    }

    @Test
    void rejectsAByteArrayOfAnotherLengthNamingIt() {
        assertThatThrownBy(() -> Addresses.format(new byte[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 5");
    }
}

package org.portlens.scan.nativeio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.portlens.scan.ScanOptions;
import org.portlens.scan.ScanOptions.EnginePreference;
import org.portlens.scan.TcpConnectScanner;

/**
 * The parts of the native engine that run in any test JVM: the socket address layouts the foreign
 * binding writes and reads, the checks that keep it off where it cannot run, the errno an internal
 * method's exception stands for. The engine itself runs in {@code org.portlens.scan.NativeEngineIT}
 * (child JVMs given the access it needs).
 */
class NativeEngineTest {

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
    }

    @Test
    void writesSockaddrInWithThePortInNetworkOrder() throws Exception {
        ByteBuffer b = buffer();
        b.put(20, (byte) 7); // stale bytes are cleared
        ForeignCalls.encodeTarget(b, false, InetAddress.getByName("127.0.0.1").getAddress(), 0);
        ForeignCalls.setPort(b, 3640);
        assertThat(b.getShort(0)).isEqualTo((short) 2); // AF_INET, host order
        assertThat(b.get(2) & 0xff).isEqualTo(0x0e); // 3640 = 0x0e38, big-endian
        assertThat(b.get(3) & 0xff).isEqualTo(0x38);
        assertThat(new byte[] {b.get(4), b.get(5), b.get(6), b.get(7)}).containsExactly(127, 0, 0, 1);
        assertThat(b.get(20)).isZero();
        assertThat(ForeignCalls.port(b)).isEqualTo(3640);
        ForeignCalls.setPort(b, 65535);
        assertThat(ForeignCalls.port(b)).isEqualTo(65535);
    }

    @Test
    void writesSockaddrIn6WithTheAddressAfterTheFlowInfo() throws Exception {
        ByteBuffer b = buffer();
        byte[] v6 = InetAddress.getByName("::1").getAddress();
        ForeignCalls.encodeTarget(b, true, v6, 0);
        ForeignCalls.setPort(b, 1);
        assertThat(b.getShort(0)).isEqualTo((short) 10); // AF_INET6
        assertThat(b.getInt(4)).isZero(); // sin6_flowinfo
        for (int i = 0; i < 15; i++) {
            assertThat(b.get(8 + i)).isZero();
        }
        assertThat(b.get(23)).isEqualTo((byte) 1);
        assertThat(b.getInt(24)).isZero(); // sin6_scope_id
        assertThat(ForeignCalls.port(b)).isEqualTo(1);
        ForeignCalls.encodeTarget(b, true, InetAddress.getByName("fe80::1").getAddress(), 3);
        assertThat(b.getInt(24))
                .as("the link-local address's scope (interface index)")
                .isEqualTo(3);
    }

    @Test
    void recognisesASelfConnectFromTheLocalName() throws Exception {
        byte[] lo = InetAddress.getByName("127.0.0.1").getAddress();
        ByteBuffer name = buffer();
        ForeignCalls.encodeTarget(name, false, lo, 0);
        ForeignCalls.setPort(name, 40001);
        assertThat(ForeignCalls.isSelf(name, false, lo, 40001)).isTrue();
        assertThat(ForeignCalls.isSelf(name, false, lo, 40002))
                .as("another source port")
                .isFalse();
        byte[] other = InetAddress.getByName("127.0.0.2").getAddress();
        assertThat(ForeignCalls.isSelf(name, false, other, 40001))
                .as("another address")
                .isFalse();
        assertThat(ForeignCalls.isSelf(name, true, lo, 40001))
                .as("another family")
                .isFalse();
    }

    @Test
    void staysOffWithoutAccessAndWhenTurnedOff() {
        String was = System.getProperty(NativeSockets.PROPERTY);
        try {
            System.setProperty(NativeSockets.PROPERTY, "false");
            assertThat(NativeSockets.whyNot()).isEqualTo("turned off by -Dportlens.nativeSockets=false");
            System.clearProperty(NativeSockets.PROPERTY);
            String why = NativeSockets.whyNot();
            if (Runtime.version().feature() < 22) {
                // surefire's JVM does not open sun.nio.ch to the tests
                assertThat(why)
                        .isEqualTo(
                                "java.base/sun.nio.ch is not opened to portlens (java --add-opens"
                                        + " java.base/sun.nio.ch=ALL-UNNAMED, or the Add-Opens manifest attribute of portlens.jar)");
                assertThat(TcpConnectScanner.warmUp(EnginePreference.NATIVE, 1)).isFalse();
                TcpConnectScanner scanner =
                        new TcpConnectScanner(ScanOptions.defaults().withEngine(EnginePreference.NATIVE));
                assertThat(scanner.nativeSocketsUnavailable(1)).contains(why);
                assertThat(scanner.nativeSocketsBinding()).isEmpty();
            }
        } finally {
            if (was == null) {
                System.clearProperty(NativeSockets.PROPERTY);
            } else {
                System.setProperty(NativeSockets.PROPERTY, was);
            }
        }
    }

    @Test
    void readsTheErrnoOfAnInternalSocketMethodFromItsException() {
        assertThat(InternalCalls.errnoOf(new ConnectException("Connection refused")))
                .isEqualTo(111);
        assertThat(InternalCalls.errnoOf(new NoRouteToHostException("No route to host")))
                .isEqualTo(113);
        assertThat(InternalCalls.errnoOf(new BindException("Permission denied")))
                .as("EACCES from a prohibit route, folded into BindException by the JDK: filtered")
                .isEqualTo(SocketCalls.EOTHER);
        assertThat(InternalCalls.errnoOf(new SocketException("Network is unreachable")))
                .isEqualTo(SocketCalls.EOTHER);
    }

    @Test
    void namesTheErrorsItReports() {
        assertThat(NativeSockets.describe(24)).isEqualTo("EMFILE: too many open files in this process");
        assertThat(NativeSockets.describe(11)).isEqualTo("EAGAIN: no free local port");
        assertThat(NativeSockets.describe(71)).isEqualTo("errno 71");
    }
}

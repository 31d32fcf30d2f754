package org.portlens.probe.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;

/**
 * The parts of the native engine that run on any JDK: the socket address layouts it writes and reads,
 * the checks that keep it off where it cannot run, and the engine field of a report. The engine itself
 * runs in {@link NativeEngineIT} (a JDK 22+ child JVM).
 */
class NativeEngineTest {

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
    }

    @Test
    void writesSockaddrInWithThePortInNetworkOrder() throws Exception {
        ByteBuffer b = buffer();
        b.put(20, (byte) 7); // stale bytes are cleared
        NativeTcpWorker.encodeTarget(b, false, InetAddress.getByName("127.0.0.1").getAddress(), 0);
        NativeTcpWorker.setPort(b, 3640);
        assertThat(b.getShort(0)).isEqualTo((short) 2); // AF_INET, host order
        assertThat(b.get(2) & 0xff).isEqualTo(0x0e); // 3640 = 0x0e38, big-endian
        assertThat(b.get(3) & 0xff).isEqualTo(0x38);
        assertThat(new byte[] {b.get(4), b.get(5), b.get(6), b.get(7)}).containsExactly(127, 0, 0, 1);
        assertThat(b.get(20)).isZero();
        assertThat(NativeTcpWorker.port(b)).isEqualTo(3640);
        NativeTcpWorker.setPort(b, 65535);
        assertThat(NativeTcpWorker.port(b)).isEqualTo(65535);
    }

    @Test
    void writesSockaddrIn6WithTheAddressAfterTheFlowInfo() throws Exception {
        ByteBuffer b = buffer();
        byte[] v6 = InetAddress.getByName("::1").getAddress();
        NativeTcpWorker.encodeTarget(b, true, v6, 0);
        NativeTcpWorker.setPort(b, 1);
        assertThat(b.getShort(0)).isEqualTo((short) 10); // AF_INET6
        assertThat(b.getInt(4)).isZero(); // sin6_flowinfo
        for (int i = 0; i < 15; i++) {
            assertThat(b.get(8 + i)).isZero();
        }
        assertThat(b.get(23)).isEqualTo((byte) 1);
        assertThat(b.getInt(24)).isZero(); // sin6_scope_id
        assertThat(NativeTcpWorker.port(b)).isEqualTo(1);
        NativeTcpWorker.encodeTarget(b, true, InetAddress.getByName("fe80::1").getAddress(), 3);
        assertThat(b.getInt(24)).as("the link-local address's scope (interface index)").isEqualTo(3);
    }

    @Test
    void recognisesASelfConnectFromTheLocalName() throws Exception {
        byte[] lo = InetAddress.getByName("127.0.0.1").getAddress();
        ByteBuffer name = buffer();
        NativeTcpWorker.encodeTarget(name, false, lo, 0);
        NativeTcpWorker.setPort(name, 40001);
        assertThat(NativeTcpWorker.isSelf(name, false, lo, 40001)).isTrue();
        assertThat(NativeTcpWorker.isSelf(name, false, lo, 40002)).as("another source port").isFalse();
        byte[] other = InetAddress.getByName("127.0.0.2").getAddress();
        assertThat(NativeTcpWorker.isSelf(name, false, other, 40001)).as("another address").isFalse();
        assertThat(NativeTcpWorker.isSelf(name, true, lo, 40001)).as("another family").isFalse();
    }

    @Test
    void staysOffBeforeJava22AndWhenTurnedOff() {
        String was = System.getProperty(NativeSockets.PROPERTY);
        try {
            System.setProperty(NativeSockets.PROPERTY, "false");
            assertThat(NativeSockets.whyNot()).isEqualTo("turned off by -Dportlens.nativeSockets=false");
            System.clearProperty(NativeSockets.PROPERTY);
            String why = NativeSockets.whyNot();
            if (Runtime.version().feature() < 22) {
                assertThat(why).isEqualTo("Java " + Runtime.version().feature()
                        + " has no foreign function API (JDK 22+)");
                assertThat(TcpConnectScanner.preferNativeSockets()).isFalse();
                assertThat(TcpConnectScanner.nativeSocketsUnavailable()).isEqualTo(why);
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
    void aReportNamesItsEngine() {
        EnumMap<PortState, PortSet> m = new EnumMap<>(PortState.class);
        assertThat(new ScanReport("::1", Transport.TCP, m, 1, 0, ScanReport.ENGINE_NATIVE).engine()).isEqualTo("native");
        assertThatThrownBy(() -> new ScanReport("::1", Transport.TCP, m, 1, 0, "epoll"))
                .hasMessage("engine must be nio or native, got epoll");
    }

    @Test
    void readsTheJavaVersionOfAJdkFromItsReleaseFile() {
        assertThat(Jdks.parseRelease("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n")).isEqualTo(25);
        assertThat(Jdks.parseRelease("JAVA_VERSION=\"17.0.15\"")).isEqualTo(17);
        assertThat(Jdks.parseRelease("JAVA_VERSION=\"22\"")).isEqualTo(22);
        assertThat(Jdks.parseRelease("JAVA_VERSION=\"1.8.0_402\"")).isEqualTo(8);
        assertThat(Jdks.parseRelease("JAVA_VERSION=\"26-ea\"")).isEqualTo(26);
        assertThat(Jdks.parseRelease("OS_NAME=\"Linux\"")).isEqualTo(-1);
        assertThat(Jdks.parseRelease("JAVA_VERSION=\"x\"")).isEqualTo(-1);
    }
}

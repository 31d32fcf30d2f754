package org.portlens.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class UdpPayloadsTest {

    @Test
    void wellKnownSpeaksDnsAndNtpAndSendsANulByteElsewhere() {
        UdpPayloads p = UdpPayloads.wellKnown();
        ByteBuffer dns = p.payload(53);
        assertThat(dns.remaining()).isEqualTo(17);
        assertThat(dns.get(5)).as("one question").isEqualTo((byte) 1);
        ByteBuffer ntp = p.payload(123);
        assertThat(ntp.remaining()).isEqualTo(48);
        assertThat(ntp.get(0) & 0x07).as("mode 3, client").isEqualTo(3);
        assertThat(p.payload(9999).remaining()).isEqualTo(1);
        assertThat(UdpPayloads.MINIMAL.payload(53).remaining()).isEqualTo(1);
    }

    @Test
    void sharedBuffersAreReadOnly() {
        assertThat(UdpPayloads.wellKnown().payload(53).isReadOnly()).isTrue();
        assertThat(UdpPayloads.MINIMAL.payload(1).isReadOnly()).isTrue();
    }
}

package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

class KnownUsesTest {

    @Test
    void loadsTheBundledList() {
        List<KnownUse> all = KnownUses.bundled().all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(150);
        assertThat(all).allSatisfy(u -> {
            assertThat(u.source()).as("%s on %s", u.software(), u.ports()).startsWith("https://");
            assertThat(u.software()).isNotBlank();
            assertThat(u.use()).isNotBlank();
            assertThat(u.transports()).isNotEmpty();
        });
    }

    @Test
    void knowsKubernetesApiServerAndVite() {
        KnownUses uses = KnownUses.bundled();
        assertThat(uses.overlapping(PortRange.of(6443), Transport.TCP))
                .extracting(KnownUse::software)
                .anySatisfy(s -> assertThat(s).contains("Kubernetes"));
        assertThat(uses.overlapping(PortRange.of(5173), Transport.TCP))
                .extracting(KnownUse::software)
                .contains("Vite");
        assertThat(uses.overlapping(PortRange.of(5173), Transport.UDP))
                .extracting(KnownUse::software)
                .doesNotContain("Vite");
    }

    @Test
    void parsesRowsSkippingCommentsAndBlankLines() {
        KnownUses uses = KnownUses.parse("""
                # PORT\tTRANSPORTS\tSOFTWARE\tUSE\tURL

                5173\ttcp\tVite\tdev server\thttps://vite.dev/config/server-options
                60000-61000\tudp\tmosh\tmosh-server sessions\thttps://mosh.org/
                1514\ttcp,udp\tWazuh\tagent events\thttps://documentation.wazuh.com/
                """, "test.tsv");
        assertThat(uses.all()).hasSize(3);
        KnownUse mosh = uses.all().get(1);
        assertThat(mosh.ports()).isEqualTo(new PortRange(60000, 61000));
        assertThat(mosh.transports()).containsExactly(Transport.UDP);
        assertThat(uses.all().get(2).transports()).containsExactly(Transport.TCP, Transport.UDP);
        assertThat(uses.overlapping(PortRange.of(60500))).containsExactly(mosh);
        assertThat(uses.overlapping(new PortRange(59000, 60000), Transport.UDP)).containsExactly(mosh);
        assertThat(uses.overlapping(PortRange.of(60500), Transport.TCP)).isEmpty();
    }

    @Test
    void namesFileAndLineOfRowWithWrongFieldCount() {
        assertThatThrownBy(() -> KnownUses.parse(
                        "# header\n5173\ttcp\tVite\tdev server\thttps://vite.dev/\n8080 tcp Tomcat\n",
                        "known-uses.tsv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("known-uses.tsv:3: expected 5 tab-separated fields, got 1");
    }

    @Test
    void namesFileAndLineOfRowWithBadPort() {
        assertThatThrownBy(() -> KnownUses.parse("\n\n\n70000\ttcp\tX\tuse\thttps://x.example/\n", "k.tsv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("k.tsv:4: ")
                .hasMessageContaining("70000");
    }

    @Test
    void namesFileAndLineOfRowWithBadTransport() {
        assertThatThrownBy(() -> KnownUses.parse("80\ttcp,icmp\tX\tuse\thttps://x.example/\n", "k.tsv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("k.tsv:1: ")
                .hasMessageContaining("'icmp'");
    }
}

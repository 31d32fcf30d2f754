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
                # PORT\tTRANSPORTS\tSOFTWARE\tUSE\tURL\tIDENTITY

                5173\ttcp\tVite\tdev server\thttps://vite.dev/config/server-options\tscript:vite,script:vite.js
                60000-61000\tudp\tmosh\tmosh-server sessions\thttps://mosh.org/\texe:mosh-server
                1514\ttcp,udp\tWazuh\tagent events\thttps://documentation.wazuh.com/\t-
                """, "test.tsv");
        assertThat(uses.all()).hasSize(3);
        KnownUse mosh = uses.all().get(1);
        assertThat(mosh.ports()).isEqualTo(new PortRange(60000, 61000));
        assertThat(mosh.transports()).containsExactly(Transport.UDP);
        assertThat(uses.all().get(2).transports()).containsExactly(Transport.TCP, Transport.UDP);
        assertThat(mosh.identity().marks())
                .containsExactly(new SoftwareIdentity.Mark(SoftwareIdentity.Kind.EXE, "mosh-server"));
        assertThat(uses.all().get(0).identity()).hasToString("script:vite,script:vite.js");
        assertThat(uses.all().get(2).identity()).isEqualTo(SoftwareIdentity.NONE);
        assertThat(uses.overlapping(PortRange.of(60500))).containsExactly(mosh);
        assertThat(uses.overlapping(new PortRange(59000, 60000), Transport.UDP)).containsExactly(mosh);
        assertThat(uses.overlapping(PortRange.of(60500), Transport.TCP)).isEmpty();
    }

    @Test
    void namesFileAndLineOfRowWithWrongFieldCount() {
        assertThatThrownBy(() -> KnownUses.parse(
                        "# header\n5173\ttcp\tVite\tdev server\thttps://vite.dev/\t-\n8080 tcp Tomcat\n",
                        "known-uses.tsv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("known-uses.tsv:3: expected 6 tab-separated fields, got 1");
        // a row of the list before identities: the column is required, - for none
        assertThatThrownBy(() -> KnownUses.parse("5173\ttcp\tVite\tdev server\thttps://vite.dev/\n", "k.tsv"))
                .hasMessage("k.tsv:1: expected 6 tab-separated fields, got 5");
    }

    @Test
    void namesFileAndLineOfRowWithBadPort() {
        assertThatThrownBy(() -> KnownUses.parse("\n\n\n70000\ttcp\tX\tuse\thttps://x.example/\t-\n", "k.tsv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("k.tsv:4: ")
                .hasMessageContaining("70000");
    }

    @Test
    void namesFileAndLineOfRowWithBadTransport() {
        assertThatThrownBy(() -> KnownUses.parse("80\ttcp,icmp\tX\tuse\thttps://x.example/\t-\n", "k.tsv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("k.tsv:1: ")
                .hasMessageContaining("'icmp'");
    }

    @Test
    void namesFileLineAndValueOfABadIdentity() {
        assertThatThrownBy(() -> KnownUses.parse("# h\n80\ttcp\tX\tuse\thttps://x.example/\texe:x,bin:y\n", "k.tsv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("k.tsv:2: unknown identity kind 'bin' in 'bin:y' (kinds: exe, pkg, unit, java, jar, module,"
                        + " script)");
        assertThatThrownBy(() -> KnownUses.parse("80\ttcp\tX\tuse\thttps://x.example/\tunit:x\n", "k.tsv"))
                .hasMessage("k.tsv:1: bad unit value in identity mark 'unit:x': a unit ends in .service");
        assertThatThrownBy(() -> KnownUses.parse("80\ttcp\tX\tuse\thttps://x.example/\t\n", "k.tsv"))
                .hasMessage("k.tsv:1: expected 6 tab-separated fields, got 5");
    }

    @Test
    void everyBundledIdentityIsWellFormedAndAUseWithoutOneExplainsNothing() {
        List<KnownUse> all = KnownUses.bundled().all();
        assertThat(all)
                .allSatisfy(u -> assertThat(SoftwareIdentity.parse(u.identity().toString()))
                        .isEqualTo(u.identity()));
        // the software the issue is about, and some that cannot be told from a process
        assertThat(all)
                .filteredOn(u -> u.software().equals("Apache Spark"))
                .allSatisfy(u -> assertThat(u.identity().marks())
                        .allSatisfy(m -> assertThat(m.kind()).isEqualTo(SoftwareIdentity.Kind.JAVA)));
        assertThat(all)
                .filteredOn(u -> u.software().equals("Express") || u.software().equals("Spring Boot"))
                .isNotEmpty()
                .allSatisfy(u -> assertThat(u.identity().none()).isTrue());
    }
}

package org.portlens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.packages.PackageLookup;
import org.portlens.packages.PackageOrigin;

/** The explainer names each owner's package when asked, once per pid, and not otherwise. */
class ExplainerPackagesTest {

    private static final PackageOrigin SERVER =
            new PackageOrigin.Installed(PackageOrigin.Manager.DPKG, "server", "1.0-1", "amd64", false);

    @Test
    void eachOwnerOfEachListenerGetsItsPackageLookedUpOncePerPid() {
        List<Integer> asked = new ArrayList<>();
        PackageLookup fake = p -> {
            asked.add(p.pid());
            return SERVER;
        };
        Explanation e = Explainer.builder()
                .socketTable(ExplainerTest.fixed(
                        ExplainerTest.listener(3640, ExplainerTest.HOST),
                        ExplainerTest.listener(3641, ExplainerTest.HOST)))
                .packages(fake)
                .build()
                .explain(new PortRange(3640, 3641), Optional.empty());

        assertThat(e.listeners()).hasSize(2).allSatisfy(x -> {
            ProcessInfo p = x.listener().processes().get(0);
            assertThat(x.packageOf(p)).contains(SERVER);
        });
        assertThat(asked).containsExactly(42);
    }

    @Test
    void withoutALookupNoPackageIsNamed() {
        Explanation e = Explainer.builder()
                .socketTable(ExplainerTest.fixed(ExplainerTest.listener(3640, ExplainerTest.HOST)))
                .build()
                .explain(PortRange.of(3640), Optional.empty());

        assertThat(e.listeners().get(0).packages()).isEmpty();
        assertThat(e.listeners()
                        .get(0)
                        .packageOf(e.listeners().get(0).listener().processes().get(0)))
                .isEmpty();
    }

    @Test
    void theBuilderKeepsTheLookupAcrossOtherSettings() {
        PackageLookup fake = p -> SERVER;
        Explanation e = Explainer.builder()
                .packages(fake)
                .noProbing()
                .socketTable(ExplainerTest.fixed(ExplainerTest.listener(3640, ExplainerTest.HOST)))
                .build()
                .toBuilder()
                .build()
                .explain(PortRange.of(3640), Optional.empty());

        assertThat(e.listeners().get(0).packages()).containsValue(SERVER);
    }
}

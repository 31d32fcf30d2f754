package org.portlens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.internal.OperatingSystem;
import org.portlens.model.PortRange;

class ManualChecksTest {

    private static final List<Explanation.ManualCheck> CHECKS =
            Explainer.checks(PortRange.of(3640), Optional.empty(), "127.0.0.1:3640");

    @Test
    void theChecksOfTheSystemPortlensRunsOnComeFirst() {
        assertThat(Explainer.thisSystemFirst(CHECKS, OperatingSystem.MACOS))
                .first()
                .satisfies(c -> assertThat(c.os()).isEqualTo("macos"));
        assertThat(Explainer.thisSystemFirst(CHECKS, OperatingSystem.WINDOWS))
                .extracting(Explanation.ManualCheck::os)
                .startsWith("windows", "windows", "windows", "windows")
                .endsWith("macos");
        assertThat(Explainer.thisSystemFirst(CHECKS, OperatingSystem.LINUX))
                .first()
                .satisfies(c -> assertThat(c.os()).isEqualTo("linux"));
        assertThat(Explainer.thisSystemFirst(CHECKS, OperatingSystem.MACOS))
                .containsExactlyInAnyOrderElementsOf(CHECKS);
    }

    @Test
    void eachSystemSaysHowToFindTheServiceBehindAPid() {
        assertThat(CHECKS)
                .anyMatch(c -> c.os().equals("macos") && c.command().startsWith("sudo launchctl procinfo PID"));
        assertThat(CHECKS).anyMatch(c -> c.os().equals("windows") && c.command().contains("Win32_Service"));
        assertThat(CHECKS).anyMatch(c -> c.os().equals("linux") && c.command().equals("systemctl status PID"));
    }
}

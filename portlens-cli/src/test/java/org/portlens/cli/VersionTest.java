package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code portlens --version} says which JDK runs it: version, vendor and where it lives. */
class VersionTest {

    @Test
    void versionNamesTheJdkItRunsOn() {
        CliRun r = CliRun.of("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .startsWith("portlens ")
                .contains("JDK: " + System.getProperty("java.runtime.version"))
                .contains(System.getProperty("java.vendor"))
                .contains(" at " + System.getProperty("java.home"));
    }
}

package org.portlens.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the tests find a JDK 22+ for the native engine's child JVMs. */
class JdksTest {

    @Test
    void readsTheJavaVersionOfAJdkFromItsReleaseFile() {
        assertThat(Jdks.parseRelease("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n"))
                .isEqualTo(25);
        assertThat(Jdks.parseRelease("JAVA_VERSION=\"17.0.15\"")).isEqualTo(17);
        assertThat(Jdks.parseRelease("JAVA_VERSION=\"22\"")).isEqualTo(22);
        assertThat(Jdks.parseRelease("JAVA_VERSION=\"1.8.0_402\"")).isEqualTo(8);
        assertThat(Jdks.parseRelease("JAVA_VERSION=\"26-ea\"")).isEqualTo(26);
        assertThat(Jdks.parseRelease("OS_NAME=\"Linux\"")).isEqualTo(-1);
        assertThat(Jdks.parseRelease("JAVA_VERSION=\"x\"")).isEqualTo(-1);
    }
}

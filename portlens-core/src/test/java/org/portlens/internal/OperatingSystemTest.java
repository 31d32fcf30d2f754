package org.portlens.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperatingSystemTest {

    /** The os.name values JVMs report (OpenJDK's, Temurin's, Zulu's on each system). */
    @ParameterizedTest
    @CsvSource({
        "Linux, LINUX",
        "Mac OS X, MACOS",
        "Darwin, MACOS",
        "Windows 10, WINDOWS",
        "Windows 11, WINDOWS",
        "Windows Server 2022, WINDOWS",
        "Windows Server 2019, WINDOWS",
        "Windows NT (unknown), WINDOWS",
        "FreeBSD, OTHER",
        "SunOS, OTHER",
        "AIX, OTHER",
        "OS/400, OTHER",
        "'', OTHER",
        "LinuxOS, OTHER",
    })
    void namesTheSystemFromItsOsName(String osName, OperatingSystem expected) {
        assertThat(OperatingSystem.of(osName)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void thisJvmIsLinuxHere() {
        // the build runs on Linux (README); a Mac or Windows run of the suite would say so here
        assertThat(OperatingSystem.current()).isEqualTo(OperatingSystem.of(System.getProperty("os.name")));
    }
}

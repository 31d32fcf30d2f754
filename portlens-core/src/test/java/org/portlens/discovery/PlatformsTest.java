package org.portlens.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portlens.discovery.linux.LinuxProcessTable;
import org.portlens.discovery.linux.LinuxSocketTable;
import org.portlens.discovery.macos.MacProcessTable;
import org.portlens.discovery.macos.MacSocketTable;
import org.portlens.discovery.windows.WindowsProcessTable;
import org.portlens.discovery.windows.WindowsSocketTable;

/** The platform is chosen by os.name in one place: a Mac or Windows JVM never gets the Linux reader. */
class PlatformsTest {

    @Test
    void linuxGetsTheProcReader() {
        assertThat(Platforms.socketTable("Linux")).isInstanceOf(LinuxSocketTable.class);
        assertThat(Platforms.processTable("Linux")).isInstanceOf(LinuxProcessTable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mac OS X", "Darwin"})
    void aMacGetsTheLsofReader(String osName) {
        assertThat(Platforms.socketTable(osName)).isInstanceOf(MacSocketTable.class);
        assertThat(Platforms.processTable(osName)).isInstanceOf(MacProcessTable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Windows 10", "Windows 11", "Windows Server 2022", "Windows NT (unknown)"})
    void windowsGetsThePowerShellReader(String osName) {
        assertThat(Platforms.socketTable(osName)).isInstanceOf(WindowsSocketTable.class);
        assertThat(Platforms.processTable(osName)).isInstanceOf(WindowsProcessTable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FreeBSD", "SunOS", "AIX", ""})
    void anotherSystemIsRefusedInOneLineThatSaysWhatStillWorks(String osName) {
        assertThatThrownBy(() -> Platforms.socketTable(osName))
                .isInstanceOf(UnsupportedPlatformException.class)
                .hasMessageContaining("implemented for Linux, macOS and Windows")
                .hasMessageContaining("registry commands")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Platforms.processTable(osName)).isInstanceOf(UnsupportedPlatformException.class);
    }

    @Test
    void theSystemTableIsThisJvmsOne() {
        // on the Linux machines the build runs on; the same call picks the Mac or Windows table there
        assertThat(SocketTable.system().getClass())
                .isEqualTo(Platforms.socketTable(System.getProperty("os.name")).getClass());
    }
}

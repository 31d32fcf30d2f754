package org.portlens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Terminal or not, from a descriptor's link: the links a fake proc tree holds, and this JVM's own. */
class StandardStreamsTest {

    @TempDir
    Path dir;

    @Test
    void terminalDevicesAreTerminalsAndPipesSocketsAndFilesAreNot() {
        assertThat(StandardStreams.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(StandardStreams.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(StandardStreams.isTerminalDevice("/dev/console")).isTrue();
        assertThat(StandardStreams.isTerminalDevice("pipe:[123456]")).isFalse();
        assertThat(StandardStreams.isTerminalDevice("socket:[42]")).isFalse();
        assertThat(StandardStreams.isTerminalDevice("/dev/null")).isFalse();
        assertThat(StandardStreams.isTerminalDevice("/tmp/out.txt")).isFalse();
    }

    @Test
    void aLinkIsReadAndAMissingOneIsUnknown() throws Exception {
        Path fd = dir.resolve("1");
        Files.createSymbolicLink(fd, Path.of("/dev/pts/7"));
        assertThat(StandardStreams.isTerminal(fd)).contains(true);
        Path pipe = dir.resolve("2");
        Files.createSymbolicLink(pipe, Path.of("pipe:[77]"));
        assertThat(StandardStreams.isTerminal(pipe)).contains(false);
        assertThat(StandardStreams.isTerminal(dir.resolve("9"))).isEmpty();
    }

    @Test
    void theTestsOwnOutputIsNoTerminal() {
        // surefire pipes a forked JVM's output
        if (Files.isDirectory(Path.of("/proc/self/fd"))) {
            assertThat(StandardStreams.isTerminal(1)).contains(false);
        }
    }
}

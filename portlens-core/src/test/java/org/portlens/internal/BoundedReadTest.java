package org.portlens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;

class BoundedReadTest {

    @TempDir
    Path dir;

    @Test
    void aFifoWithNoWriterIsTooSlowNotAHang() throws Exception {
        Path fifo = fifo();
        // the deadline is all that ends this: without it the open blocks for ever (the test would hang)
        assertThatThrownBy(() -> BoundedRead.file(fifo, 1024, Duration.ofMillis(300)))
                .isInstanceOf(BoundedRead.TooSlow.class);
    }

    @Test
    void aFifoWithAWriterIsReadWhole() throws Exception {
        Path fifo = fifo();
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write("80 http\n".getBytes(StandardCharsets.US_ASCII));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        assertThat(new String(BoundedRead.file(fifo, 1024, Duration.ofSeconds(30)), StandardCharsets.US_ASCII))
                .isEqualTo("80 http\n");
        writer.join();
    }

    @Test
    void aDeviceThatNeverEndsIsTooLarge() {
        assertThatThrownBy(() -> BoundedRead.file(Path.of("/dev/zero"), 1 << 20, Duration.ofSeconds(30)))
                .isInstanceOf(BoundedRead.TooLarge.class);
    }

    @Test
    void aFileThatIsNotThereSaysSo() {
        assertThatThrownBy(() -> BoundedRead.file(dir.resolve("nope"), 1024, Duration.ofSeconds(1)))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    private Path fifo() throws Exception {
        Path fifo = dir.resolve("fifo");
        Path mkfifo = Needs.binary("mkfifo", "coreutils", "/usr/bin/mkfifo");
        assertThat(new ProcessBuilder(mkfifo.toString(), fifo.toString())
                        .start()
                        .waitFor())
                .isZero();
        return fifo;
    }
}

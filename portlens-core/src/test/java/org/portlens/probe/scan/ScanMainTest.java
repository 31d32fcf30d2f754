package org.portlens.probe.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Usage errors never touch the network: they end with status 2 and one line on stderr. */
class ScanMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ScanMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void missingHostIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).startsWith("ScanMain: missing HOST");
    }

    @Test
    void badPortSpecIsAUsageErrorNamingThePart() {
        assertThat(run("127.0.0.1", "22,0")).isEqualTo(2);
        assertThat(err()).contains("port 0 can't be scanned");
    }

    @Test
    void badNumberIsAUsageError() {
        assertThat(run("127.0.0.1", "22", "--rate", "fast")).isEqualTo(2);
        assertThat(err()).isEqualTo("ScanMain: --rate needs a number, got 'fast'" + System.lineSeparator());
        err.reset();
        assertThat(run("127.0.0.1", "22", "--timeout")).isEqualTo(2);
        assertThat(err()).contains("--timeout needs a number");
    }

    @Test
    void helpGoesToStdout() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: ScanMain HOST [PORTS]");
    }
}

package org.portlens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs /bin/sh, which every machine that runs the tests has. */
class CommandTest {

    @Test
    void returnsExitStatusOutputAndErrorApart() throws IOException {
        Command.Result r =
                Command.run(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10), 1000);
        assertThat(r).isEqualTo(new Command.Result(3, "out\n", "err\n"));
        assertThat(r.firstLine()).isEqualTo("err");
    }

    @Test
    void runsInTheCLocale() throws IOException {
        assertThat(Command.run(List.of("/bin/sh", "-c", "echo $LC_ALL"), Duration.ofSeconds(10), 100)
                        .stdout())
                .isEqualTo("C\n");
    }

    @Test
    void killsAProgramThatRunsTooLong() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Command.run(List.of("/bin/sh", "-c", "sleep 30"), Duration.ofMillis(300), 100))
                .isInstanceOf(BoundedRead.TooSlow.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void stopsReadingAProgramThatSaysTooMuch() {
        assertThatThrownBy(() -> Command.run(List.of("/bin/sh", "-c", "yes"), Duration.ofSeconds(10), 10_000))
                .isInstanceOf(BoundedRead.TooLarge.class);
    }

    @Test
    void saysWhenTheProgramIsNotThere() {
        assertThatThrownBy(() -> Command.run(List.of("/nonexistent/portlens-test"), Duration.ofSeconds(1), 100))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("No such file or directory");
    }
}

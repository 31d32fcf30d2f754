package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code portlens watch}: bad input is one line and exit code 2, before anything is read. */
class WatchCommandTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--interval 0 | --interval must be between 0.1 and 3600 seconds, got 0.0",
                "--interval 5000 | --interval must be between 0.1 and 3600 seconds, got 5000.0",
                "--interval NaN | --interval must be between 0.1 and 3600 seconds, got NaN",
                "--interval soon | Invalid value for option '--interval': 'soon' is not a double",
                "--max-cpu 0 | --max-cpu must be a percentage above 0 and at most 100, got 0.0",
                "--max-cpu 101 | --max-cpu must be a percentage above 0 and at most 100, got 101.0",
                "--duration -1 | --duration must be a positive number of seconds, got -1.0",
                "--json | watch prints one JSON object per event: use --jsonl, not --json",
                "--policy p.yaml | --policy is the policy of --audit: add --audit, or leave --policy out",
                "--retention 0 | --retention must be a number of days from 1 to 36500, got 0",
                "--no-history --db jdbc:postgresql://127.0.0.1/x | --db is where the history goes; --no-history keeps none: give one",
                "--db jdbc:mysql://127.0.0.1/x | jdbc:mysql://127.0.0.1/x",
            })
    void badInputIsOneLineAndExit2(String args, String message) {
        CliRun r = CliRun.of(("watch " + args).split(" "));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip().lines()).hasSizeLessThanOrEqualTo(2);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anEmptyExecCommandIsRefused() {
        CliRun r = CliRun.of("watch", "--exec", " ");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--exec needs a command");
    }

    @Test
    void aBadPolicyIsRefusedWithItsLineBeforeWatching() throws Exception {
        Path policy = tmp.resolve("policy.yaml");
        Files.writeString(policy, "expect:\n  - port: 70000\n");
        CliRun r = CliRun.of("watch", "--audit", "--policy", policy.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("portlens: " + policy + ":2:");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingPolicyIsNamed() {
        Path policy = tmp.resolve("nope.yaml");
        CliRun r = CliRun.of("watch", "--audit", "--policy", policy.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(policy.toString());
    }
}

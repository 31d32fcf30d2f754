package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;

/**
 * The repository's systemd unit for {@code portlens watch}: systemd's own checker accepts it
 * without a warning, and the command line it runs is one portlens accepts.
 */
public class SystemdUnitIT {

    static final Path UNIT = Path.of("..", "dist", "systemd", "portlens-watch.service");

    @TempDir
    Path tmp;

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning() throws Exception {
        Path analyze = Needs.binary("systemd-analyze", "systemd", "/usr/bin/systemd-analyze");
        // the unit names the .deb's /usr/bin/portlens, which systemd checks is executable: point it
        // at this checkout's launcher for the check; everything else is verified as shipped
        String launcher = Path.of("..", "portlens").toAbsolutePath().normalize().toString();
        String text = Files.readString(UNIT).replace("ExecStart=/usr/bin/portlens ", "ExecStart=" + launcher + " ");
        assertThat(text).contains("ExecStart=" + launcher + " watch");
        Path copy = tmp.resolve("portlens-watch.service");
        Files.writeString(copy, text);

        LiveIT.Result r = LiveIT.exec(List.of(analyze.toString(), "verify", "--man=no", copy.toString()));

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out() + r.err()).as("systemd-analyze's warnings").isBlank();
    }

    @Test
    void theUnitRunsACommandLinePortlensAccepts() throws Exception {
        String exec = Files.readAllLines(UNIT).stream()
                .filter(l -> l.startsWith("ExecStart="))
                .findFirst()
                .orElseThrow();
        List<String> words = new ArrayList<>(
                Arrays.asList(exec.substring("ExecStart=".length()).split(" ")));
        assertThat(words.remove(0)).isEqualTo("/usr/bin/portlens");
        words.add("--duration");
        words.add("0.2");

        CliRun r = CliRun.of(words.toArray(new String[0]));

        assertThat(r.code()).as(r.err()).isZero();
    }
}

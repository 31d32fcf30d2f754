package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.portlens.scan.Jdks;
import org.portlens.testkit.Needs;

/**
 * Colours and the progress bar follow whether standard output is a terminal, on the JDK that
 * builds (17) and on the newest JDK 22+ installed, whose {@code System.console()} changed: each
 * decides in a child JVM whose output is piped, and in one that runs on a pseudo-terminal made by
 * util-linux's {@code script}.
 */
class TerminalIT {

    static Stream<String> javas() throws IOException {
        List<String> javas = new ArrayList<>();
        javas.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path newer = Jdks.javaOfAtLeast(22); // the newest JDK 22+ under /usr/lib/jvm, if any
        if (newer != null) {
            javas.add(newer.toString());
        }
        return javas.stream();
    }

    private static String classpath() {
        return System.getProperty("java.class.path");
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        return out;
    }

    @ParameterizedTest
    @MethodSource("javas")
    void outputPipedToAnotherProgramIsNotATerminal(String java) throws Exception {
        String out = run(List.of(java, "-cp", classpath(), TerminalProbe.class.getName()));
        assertThat(out).as(java).contains("interactive=false");
    }

    /** What the probe says when run by util-linux's script on a pseudo-terminal, its output through {@code pipe}. */
    private static String onPseudoTerminal(String java, String pipe) throws Exception {
        Needs.binary("script", "bsdutils", "/usr/bin/script"); // a pseudo-terminal to test on
        String cmd = "'" + java + "' -cp '" + classpath() + "' " + TerminalProbe.class.getName() + pipe;
        return run(List.of("/usr/bin/script", "-qec", cmd, "/dev/null"));
    }

    @ParameterizedTest
    @MethodSource("javas")
    void outputOnAPseudoTerminalIsATerminal(String java) throws Exception {
        assertThat(onPseudoTerminal(java, "")).as(java).contains("interactive=true");
    }

    @ParameterizedTest
    @MethodSource("javas")
    void outputOnAPseudoTerminalButPipedOnIsNotATerminal(String java) throws Exception {
        assertThat(onPseudoTerminal(java, " | cat")).as(java).contains("interactive=false");
    }
}

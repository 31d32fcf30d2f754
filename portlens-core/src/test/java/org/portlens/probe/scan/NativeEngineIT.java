package org.portlens.probe.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native scan engine needs JDK 22+, and the build runs on 17, so these tests start a child JVM on
 * the newest JDK 22+ the machine has ({@link Jdks}; the CI machine has Temurin's beside Debian's 17).
 * They skip, saying so, only when there is none.
 */
class NativeEngineIT {

    static Path java;

    @BeforeAll
    static void findJdk() throws IOException {
        java = Jdks.javaOfAtLeast(22);
        assumeTrue(java != null, "no JDK 22+ under /usr/lib/jvm and no PORTLENS_TEST_JDK: the native engine"
                + " cannot run here");
    }

    /** Every scenario of {@link TcpConnectScannerIT}, with every scan on the native engine. */
    @Test
    void theLoopbackScannerTestsPassOnTheNativeEngine() throws Exception {
        Result r = run(List.of("--enable-native-access=ALL-UNNAMED", "-Dportlens.test.engine=native"),
                JUnitChild.class.getName(), TcpConnectScannerIT.class.getName());
        assertThat(r.exit).as("child exit status; output:\n" + r.out).isZero();
        String summary = r.lastLine();
        assertThat(summary).as(r.out).startsWith("tests ").contains(" 0 failed ").contains(" 0 aborted");
        int succeeded = Integer.parseInt(summary.split(" ")[1]);
        assertThat(succeeded).as("tests run on the native engine").isGreaterThanOrEqualTo(9);
    }

    /**
     * Without native access the engine must stay off, with no warning on stderr (the JDK warns on the
     * first restricted call), and scans must fall back to NIO.
     */
    @Test
    void withoutNativeAccessScansFallBackToNioSilently() throws Exception {
        Result r = run(List.of("-Dportlens.test.engine=prefer"), SweepChild.class.getName(), "tcp", "127.0.0.1",
                "1", "500", "1");
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("engine nio");
        assertThat(r.out).contains("native native access not enabled");
        assertThat(r.err).doesNotContain("WARNING");
    }

    @Test
    void turnedOffByThePropertyEvenWithNativeAccess() throws Exception {
        Result r = run(List.of("--enable-native-access=ALL-UNNAMED", "-Dportlens.test.engine=prefer",
                "-Dportlens.nativeSockets=false"), SweepChild.class.getName(), "tcp", "127.0.0.1", "1", "500", "1");
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("engine nio").contains("turned off by -Dportlens.nativeSockets=false");
    }

    record Result(int exit, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Result run(List<String> jvmArgs, String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[][] streams = new byte[2][];
        Thread err = new Thread(() -> {
            try {
                streams[1] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                streams[1] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        err.start();
        streams[0] = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("child finished").isTrue();
        err.join();
        return new Result(p.exitValue(), new String(streams[0], StandardCharsets.UTF_8),
                new String(streams[1], StandardCharsets.UTF_8));
    }
}

package org.portlens.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The native scan engine, in child JVMs with the access it needs: on the build's JDK (17: the binding
 * through the JDK's socket natives, with {@code --add-opens java.base/sun.nio.ch}) and on the newest
 * JDK 22+ the machine has ({@link Jdks}; the binding through the foreign function API, with
 * {@code --enable-native-access}). The CI machine has Temurin's JDK beside Debian's 17; the JDK 22+
 * tests skip, saying so, only where there is none.
 */
class NativeEngineIT {

    /** Both JDKs accept both flags; each uses the one its binding needs. */
    static final List<String> NATIVE_ACCESS =
            List.of("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED");

    static Path buildJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Path newJava() throws IOException {
        Path java = Jdks.javaOfAtLeast(22);
        assumeTrue(
                java != null,
                "no JDK 22+ under /usr/lib/jvm and no PORTLENS_TEST_JDK: the foreign binding" + " cannot run here");
        return java;
    }

    /** "foreign" or "internal": the binding a JDK of this feature version uses. */
    static String bindingOf(int feature) {
        return feature >= 22 ? "foreign" : "internal";
    }

    /** Every scenario of {@link TcpConnectScannerIT}, with every scan on the native engine, on the build's JDK. */
    @Test
    void theLoopbackScannerTestsPassOnTheNativeEngineOnTheBuildJdk() throws Exception {
        loopbackTests(buildJava(), Runtime.version().feature());
    }

    /** The same on a JDK 22+. */
    @Test
    void theLoopbackScannerTestsPassOnTheNativeEngineOnJdk22() throws Exception {
        Path java = newJava();
        loopbackTests(java, Jdks.featureOf(java.getParent().getParent()));
    }

    /**
     * The JDK-internal binding on a JDK 22+ ({@code -Dportlens.nativeSockets=internal}): from JDK 20 on
     * those internals moved (close0 is in UnixDispatcher), so this stands in for JDK 20-21, which the
     * machine does not have.
     */
    @Test
    void theLoopbackScannerTestsPassOnTheInternalBindingOfANewerJdk() throws Exception {
        loopbackTests(newJava(), 21, "-Dportlens.nativeSockets=internal");
    }

    private static void loopbackTests(Path java, int feature, String... extra) throws Exception {
        List<String> flags = new ArrayList<>(NATIVE_ACCESS);
        flags.add("-Dportlens.test.engine=native");
        flags.add("-Dportlens.test.binding=" + bindingOf(feature));
        flags.addAll(List.of(extra));
        Result r = run(java, flags, JUnitChild.class.getName(), TcpConnectScannerIT.class.getName());
        assertThat(r.exit).as("child exit status; output:\n" + r.out).isZero();
        String summary = r.lastLine();
        assertThat(summary)
                .as(r.out)
                .startsWith("tests ")
                .contains(" 0 failed ")
                .contains(" 0 aborted");
        int succeeded = Integer.parseInt(summary.split(" ")[1]);
        assertThat(succeeded).as("tests run on the native engine").isGreaterThanOrEqualTo(9);
    }

    /**
     * Without native access a JDK 22+ must leave the engine off, with no warning on stderr (the JDK warns
     * on the first restricted call), and scan on NIO.
     */
    @Test
    void withoutNativeAccessScansFallBackToNioSilently() throws Exception {
        Result r = run(
                newJava(),
                List.of("-Dportlens.test.engine=prefer"),
                SweepChild.class.getName(),
                "tcp",
                "127.0.0.1",
                ownPort(),
                "500",
                "1");
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("engine nio");
        assertThat(r.out).contains("native native access not enabled");
        assertThat(r.err).doesNotContain("WARNING");
    }

    /** Without the opened package the build's JDK (17-21) must leave the engine off too. */
    @Test
    void withoutTheOpenedPackageScansFallBackToNio() throws Exception {
        assumeTrue(Runtime.version().feature() < 22, "the build's JDK uses the foreign binding");
        Result r = run(
                buildJava(),
                List.of("-Dportlens.test.engine=prefer"),
                SweepChild.class.getName(),
                "tcp",
                "127.0.0.1",
                ownPort(),
                "500",
                "1");
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("engine nio").contains("native java.base/sun.nio.ch is not opened to portlens");
    }

    /** The internal binding costs a few ms: on JDK 17-21 even a one-port scan uses it. */
    @Test
    void aSmallScanUsesTheInternalBinding() throws Exception {
        assumeTrue(Runtime.version().feature() < 22, "the build's JDK uses the foreign binding");
        List<String> flags = new ArrayList<>(NATIVE_ACCESS);
        flags.add("-Dportlens.test.engine=sized");
        Result r = run(buildJava(), flags, SweepChild.class.getName(), "tcp", "127.0.0.1", ownPort(), "500", "1");
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("engine native").contains("native in use");
    }

    @Test
    void turnedOffByThePropertyEvenWithAccess() throws Exception {
        List<String> flags = new ArrayList<>(NATIVE_ACCESS);
        flags.addAll(List.of("-Dportlens.test.engine=prefer", "-Dportlens.nativeSockets=false"));
        Result r = run(buildJava(), flags, SweepChild.class.getName(), "tcp", "127.0.0.1", ownPort(), "500", "1");
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("engine nio").contains("turned off by -Dportlens.nativeSockets=false");
    }

    /** A port this test listens on (127.0.0.1), for the one-port scans: scans touch only the test's own servers. */
    private ServerSocket listener;

    private String ownPort() throws IOException {
        if (listener == null) {
            listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        }
        return Integer.toString(listener.getLocalPort());
    }

    @AfterEach
    void closeListener() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    record Result(int exit, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Result run(Path java, List<String> jvmArgs, String mainClass, String... args) throws Exception {
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
        return new Result(
                p.exitValue(),
                new String(streams[0], StandardCharsets.UTF_8),
                new String(streams[1], StandardCharsets.UTF_8));
    }
}

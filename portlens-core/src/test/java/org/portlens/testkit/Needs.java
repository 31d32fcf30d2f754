package org.portlens.testkit;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What a test needs from the machine: root, or a program from a Debian package. A test that lacks it
 * skips, with one line saying what is missing and how to get it; as root, a missing package is first
 * installed with apt-get, all the missing ones of {@code test-packages.txt} in one go, so that
 * {@code mvn -B verify} as root on a fresh Debian machine runs everything.
 *
 * <p>{@code PORTLENS_TEST_WITHOUT=nginx,postgresql} makes the tests treat those packages as missing and
 * never install them: the fresh-machine skip path, seen on a machine that has them. Public for the
 * CLI's tests, which get it through portlens-core's test jar.
 */
public final class Needs {

    private static final Object LOCK = new Object();
    private static boolean installTried;
    private static String installFailure = "";

    private Needs() {}

    /** Whether this JVM runs as root. */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Skips unless this JVM runs on {@code os}, saying so in the words {@link SkipSummary} lists apart:
     * no package or privilege makes a macOS or Windows test run on Linux, so CI does not count it as a
     * skip of its own.
     *
     * @param os      the system the test needs
     * @param forWhat what the test checks there
     */
    public static void system(org.portlens.internal.OperatingSystem os, String forWhat) {
        org.portlens.internal.OperatingSystem here = org.portlens.internal.OperatingSystem.current();
        if (here != os) {
            abort(SkipSummary.OTHER_SYSTEM + os.label() + " (this is " + System.getProperty("os.name") + "): " + forWhat
                    + "; here its parsers run on recorded output");
        }
    }

    /** Skips, with what is missing and how to get it, unless the test runs as root. */
    public static void root(String forWhat) {
        if (!isRoot()) {
            abort("needs root for " + forWhat + ": run mvn -B verify as root (as .ci/run does) to include it");
        }
    }

    /**
     * The path of {@code binary}: at {@code debianPath} (where the Debian package puts it) or on PATH. When
     * it is missing, installs {@code debianPackage} as root, and otherwise skips the test saying how to
     * get it.
     */
    public static Path binary(String binary, String debianPackage, String debianPath) {
        Path found = pretendMissing(debianPackage) ? null : find(binary, debianPath);
        if (found == null && !pretendMissing(debianPackage) && isRoot()) {
            installMissing();
            found = find(binary, debianPath);
        }
        if (found == null) {
            abort(missing(binary, debianPackage));
        }
        return found;
    }

    /** Like {@link #binary}, for a package whose programs live in a versioned directory, e.g. PostgreSQL's. */
    public static void debianPackage(String debianPackage, BooleanSupplier present) {
        boolean have = !pretendMissing(debianPackage) && present.getAsBoolean();
        if (!have && !pretendMissing(debianPackage) && isRoot()) {
            installMissing();
            have = present.getAsBoolean();
        }
        if (!have) {
            abort(missing(debianPackage, debianPackage));
        }
    }

    /** The one-line reason a test skips for lack of {@code binary}. */
    static String missing(String binary, String debianPackage) {
        String why = pretendMissing(debianPackage)
                ? " (PORTLENS_TEST_WITHOUT names " + debianPackage + ")"
                : installFailure.isEmpty() ? "" : " (apt-get failed: " + installFailure + ")";
        return binary + " is missing" + why + ": apt-get install " + debianPackage
                + " as root, or run mvn -B verify as root, which installs it";
    }

    static boolean pretendMissing(String debianPackage) {
        String without = System.getenv("PORTLENS_TEST_WITHOUT");
        return without != null && Arrays.stream(without.split("[,\\s]+")).anyMatch(debianPackage::equals);
    }

    private static Path find(String binary, String debianPath) {
        Path p = Path.of(debianPath);
        if (Files.isExecutable(p)) {
            return p;
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, binary))) {
                return Path.of(d, binary);
            }
        }
        return null;
    }

    /** The packages of {@code test-packages.txt}, in order. */
    public static List<String> testPackages() {
        List<String> packages = new ArrayList<>();
        try (InputStream in = Needs.class.getResourceAsStream("/test-packages.txt")) {
            if (in == null) {
                throw new IllegalStateException("test-packages.txt is not on the test class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String p = line.replaceFirst("#.*", "").trim();
                if (!p.isEmpty()) {
                    packages.add(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return packages;
    }

    /** As root, once per JVM: apt-get installs every package of the list that dpkg does not have. */
    private static void installMissing() {
        synchronized (LOCK) {
            if (installTried) {
                return;
            }
            installTried = true;
            if (find("apt-get", "/usr/bin/apt-get") == null) {
                installFailure = "no apt-get on this machine";
                return;
            }
            Set<String> wanted = new LinkedHashSet<>(testPackages());
            wanted.removeIf(Needs::pretendMissing);
            wanted.removeAll(installed(wanted));
            if (wanted.isEmpty()) {
                return;
            }
            System.out.println("[portlens tests] installing " + String.join(" ", wanted) + " with apt-get");
            Path policy = Path.of("/usr/sbin/policy-rc.d");
            boolean madePolicy = false;
            try {
                if (!Files.exists(policy)) {
                    // the tests start the servers themselves: keep the packages from starting system services
                    Files.writeString(policy, "#!/bin/sh\nexit 101\n");
                    policy.toFile().setExecutable(true);
                    madePolicy = true;
                }
                String update = run(List.of("apt-get", "update", "-qq"));
                List<String> install = new ArrayList<>(List.of(
                        "apt-get", "install", "-y", "-qq", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=300"));
                install.addAll(wanted);
                String result = run(install);
                if (!result.isEmpty()) {
                    installFailure = update.isEmpty() ? result : update + "; " + result;
                }
            } catch (IOException e) {
                installFailure = e.toString();
            } finally {
                if (madePolicy) {
                    try {
                        Files.deleteIfExists(policy);
                    } catch (IOException e) {
                        // left behind: harmless for the tests, and said here
                        System.out.println("[portlens tests] could not remove " + policy + ": " + e);
                    }
                }
            }
        }
    }

    /** The ones of {@code packages} that dpkg lists as installed. */
    private static Set<String> installed(Set<String> packages) {
        List<String> cmd = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package} ${Status}\\n"));
        cmd.addAll(packages);
        Set<String> have = new HashSet<>();
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            for (String line : out.split("\n")) {
                String[] f = line.split(" ", 2);
                if (f.length == 2 && f[1].contains("install ok installed")) {
                    have.add(f[0].replaceFirst(":.*", ""));
                }
            }
        } catch (IOException e) {
            // no dpkg-query: try to install them all
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return have;
    }

    /** Runs {@code cmd}; "" when it succeeds, else the last line of its output and its exit code. */
    private static String run(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(); // the output has ended, so has apt-get, or nearly
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (p.exitValue() == 0) {
            return "";
        }
        String[] lines = out.strip().split("\n");
        return cmd.get(0) + " " + cmd.get(1) + " exited " + p.exitValue() + ": " + lines[lines.length - 1];
    }
}

package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;

/**
 * The README's two commands, on a clean copy of this repository, as a user who is not root, the way a
 * newcomer runs them: {@code ./portlens 3640} builds the jar and answers, and {@code mvn -B verify}
 * passes, the real-server suites skipped (their packages pretended missing with
 * {@code PORTLENS_TEST_WITHOUT}, as on a machine with only a JDK and Maven) and listed in the summary
 * that ends the run.
 *
 * <p>The copy is the repository's tracked and untracked-but-not-ignored files, as they are in the work
 * tree. The user is made for the test ({@code useradd}, removed after) so that it has a home of its
 * own, as a real one does; Maven runs offline from a copy of this build's local repository, so the test
 * reaches no network. Needs root (to make the user and run as it).
 */
class FreshCloneIT {

    /** A user of this run's own: two builds at once (two work trees) must not remove each other's. */
    private static final String USER =
            "portlens-fresh-" + ProcessHandle.current().pid();

    /** The Debian packages whose suites skip in the fresh run: the real servers of RealServersIT. */
    private static final String SERVERS = "nginx,openssh-server,redis-server,memcached,postgresql,mariadb-server,"
            + "mosquitto,dnsmasq," + "chromium,chromium-driver";

    @TempDir
    static Path dir;

    static Path home;
    static Path repo;

    @BeforeAll
    static void makeUserAndCopy() throws Exception {
        Needs.root("making a user of the test's own and running the README's commands as it (useradd, setpriv)");
        Needs.binary("useradd", "passwd", "/usr/sbin/useradd");
        Needs.binary("git", "git", "/usr/bin/git");
        Path source = repositoryRoot();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        home = dir.resolve("home");
        repo = home.resolve("portlens");
        removeUser();
        run(List.of("useradd", "--create-home", "--home-dir", home.toString(), "--shell", "/bin/sh", USER));

        // the work tree's files as git sees them (tracked, or new and not ignored): what a clone would hold
        String files = run(List.of(
                "git", "-C", source.toString(), "ls-files", "-z", "--cached", "--others", "--exclude-standard"));
        for (String f : files.split("\0")) {
            Path from = source.resolve(f);
            if (f.isEmpty() || !Files.exists(from)) {
                continue; // deleted in the work tree
            }
            Path to = repo.resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
        // Maven offline, from a copy of this build's local repository
        Path m2 = home.resolve(".m2");
        Files.createDirectories(m2);
        run(List.of(
                "cp",
                "-r",
                localRepository().toString(),
                m2.resolve("repository").toString()));
        Files.writeString(m2.resolve("settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  <offline>true</offline>
                </settings>
                """.formatted(m2.resolve("repository")));
        run(List.of("chown", "-R", USER + ":", home.toString()));
    }

    @AfterAll
    static void removeTheUser() throws Exception {
        if (Needs.isRoot()) {
            removeUser();
        }
    }

    @Test
    void theReadmesTwoCommandsWorkForANewcomerWhoIsNotRoot() throws Exception {
        Run answer = asUser(List.of("./portlens", "3640"), Map.of(), Duration.ofMinutes(6));
        // 0, or 3 when some other user's socket owners are hidden from a non-root user: both answer
        assertThat(answer.code()).as(answer.toString()).isIn(0, 3);
        assertThat(answer.out()).as(answer.toString()).contains("Port 3640", "netplay-port1", "What IANA says");

        Run tests = asUser(
                List.of("mvn", "-B", "verify"), Map.of("PORTLENS_TEST_WITHOUT", SERVERS), Duration.ofMinutes(20));
        assertThat(tests.code()).as(tests.tail()).isZero();
        assertThat(tests.out()).as(tests.tail()).contains("BUILD SUCCESS");
        // the run ends with what it skipped, each with what is missing and how to get it
        // (the summary's first line: after it may come the tests of another operating system, listed apart)
        String out = tests.out();
        String summary =
                out.substring(out.lastIndexOf("[portlens tests]", out.lastIndexOf("skipped; what each needs:")));
        System.out.println("the fresh run's summary:\n" + summary.substring(0, summary.indexOf("[INFO]")));
        assertThat(summary).as(tests.tail()).contains("skipped; what each needs:");
        for (String pkg : List.of("nginx", "redis-server", "memcached", "mosquitto", "dnsmasq", "openssh-server")) {
            assertThat(summary).as(tests.tail()).contains("apt-get install " + pkg);
        }
        assertThat(summary).as(tests.tail()).contains("needs root for");
        // and this test itself, which needs root, skipped in there rather than recursing
        assertThat(summary).as(tests.tail()).contains("FreshCloneIT");
        assertThat(summary).as(tests.tail()).contains("run only on another operating system (not counted as skipped)");
    }

    // ------------------------------------------------------------------ helpers

    record Run(List<String> command, int code, String out) {
        String tail() {
            String[] lines = out.split("\n");
            return String.join(" ", command) + " exited " + code + "; its last lines:\n"
                    + String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 80), lines.length));
        }
    }

    /** {@code command} in the copy, as the test's user, with a login-like environment. */
    private static Run asUser(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--reset-env", "--", "env"));
        cmd.add("HOME=" + home);
        cmd.add("USER=" + USER);
        cmd.add("LANG=C.UTF-8");
        cmd.add("PATH=" + System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        String javaHome = System.getProperty("java.home");
        cmd.add("JAVA_HOME=" + javaHome);
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(command);
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = new ProcessBuilder(cmd)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                    + new Run(command, -1, Files.readString(log)).tail());
        }
        return new Run(command, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The repository this module is in: the parent of the module directory. */
    private static Path repositoryRoot() {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        assertThat(root.resolve("portlens"))
                .as("the launcher beside the modules")
                .exists();
        assumeTrue(
                Files.isDirectory(root.resolve(".git")) || Files.isRegularFile(root.resolve(".git")),
                "needs the repository's git metadata to know its files: run from a git clone");
        return root;
    }

    /** This build's local Maven repository (failsafe passes it), else ~/.m2/repository. */
    private static Path localRepository() {
        String p = System.getProperty("portlens.m2");
        return p == null || p.isEmpty() || p.contains("${")
                ? Path.of(System.getProperty("user.home"), ".m2", "repository")
                : Path.of(p);
    }

    private static void removeUser() throws IOException, InterruptedException {
        new ProcessBuilder("pkill", "-KILL", "-u", USER)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
        new ProcessBuilder("userdel", USER)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
    }

    /** Runs {@code cmd} and returns its output; fails the test when it fails. */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }
}

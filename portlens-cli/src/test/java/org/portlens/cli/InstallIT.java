package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;

/**
 * {@code portlens install} from the packaged jar alone, into a temporary prefix: the installed
 * command answers, man pages and completions are where the shells and man look, and uninstall
 * leaves nothing behind.
 */
public class InstallIT {

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result exec(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    static Result jar(Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LiveIT.javaBin(), "-jar", LiveIT.jar()));
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin"));
    }

    List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p)).toList();
        }
    }

    @Test
    void installsFromTheJarRunsThenUninstallsLeavingNothing() throws Exception {
        Path prefix = Files.createDirectories(tmp.resolve("prefix"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Result install = jar(home, "install", "--prefix", prefix.toString());
        assertThat(install.code()).as(install.err()).isZero();
        assertThat(install.out())
                .contains("installed in " + prefix)
                .contains(prefix.resolve("bin/portlens").toString())
                .contains(prefix + "/bin is not on your PATH")
                .contains("export PATH=\"" + prefix + "/bin:$PATH\"");

        assertThat(Files.readSymbolicLink(prefix.resolve("bin/portlens")))
                .isEqualTo(Path.of("../lib/portlens/portlens"));
        assertThat(prefix.resolve("lib/portlens/portlens.jar")).isRegularFile();
        assertThat(Files.isExecutable(prefix.resolve("lib/portlens/portlens"))).isTrue();
        for (String page : List.of("portlens.1", "portlens-ls.1", "portlens-scan.1", "portlens-install.1")) {
            assertThat(prefix.resolve("share/man/man1/" + page)).isRegularFile();
        }
        assertThat(prefix.resolve("share/bash-completion/completions/portlens")).isRegularFile();
        assertThat(prefix.resolve("share/zsh/site-functions/_portlens")).isRegularFile();
        assertThat(prefix.resolve("share/fish/vendor_completions.d/portlens.fish"))
                .isRegularFile();
        assertThat(prefix.resolve("lib/portlens/install-manifest")).isRegularFile();

        // the installed command, through its symlink: the launcher finds the jar beside it and never builds
        Result run = exec(
                List.of(prefix.resolve("bin/portlens").toString(), "3640", "--no-probe"),
                Map.of(
                        "HOME", home.toString(),
                        "XDG_CACHE_HOME", tmp.resolve("cache").toString(),
                        "JAVA_HOME", System.getProperty("java.home"),
                        "PATH", "/usr/bin:/bin"));
        assertThat(run.code()).as(run.err()).isIn(0, 3);
        assertThat(run.out()).contains("Port 3640").contains("netplay-port1");
        assertThat(run.err()).doesNotContain("building");

        // man finds the page in the prefix
        if (ManPageTest.onPath("man")) {
            Result man = exec(
                    List.of(
                            "man",
                            "-P",
                            "cat",
                            "-l",
                            prefix.resolve("share/man/man1/portlens-ls.1").toString()),
                    Map.of("MANWIDTH", "200"));
            assertThat(man.code()).as(man.err()).isZero();
            assertThat(man.out()).contains("portlens-ls").contains("--sort");
        }

        Result uninstall = jar(home, "uninstall", "--prefix", prefix.toString());
        assertThat(uninstall.code()).as(uninstall.err()).isZero();
        assertThat(uninstall.out()).contains("removed " + prefix.resolve("lib/portlens/portlens.jar"));
        assertThat(filesUnder(prefix)).as("files left in the prefix").isEmpty();
        // the directories other programs share (and PATH names) stay; portlens's own goes
        assertThat(prefix.resolve("bin")).isDirectory();
        assertThat(prefix.resolve("share/man/man1")).isDirectory();
        assertThat(prefix.resolve("lib/portlens")).doesNotExist();
    }

    /**
     * The Debian package's tree (build-deb.sh, as {@code mvn -Prelease package} runs it) has no install-manifest:
     * dpkg owns those files, so portlens install will not overwrite them nor uninstall remove them.
     */
    @Test
    void theDebianPackageHasNoManifestAndInstallAndUninstallLeaveItsFilesAlone() throws Exception {
        Needs.binary("dpkg-deb", "dpkg", "/usr/bin/dpkg-deb");
        Path target = Files.createDirectories(tmp.resolve("target"));
        Result build = exec(
                List.of(
                        "bash",
                        "src/deb/build-deb.sh",
                        LiveIT.javaBin(),
                        LiveIT.jar(),
                        "0.0.0-test",
                        target.toString()),
                Map.of("PATH", "/usr/bin:/bin"));
        assertThat(build.code()).as(build.err()).isZero();
        Result contents = exec(
                List.of(
                        "dpkg-deb",
                        "--contents",
                        target.resolve("portlens_0.0.0-test_all.deb").toString()),
                Map.of("PATH", "/usr/bin:/bin"));
        assertThat(contents.code()).as(contents.err()).isZero();
        assertThat(contents.out()).contains("./usr/lib/portlens/portlens.jar").doesNotContain("install-manifest");

        // the staged tree stands for /usr after dpkg -i
        Path usr = target.resolve("deb/usr");
        List<Path> before = filesUnder(usr);
        Path home = Files.createDirectories(tmp.resolve("home"));
        Result uninstall = jar(home, "uninstall", "--prefix", usr.toString());
        assertThat(uninstall.code()).as(uninstall.err()).isEqualTo(2);
        assertThat(uninstall.err().strip())
                .isEqualTo("portlens: no install-manifest under " + usr.resolve("lib/portlens")
                        + ": not installed by 'portlens install' (a Debian package? use dpkg -r portlens)");
        Result install = jar(home, "install", "--prefix", usr.toString());
        assertThat(install.code()).as(install.err()).isEqualTo(2);
        assertThat(install.err().strip().lines()).hasSize(1);
        assertThat(install.err()).contains("exists and was not written by portlens install");
        assertThat(filesUnder(usr)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void theRepositoryLauncherInstallsToo() throws Exception {
        Path prefix = tmp.resolve("p2");
        Result r = exec(
                List.of(
                        System.getProperty("portlens.launcher", "../portlens"),
                        "install",
                        "--prefix",
                        prefix.toString()),
                Map.of(
                        "HOME", tmp.toString(),
                        "XDG_CACHE_HOME", tmp.resolve("cache").toString(),
                        "PORTLENS_NO_BUILD", "1",
                        "JAVA_HOME", System.getProperty("java.home"),
                        "PATH", prefix.resolve("bin") + ":/usr/bin:/bin"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("installed in " + prefix).doesNotContain("not on your PATH");
        assertThat(prefix.resolve("lib/portlens/portlens.jar")).isRegularFile();
    }

    @Test
    void badInputIsOneLineExitTwoAndWritesNothing() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Result relative = jar(home, "install", "--prefix", tmp.resolve("p").toString(), "--destdir", "staging");
        assertThat(relative.code()).isEqualTo(2);
        assertThat(relative.err().strip()).isEqualTo("portlens: --destdir must be an absolute path, got 'staging'");
        assertThat(tmp.resolve("p")).doesNotExist();

        // a prefix where nothing can be made, not even by root
        Result unwritable = jar(home, "install", "--prefix", "/proc/portlens-install-test");
        assertThat(unwritable.code()).as(unwritable.err()).isEqualTo(2);
        assertThat(unwritable.err().strip().lines()).hasSize(1);
        assertThat(unwritable.err()).startsWith("portlens: ").contains("/proc/portlens-install-test");
        assertThat(Path.of("/proc/portlens-install-test")).doesNotExist();

        // a file in the way that install did not write
        Path prefix = Files.createDirectories(tmp.resolve("busy/bin")).getParent();
        Files.writeString(prefix.resolve("bin/portlens"), "someone else's");
        Result busy = jar(home, "install", "--prefix", prefix.toString());
        assertThat(busy.code()).isEqualTo(2);
        assertThat(busy.err()).contains("exists and was not written by portlens install");
        assertThat(filesUnder(prefix)).containsExactly(prefix.resolve("bin/portlens"));
    }
}

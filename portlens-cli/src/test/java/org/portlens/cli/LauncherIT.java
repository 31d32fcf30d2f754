package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;

/**
 * The launcher's class-data archive as a user without root sees it: the launcher and jar laid out as
 * an installed prefix, readable by all, run twice as {@code nobody} with a home of its own. The first
 * run trains an archive in the cache directory and the second uses it without training; with a cache
 * directory that cannot be written, neither run trains. Observed through PORTLENS_LAUNCHER_DEBUG, never
 * through timing.
 */
public class LauncherIT {

    @TempDir
    Path tmp;

    Path launcher;
    Path home;

    @BeforeEach
    void layOut() throws Exception {
        Needs.root("running the launcher as another user (setpriv --reuid=nobody)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path lib = Files.createDirectories(tmp.resolve("prefix/lib/portlens"));
        launcher = lib.resolve("portlens");
        Files.copy(Path.of(System.getProperty("portlens.launcher", "../portlens")), launcher);
        Files.copy(Path.of(LiveIT.jar()), lib.resolve("portlens.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(lib.resolve("portlens.jar"), PosixFilePermissions.fromString("rw-r--r--"));
        try (Stream<Path> dirs = Files.walk(tmp.resolve("prefix"))) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        home = Files.createDirectories(tmp.resolve("home"));
        run("chown", "nobody:nogroup", home.toString());
    }

    static InstallIT.Result run(String... cmd) throws Exception {
        InstallIT.Result r = InstallIT.exec(List.of(cmd), Map.of());
        assertThat(r.code()).as(String.join(" ", cmd) + ": " + r.err()).isZero();
        return r;
    }

    /** The launcher as nobody, with only the environment given here. */
    InstallIT.Result asNobody(Path cacheHome) throws Exception {
        InstallIT.Result r = InstallIT.exec(nobodyCommand(cacheHome), Map.of());
        assertThat(r.code()).as(r.err()).isIn(0, 3);
        assertThat(r.out()).contains("netplay-port1");
        return r;
    }

    List<String> nobodyCommand(Path cacheHome) {
        return List.of(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "env",
                "-i",
                "PATH=/usr/bin:/bin",
                "HOME=" + home,
                "XDG_CACHE_HOME=" + cacheHome,
                "JAVA_HOME=" + System.getProperty("java.home"),
                "PORTLENS_LAUNCHER_DEBUG=1",
                launcher.toString(),
                "3640",
                "--no-probe");
    }

    static List<String> decisions(InstallIT.Result r) {
        return r.err().lines().filter(l -> l.startsWith("portlens-launcher: ")).toList();
    }

    @Test
    void firstRunTrainsAnArchiveInTheCacheDirectoryAndTheSecondUsesIt() throws Exception {
        Path cache = home.resolve(".cache");
        InstallIT.Result first = asNobody(cache);
        assertThat(decisions(first))
                .singleElement()
                .asString()
                .startsWith("portlens-launcher: archive trained: " + cache + "/portlens/");
        InstallIT.Result second = asNobody(cache);
        assertThat(decisions(second))
                .singleElement()
                .asString()
                .startsWith("portlens-launcher: archive used: " + cache + "/portlens/");

        assertThat(Files.getPosixFilePermissions(cache.resolve("portlens")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(cache.resolve("portlens"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .singleElement()
                    .asString()
                    .startsWith("portlens-")
                    .endsWith(".jsa");
        }
    }

    @Test
    void withMacOsReadlinkAndStatThroughASymlinkTheArchiveIsStillTrainedAndUsed() throws Exception {
        // macOS before 12.3: readlink has no -f; BSD stat takes -f FORMAT, not -c. Shims in front of PATH
        // behave so (stat's answer comes from GNU stat, in BSD's %z-%m format).
        Path shims = Files.createDirectories(tmp.resolve("bsd-bin"));
        Files.writeString(
                shims.resolve("readlink"),
                "#!/bin/sh\n"
                        + "case \"$1\" in -f) echo 'readlink: illegal option -- f' >&2; exit 1 ;; esac\n"
                        + "exec /usr/bin/readlink \"$@\"\n");
        Files.writeString(
                shims.resolve("stat"),
                "#!/bin/sh\n"
                        + "[ \"$1\" = -L ] && shift\n"
                        + "case \"$1\" in -f) [ \"$2\" = '%z-%m' ] || exit 1; exec /usr/bin/stat -L -c '%s-%Y' \"$3\" ;;"
                        + " *) echo \"stat: illegal option -- ${1#-}\" >&2; exit 1 ;; esac\n");
        for (String shim : List.of("readlink", "stat")) {
            Files.setPosixFilePermissions(shims.resolve(shim), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(shims, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectories(tmp.resolve("prefix/bin"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(bin.resolve("portlens"), Path.of("../lib/portlens/portlens"));
        Path cache = home.resolve(".cache");
        List<String> cmd = new java.util.ArrayList<>(nobodyCommand(cache));
        cmd.set(cmd.indexOf("PATH=/usr/bin:/bin"), "PATH=" + shims + ":/usr/bin:/bin");
        cmd.set(cmd.indexOf(launcher.toString()), link.toString());
        for (String expected : List.of("archive trained: ", "archive used: ")) {
            InstallIT.Result r = InstallIT.exec(cmd, Map.of());
            assertThat(r.code()).as(r.err()).isIn(0, 3);
            assertThat(r.out()).contains("netplay-port1");
            assertThat(decisions(r)).singleElement().asString().startsWith("portlens-launcher: " + expected + cache);
        }
    }

    @Test
    void aCacheDirectoryThatCannotBeWrittenMeansNoArchiveAndNoTraining() throws Exception {
        Path readOnly = Files.createDirectories(tmp.resolve("root-owned-cache"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (int i = 0; i < 2; i++) {
            InstallIT.Result r = asNobody(readOnly);
            assertThat(decisions(r))
                    .singleElement()
                    .asString()
                    .startsWith("portlens-launcher: archive none: " + readOnly + " is not yours");
        }
        try (Stream<Path> left = Files.list(readOnly)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void twoFirstRunsAtOnceLeaveOneWholeArchive() throws Exception {
        Path cache = home.resolve(".cache");
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(new ProcessBuilder(nobodyCommand(cache))
                    .redirectOutput(tmp.resolve("out" + i).toFile())
                    .redirectError(tmp.resolve("err" + i).toFile())
                    .start());
        }
        for (int i = 0; i < 2; i++) {
            assertThat(runs.get(i).waitFor(120, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(runs.get(i).exitValue())
                    .as(Files.readString(tmp.resolve("err" + i)))
                    .isIn(0, 3);
            assertThat(Files.readString(tmp.resolve("out" + i))).contains("netplay-port1");
            // each trained its own, or found the other's already in place
            assertThat(Files.readString(tmp.resolve("err" + i)).lines())
                    .singleElement()
                    .asString()
                    .matches("portlens-launcher: archive (trained|used): .*");
        }
        assertThat(decisions(asNobody(cache))).singleElement().asString().contains("archive used");
        try (Stream<Path> files = Files.list(cache.resolve("portlens"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .singleElement()
                    .asString()
                    .endsWith(".jsa");
        }
    }

    @Test
    void aNewerJarIsTrainedAgainAndReplacesTheOldArchive() throws Exception {
        Path cache = home.resolve(".cache");
        assertThat(decisions(asNobody(cache))).singleElement().asString().contains("archive trained");
        Path jar = launcher.resolveSibling("portlens.jar");
        Files.setLastModifiedTime(
                jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(decisions(asNobody(cache))).singleElement().asString().contains("archive trained");
        try (Stream<Path> files = Files.list(cache.resolve("portlens"))) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void aJarDatedInTheFutureIsTrainedOnceNotOnEveryRun() throws Exception {
        Path cache = home.resolve(".cache");
        Path jar = launcher.resolveSibling("portlens.jar");
        Files.setLastModifiedTime(
                jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 3_600_000));
        assertThat(decisions(asNobody(cache))).singleElement().asString().contains("archive trained");
        assertThat(decisions(asNobody(cache))).singleElement().asString().contains("archive used");
    }

    @Test
    void rootWithAnotherUsersHomeNeitherMakesItsCacheNorLoadsAnArchiveFromIt() throws Exception {
        // as with sudo -E: root's run with nobody's HOME
        List<String> cmd = List.of(
                "env",
                "-i",
                "PATH=/usr/bin:/bin",
                "HOME=" + home,
                "JAVA_HOME=" + System.getProperty("java.home"),
                "PORTLENS_LAUNCHER_DEBUG=1",
                launcher.toString(),
                "3640",
                "--no-probe");
        InstallIT.Result r = InstallIT.exec(cmd, Map.of());
        assertThat(r.code()).as(r.err()).isIn(0, 3);
        assertThat(r.out()).contains("netplay-port1");
        assertThat(decisions(r))
                .singleElement()
                .asString()
                .startsWith("portlens-launcher: archive none: " + home.resolve(".cache") + " is not yours");
        assertThat(home.resolve(".cache")).doesNotExist();
    }
}

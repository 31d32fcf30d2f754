package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.scan.Jdks;
import org.portlens.testkit.Needs;

/**
 * The launcher's AOT cache (JDK 24+; tested on the newest JDK 25+ under /usr/lib/jvm, or
 * PORTLENS_TEST_JDK) as a user without root sees it, laid out as {@link LauncherIT} does: trained
 * once, then reused; trained again for a new jar; never a line on stderr, also when the cache is
 * damaged; a cache file that is not the user's is never loaded; the cache directory's ownership
 * checks hold as for the CDS archive. Observed through PORTLENS_LAUNCHER_DEBUG, never through timing.
 */
public class LauncherAotIT {

    @TempDir
    Path tmp;

    Path launcher;
    Path home;
    Path javaHome;
    List<String> args = List.of("3640", "--no-probe");

    @BeforeEach
    void layOut() throws Exception {
        Path java = Jdks.javaOfAtLeast(25);
        Assumptions.assumeTrue(
                java != null, "no JDK 25+ under /usr/lib/jvm (or PORTLENS_TEST_JDK): AOT cache not tested");
        javaHome = java.getParent().getParent();
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
        LauncherIT.run("chown", "nobody:nogroup", home.toString());
    }

    List<String> command(boolean debug, String... extraEnv) {
        List<String> cmd = new ArrayList<>(List.of(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "env",
                "-i",
                "PATH=/usr/bin:/bin",
                "HOME=" + home,
                "JAVA_HOME=" + javaHome));
        if (debug) {
            cmd.add("PORTLENS_LAUNCHER_DEBUG=1");
        }
        cmd.addAll(List.of(extraEnv));
        cmd.add(launcher.toString());
        cmd.addAll(args);
        return cmd;
    }

    /** The launcher as nobody on JDK 25+; its answer on stdout, and nothing on stderr but the debug lines. */
    InstallIT.Result run(boolean debug, String... extraEnv) throws Exception {
        InstallIT.Result r = InstallIT.exec(command(debug, extraEnv), Map.of());
        assertThat(r.code()).as(r.err()).isIn(0, 3);
        assertThat(r.out()).contains(args.get(0).equals("ls") ? "listening socket(s)" : "netplay-port1");
        assertThat(r.err().lines().filter(l -> !l.startsWith("portlens-launcher: ")))
                .as("stderr")
                .isEmpty();
        return r;
    }

    String decision(boolean debug, String... extraEnv) throws Exception {
        List<String> d = LauncherIT.decisions(run(debug, extraEnv));
        assertThat(d).hasSize(1);
        return d.get(0);
    }

    Path cacheDir() {
        return home.resolve(".cache/portlens");
    }

    List<String> cacheFiles() throws Exception {
        try (Stream<Path> files = Files.list(cacheDir())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void firstRunTrainsTheAotCacheTheNextUseItAndNothingReachesStderr() throws Exception {
        assertThat(decision(true))
                .startsWith("portlens-launcher: archive trained: " + cacheDir() + "/")
                .contains(".aot (AOT cache, JDK 2");
        assertThat(decision(true))
                .startsWith("portlens-launcher: archive used: " + cacheDir() + "/")
                .endsWith(".aot (AOT cache, JDK " + javaVersion() + "; portlens PORT or ls in text)");
        InstallIT.Result quiet = run(false);
        assertThat(quiet.err()).isEmpty();
        assertThat(cacheFiles())
                .singleElement()
                .asString()
                .startsWith("portlens-")
                .endsWith(".aot");
        assertThat(Files.getPosixFilePermissions(cacheDir())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aNewerJarIsTrainedAgainAndReplacesTheOldCache() throws Exception {
        assertThat(decision(true)).contains("archive trained");
        String before = cacheFiles().get(0);
        Path jar = launcher.resolveSibling("portlens.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(decision(true)).contains("archive trained");
        assertThat(cacheFiles()).singleElement().asString().endsWith(".aot").isNotEqualTo(before);
        assertThat(decision(true)).contains("archive used");
    }

    @Test
    void aDamagedCacheIsPassedOverWithoutAWordOnStderr() throws Exception {
        assertThat(decision(true)).contains("archive trained");
        Path cache = cacheDir().resolve(cacheFiles().get(0));
        // as nobody: the file stays nobody's, so the launcher hands it to the JVM, which must say nothing
        LauncherIT.run(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "truncate",
                "-s",
                "100000",
                cache.toString());
        assertThat(decision(true)).contains("archive used");
        assertThat(run(false).err()).isEmpty();
        LauncherIT.run(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "dd",
                "if=/dev/urandom",
                "of=" + cache,
                "bs=4096",
                "count=16",
                "status=none");
        assertThat(run(false).err()).isEmpty();
    }

    @Test
    void aCacheFileThatIsNotTheUsersIsNeverLoadedButTrainedAnew() throws Exception {
        assertThat(decision(true)).contains("archive trained");
        Path cache = cacheDir().resolve(cacheFiles().get(0));
        // someone else's file under the expected name (planted, or left by root with HOME kept)
        Files.delete(cache);
        Files.write(cache, new byte[] {1, 2, 3});
        assertThat(Files.getOwner(cache).getName()).isEqualTo("root");
        assertThat(decision(true)).contains("archive trained: " + cache);
        assertThat(Files.getOwner(cache).getName()).isEqualTo("nobody");
        assertThat(decision(true)).contains("archive used: " + cache);
    }

    @Test
    void aCacheDirectoryNotTheUsersOrWritableByOthersIsNotUsed() throws Exception {
        Path cache = Files.createDirectories(home.resolve(".cache"));
        LauncherIT.run("chown", "nobody:nogroup", cache.toString());
        Path dir = Files.createDirectories(cacheDir());
        // root's directory in nobody's cache: not nobody's
        assertThat(decision(true)).startsWith("portlens-launcher: archive none: cache directory " + dir);
        // nobody's, but anyone may write into it
        LauncherIT.run("chown", "nobody:nogroup", dir.toString());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(decision(true)).startsWith("portlens-launcher: archive none: " + dir + " is writable by others");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void twoFirstRunsAtOnceLeaveOneWholeCache() throws Exception {
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(new ProcessBuilder(command(true))
                    .redirectOutput(tmp.resolve("out" + i).toFile())
                    .redirectError(tmp.resolve("err" + i).toFile())
                    .start());
        }
        for (int i = 0; i < 2; i++) {
            assertThat(runs.get(i).waitFor(240, TimeUnit.SECONDS)).isTrue();
            assertThat(runs.get(i).exitValue())
                    .as(Files.readString(tmp.resolve("err" + i)))
                    .isIn(0, 3);
            assertThat(Files.readString(tmp.resolve("out" + i))).contains("netplay-port1");
            assertThat(Files.readString(tmp.resolve("err" + i)).lines())
                    .singleElement()
                    .asString()
                    .matches("portlens-launcher: archive (trained|used): .*\\.aot .*");
        }
        assertThat(decision(true)).contains("archive used");
        assertThat(cacheFiles()).singleElement().asString().endsWith(".aot");
    }

    @Test
    void jsonAndPicocliCommandsUseACdsArchiveBesideTheAotCache() throws Exception {
        assertThat(decision(true)).contains("archive trained").contains(".aot (AOT cache");
        args = List.of("3640", "--json", "--no-probe");
        assertThat(decision(true))
                .contains("archive trained")
                .contains(".jsa (CDS archive, JDK " + javaVersion() + "; not portlens PORT or ls in text;");
        args = List.of("lookup", "3640");
        assertThat(decision(true)).contains("archive used").contains(".jsa (CDS archive");
        assertThat(run(false).err()).isEmpty();
        args = List.of("ls", "3640");
        assertThat(decision(true)).contains("archive used").contains(".aot (AOT cache");
        assertThat(cacheFiles()).hasSize(2).allMatch(f -> f.endsWith(".aot") || f.endsWith(".jsa"));
    }

    @Test
    void portlensArchiveCdsChoosesTheCdsArchiveOnJdk25Too() throws Exception {
        assertThat(decision(true, "PORTLENS_ARCHIVE=cds"))
                .contains("archive trained")
                .contains(".jsa (CDS archive");
        assertThat(decision(true, "PORTLENS_ARCHIVE=cds"))
                .contains("archive used")
                .contains(".jsa (CDS archive");
        assertThat(run(false, "PORTLENS_ARCHIVE=cds").err()).isEmpty();
        assertThat(decision(true, "PORTLENS_ARCHIVE=none"))
                .isEqualTo("portlens-launcher: archive none: PORTLENS_ARCHIVE=none");
    }

    private String javaVersion() throws Exception {
        for (String line : Files.readAllLines(javaHome.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return line.substring("JAVA_VERSION=".length()).replace("\"", "");
            }
        }
        throw new AssertionError("no JAVA_VERSION in " + javaHome.resolve("release"));
    }
}

package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Install and uninstall on a temporary prefix: all or nothing, and uninstall removes exactly what install wrote. */
class InstallerTest {

    @TempDir
    Path root;

    static List<Installer.Entry> entries() {
        return List.of(
                Installer.Entry.file("lib/portlens/portlens", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), true),
                Installer.Entry.link("bin/portlens", "../lib/portlens/portlens"),
                Installer.Entry.file("share/man/man1/portlens.1", ".TH X 1\n".getBytes(StandardCharsets.UTF_8), false));
    }

    List<String> tree() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void installsTheFilesTheSymlinkAndAManifestThenUninstallLeavesOnlySharedDirectories() throws IOException {
        List<Path> written = Installer.install(root, entries(), false);
        assertThat(written).last().isEqualTo(root.resolve(Installer.MANIFEST));
        assertThat(Files.isExecutable(root.resolve("lib/portlens/portlens"))).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("bin/portlens"))).isEqualTo(Path.of("../lib/portlens/portlens"));
        assertThat(Files.readString(root.resolve("bin/portlens"))).isEqualTo("#!/bin/sh\n");
        assertThat(Files.readAllLines(root.resolve(Installer.MANIFEST)))
                .contains("f lib/portlens/portlens", "l bin/portlens", "d lib/portlens")
                .doesNotContain("d share/man/man1", "d bin", "d .");
        Installer.uninstall(root);
        assertThat(tree()).containsExactly("bin", "lib", "share", "share/man", "share/man/man1");
    }

    /** The standard directories install made stay: PATH still names bin, and other programs share them. */
    @Test
    void uninstallKeepsTheSharedDirectoriesAndThePrefixEvenWhenInstallMadeThem() throws IOException {
        Path prefix = root.resolve("home/.local"); // a user with no ~/.local yet
        Installer.install(prefix, entries(), false);
        assertThat(Files.readAllLines(prefix.resolve(Installer.MANIFEST)).stream()
                        .filter(l -> l.startsWith("d ")))
                .containsExactly("d lib/portlens");
        Installer.uninstall(prefix);
        assertThat(tree())
                .containsExactly(
                        "home",
                        "home/.local",
                        "home/.local/bin",
                        "home/.local/lib",
                        "home/.local/share",
                        "home/.local/share/man",
                        "home/.local/share/man/man1");
    }

    @Test
    void aManifestOfAnOlderInstallNamingSharedDirectoriesRemovesOnlyItsOwn() throws IOException {
        Installer.install(root, entries(), false);
        Files.writeString(
                root.resolve(Installer.MANIFEST),
                "f lib/portlens/portlens\nl bin/portlens\nf share/man/man1/portlens.1\n"
                        + "d bin\nd share\nd share/man\nd share/man/man1\nd lib\nd lib/portlens\nd .\n");
        Installer.uninstall(root);
        assertThat(tree()).containsExactly("bin", "lib", "share", "share/man", "share/man/man1");
    }

    @Test
    void reinstallingOverAnInstallReplacesItsFiles() throws IOException {
        Installer.install(root, entries(), false);
        Installer.install(root, entries(), false);
        assertThat(tree()).noneMatch(p -> p.contains("portlens-install"));
        Installer.uninstall(root);
        assertThat(tree()).noneMatch(p -> Files.isRegularFile(root.resolve(p), LinkOption.NOFOLLOW_LINKS));
    }

    static List<Installer.Entry> secondVersion() {
        return List.of(
                Installer.Entry.file(
                        "lib/portlens/portlens", "#!/bin/sh\n# v2\n".getBytes(StandardCharsets.UTF_8), true),
                Installer.Entry.link("bin/portlens", "../lib/portlens/portlens"),
                Installer.Entry.file(
                        "share/man/man1/portlens.1", ".TH X 1 v2\n".getBytes(StandardCharsets.UTF_8), false),
                Installer.Entry.file(
                        "share/man/man1/portlens-new.1", ".TH N 1\n".getBytes(StandardCharsets.UTF_8), false),
                Installer.Entry.file(
                        "share/man/man1/portlens-zz.1", ".TH Z 1\n".getBytes(StandardCharsets.UTF_8), false));
    }

    /** A rename that fails after others were done: the previous install comes back whole, no temp files stay. */
    @Test
    void aRenameFailingPartwayRestoresThePreviousInstall() throws IOException {
        Installer.install(root, entries(), false);
        String manifest = Files.readString(root.resolve(Installer.MANIFEST));
        Path inTheWay = root.resolve("share/man/man1/portlens-zz.1");
        assertThatThrownBy(() -> Installer.install(root, secondVersion(), false, () -> {
                    try { // after staging: a non-empty directory where a file is to go
                        Files.createDirectories(inTheWay);
                        Files.writeString(inTheWay.resolve("x"), "in the way");
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("cannot rename")
                .hasMessageContaining(inTheWay.toString())
                .hasMessageContaining("the previous install is as it was")
                .hasMessageNotContaining("\n");
        assertThat(Files.readString(root.resolve("lib/portlens/portlens"))).isEqualTo("#!/bin/sh\n");
        assertThat(Files.isExecutable(root.resolve("lib/portlens/portlens"))).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("bin/portlens"))).isEqualTo(Path.of("../lib/portlens/portlens"));
        assertThat(Files.readString(root.resolve("share/man/man1/portlens.1"))).isEqualTo(".TH X 1\n");
        assertThat(Files.readString(root.resolve(Installer.MANIFEST))).isEqualTo(manifest);
        assertThat(tree())
                .containsExactlyInAnyOrder(
                        "bin",
                        "bin/portlens",
                        "lib",
                        "lib/portlens",
                        "lib/portlens/portlens",
                        "lib/portlens/install-manifest",
                        "share",
                        "share/man",
                        "share/man/man1",
                        "share/man/man1/portlens.1",
                        "share/man/man1/portlens-zz.1",
                        "share/man/man1/portlens-zz.1/x");
    }

    @Test
    void aRenameFailingOnAFreshPrefixLeavesNothing() throws IOException {
        Path prefix = root.resolve("p");
        Path inTheWay = prefix.resolve("share/man/man1/portlens-zz.1");
        assertThatThrownBy(() -> Installer.install(prefix, secondVersion(), false, () -> {
                    try {
                        Files.createDirectories(inTheWay);
                        Files.writeString(inTheWay.resolve("x"), "in the way");
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("nothing was installed");
        assertThat(tree())
                .containsExactly(
                        "p",
                        "p/share",
                        "p/share/man",
                        "p/share/man/man1",
                        "p/share/man/man1/portlens-zz.1",
                        "p/share/man/man1/portlens-zz.1/x");
    }

    /** Each run stages under names of its own: another run's staged files are neither reused nor removed. */
    @Test
    void temporaryNamesAreUniqueSoConcurrentInstallsDoNotShareThem() throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Path othersTemp = root.resolve("bin/portlens.portlens-install.tmp"); // the fixed name of before
        Files.writeString(othersTemp, "another run, half-written");
        List<String> seen = new java.util.ArrayList<>();
        Installer.install(root, entries(), false, () -> {
            try (Stream<Path> s = Files.list(root.resolve("bin"))) {
                s.forEach(p -> seen.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(seen).hasSize(2).contains("portlens.portlens-install.tmp");
        assertThat(seen)
                .filteredOn(n -> !n.equals("portlens.portlens-install.tmp"))
                .singleElement()
                .asString()
                .matches("\\.portlens\\.[0-9a-z]+\\.portlens-install\\.tmp");
        assertThat(othersTemp).hasContent("another run, half-written");
        assertThat(Files.readSymbolicLink(root.resolve("bin/portlens"))).isEqualTo(Path.of("../lib/portlens/portlens"));
    }

    @Test
    void uninstallKeepsWhatItDidNotWrite() throws IOException {
        Installer.install(root, entries(), false);
        Files.writeString(root.resolve("share/man/man1/other.1"), "someone else's");
        Installer.uninstall(root);
        assertThat(tree())
                .containsExactly("bin", "lib", "share", "share/man", "share/man/man1", "share/man/man1/other.1");
    }

    /**
     * What a Debian package put under /usr: the same files, no manifest (build-deb.sh removes it). Install
     * does not overwrite them and uninstall does not remove them: dpkg owns them.
     */
    @Test
    void filesOfAPackageWithoutAManifestAreNeitherOverwrittenNorUninstalled() throws IOException {
        Path staging = root.resolve("deb");
        Path usr = Installer.root(Path.of("/usr"), staging);
        Installer.install(usr, entries(), true);
        Files.delete(usr.resolve(Installer.MANIFEST));
        List<String> before = tree();

        assertThatThrownBy(() -> Installer.install(usr, entries(), false)) // InputException: one line, exit 2
                .isInstanceOf(InputException.class)
                .hasMessageContaining(
                        usr.resolve("lib/portlens/portlens") + " exists and was not written by portlens install")
                .hasMessageNotContaining("\n");

        CliRun uninstall = run("uninstall", "--prefix", usr.toString());
        assertThat(uninstall.code()).as(uninstall.err()).isEqualTo(2);
        assertThat(uninstall.err().strip())
                .isEqualTo("portlens: no install-manifest under " + usr.resolve("lib/portlens")
                        + ": not installed by 'portlens install' (a Debian package? use dpkg -r portlens)");
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void aFileInstallDidNotWriteIsNotOverwrittenAndNothingIsWritten() throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/portlens"), "another program");
        assertThatThrownBy(() -> Installer.install(root, entries(), false))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("bin/portlens exists and was not written by portlens install");
        assertThat(tree()).containsExactly("bin", "bin/portlens");
    }

    @Test
    void aFailureHalfwayLeavesThePrefixAsItWas() throws IOException {
        Files.createDirectories(root.resolve("share"));
        List<Installer.Entry> failing = new java.util.ArrayList<>(entries());
        failing.add(Installer.Entry.copy("lib/portlens/portlens.jar", root.resolve("no-such.jar")));
        assertThatThrownBy(() -> Installer.install(root, failing, false))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("nothing was installed");
        assertThat(tree()).containsExactly("share");
    }

    @Test
    void aStagedInstallNamesOnlyItsOwnDirectory() throws IOException {
        Installer.install(root, entries(), true);
        assertThat(Files.readAllLines(root.resolve(Installer.MANIFEST)).stream().filter(l -> l.startsWith("d ")))
                .containsExactly("d lib/portlens");
    }

    @Test
    void manifestLinesThatLeaveThePrefixAreIgnored() throws IOException {
        Files.createDirectories(root.resolve("lib/portlens"));
        Files.writeString(root.resolve(Installer.MANIFEST), "f ../outside\nf /etc/passwd\nd /etc\nf lib/portlens/x\n");
        Installer.Manifest m = Installer.Manifest.read(root.resolve(Installer.MANIFEST));
        assertThat(m.files()).containsExactly("lib/portlens/x");
        assertThat(m.dirs()).isEmpty();
    }

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void badPrefixOrDestdirIsOneLineAndExitTwo() {
        for (String[] args : List.of(
                new String[] {"install", "--destdir", "staging"},
                new String[] {"install", "--prefix", "relative/dir"},
                new String[] {"uninstall", "--prefix", "relative"},
                new String[] {
                    "uninstall", "--prefix", root.resolve("never-installed").toString()
                })) {
            CliRun r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("portlens: ");
            assertThat(r.out()).isEmpty();
        }
        assertThat(run("install", "--destdir", "staging").err())
                .contains("--destdir must be an absolute path, got 'staging'");
        assertThat(Files.exists(root.resolve("never-installed"), LinkOption.NOFOLLOW_LINKS))
                .isFalse();
    }

    @Test
    void thePathAdviceIsTheExactLineToAdd() {
        assertThat(InstallCommand.onPath(Path.of("/opt/p/bin"), "/usr/bin:/opt/p/bin/"))
                .isTrue();
        assertThat(InstallCommand.onPath(Path.of("/opt/p/bin"), "/usr/bin:relative/bin"))
                .isFalse();
        assertThat(InstallCommand.onPath(Path.of("/opt/p/bin"), null)).isFalse();
    }
}

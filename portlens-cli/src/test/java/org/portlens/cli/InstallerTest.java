package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
    void installsTheFilesTheSymlinkAndAManifestThenUninstallLeavesNothing() throws IOException {
        List<Path> written = Installer.install(root, entries(), false);
        assertThat(written).last().isEqualTo(root.resolve(Installer.MANIFEST));
        assertThat(Files.isExecutable(root.resolve("lib/portlens/portlens"))).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("bin/portlens"))).isEqualTo(Path.of("../lib/portlens/portlens"));
        assertThat(Files.readString(root.resolve("bin/portlens"))).isEqualTo("#!/bin/sh\n");
        assertThat(Files.readAllLines(root.resolve(Installer.MANIFEST)))
                .contains("f lib/portlens/portlens", "l bin/portlens", "d share/man/man1", "d lib/portlens");
        Installer.uninstall(root);
        assertThat(tree()).isEmpty();
    }

    @Test
    void aPrefixInstallMadeIsRemovedByUninstall() throws IOException {
        Path prefix = root.resolve("opt/portlens");
        Installer.install(prefix, entries(), false);
        assertThat(Files.readAllLines(prefix.resolve(Installer.MANIFEST))).contains("d .");
        Installer.uninstall(prefix);
        assertThat(tree()).containsExactly("opt"); // above the prefix: not install's to remove
    }

    @Test
    void reinstallingOverAnInstallReplacesItsFiles() throws IOException {
        Installer.install(root, entries(), false);
        Installer.install(root, entries(), false);
        assertThat(tree()).noneMatch(p -> p.endsWith(".tmp"));
        Installer.uninstall(root);
        assertThat(tree()).isEmpty();
    }

    @Test
    void uninstallKeepsWhatItDidNotWrite() throws IOException {
        Installer.install(root, entries(), false);
        Files.writeString(root.resolve("share/man/man1/other.1"), "someone else's");
        Installer.uninstall(root);
        assertThat(tree()).containsExactly("share", "share/man", "share/man/man1", "share/man/man1/other.1");
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

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
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
            Run r = run(args);
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

package org.portlens.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.model.ProcessInfo;
import org.portlens.packages.PackageOrigin.Installed;
import org.portlens.packages.PackageOrigin.Manager;
import org.portlens.packages.PackageOrigin.NotPackaged;
import org.portlens.testkit.Fixtures;

class LinuxPackageLookupTest {

    @TempDir
    Path tmp;

    private LinuxPackageLookup lookup(Path root) {
        return new LinuxPackageLookup(root, tmp.resolve("proc"), Optional.empty(), Optional.empty());
    }

    private LinuxPackageLookup bookworm() throws IOException {
        return lookup(FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root"))));
    }

    @Test
    void namesThePackageVersionAndArchitectureOfAListedFile() throws IOException {
        assertThat(bookworm().ofPath("/usr/sbin/nginx"))
                .isEqualTo(new Installed(Manager.DPKG, "nginx-core", "1.22.1-9+deb12u1", "amd64", false));
    }

    @Test
    void findsTheBinPathOfAListUnderItsUsrMergedRealPath() throws IOException {
        // /proc/PID/exe says /usr/bin/dash; dash.list says /bin/dash; /bin is a link to usr/bin
        LinuxPackageLookup l = bookworm();

        assertThat(l.ofPath("/usr/bin/dash"))
                .isEqualTo(new Installed(Manager.DPKG, "dash", "0.5.12-2", "amd64", false));
        assertThat(l.ofPath("/bin/dash")).isEqualTo(l.ofPath("/usr/bin/dash"));
    }

    @Test
    void findsTheUsrPathOfAListAskedByItsBinName() throws IOException {
        // the other way: the list names /usr/bin/python3.11.distrib, the question /bin/python3.11.distrib
        assertThat(bookworm().ofPath("/bin/python3.11.distrib"))
                .isEqualTo(new Installed(Manager.DPKG, "python3.11-minimal", "3.11.2-6+deb12u6", "amd64", false));
    }

    @Test
    void followsADirectorySymlinkInsideTheRoot() throws IOException {
        Path root = FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root")));
        Files.createDirectories(root.resolve("opt/nginx-1.22"));
        Files.createSymbolicLink(root.resolve("opt/nginx"), Path.of("/opt/nginx-1.22")); // absolute: under the root
        Files.writeString(
                root.resolve("var/lib/dpkg/info/nginx-core.list"), "/.\n/opt\n/opt/nginx\n/opt/nginx/nginx\n");

        assertThat(lookup(root).ofPath("/opt/nginx-1.22/nginx")).isInstanceOf(Installed.class);
    }

    @Test
    void multiArchListsAreTheirOwnArchitecture() throws IOException {
        LinuxPackageLookup l = bookworm();

        assertThat(l.ofPath("/usr/lib/x86_64-linux-gnu/libc.so.6"))
                .isEqualTo(new Installed(Manager.DPKG, "libc6", "2.36-9+deb12u10", "amd64", false));
        assertThat(l.ofPath("/usr/lib/i386-linux-gnu/libc.so.6"))
                .isEqualTo(new Installed(Manager.DPKG, "libc6", "2.36-9+deb12u10", "i386", false));
    }

    @Test
    void packagesNotInstalledDoNotCount() throws IOException {
        LinuxPackageLookup l = bookworm();

        assertThat(l.ofPath("/usr/bin/oldtool")).isEqualTo(new NotPackaged("/usr/bin/oldtool", false, ""));
        assertThat(l.ofPath("/usr/bin/halfway")).isEqualTo(new NotPackaged("/usr/bin/halfway", false, ""));
    }

    @Test
    void aFileNoListNamesIsNotFromAPackage() throws IOException {
        assertThat(bookworm().ofPath("/usr/local/bin/myserver"))
                .isEqualTo(new NotPackaged("/usr/local/bin/myserver", false, ""));
    }

    @Test
    void directoriesOfAListAreNotItsFiles() throws IOException {
        assertThat(bookworm().ofPath("/usr/sbin")).isInstanceOf(NotPackaged.class);
    }

    @Test
    void theDivertedFileBelongsToThePackageThatShipsItNotTheDiverter() throws IOException {
        LinuxPackageLookup l = bookworm();

        // dash diverts /bin/sh to /bin/sh.distrib and ships /bin/sh itself
        assertThat(l.ofPath("/usr/bin/sh"))
                .extracting(o -> ((Installed) o).name())
                .isEqualTo("dash");
        // nothing else ships /bin/sh here, so the diversion's target is no package's file
        assertThat(l.ofPath("/usr/bin/sh.distrib"))
                .isEqualTo(
                        new NotPackaged("/usr/bin/sh.distrib", false, "the place /usr/bin/sh is diverted to by dash"));
        // a local diversion: the packaged python3.11 now lives at .distrib, and the file at the old name is the admin's
        assertThat(l.ofPath("/usr/bin/python3.11"))
                .isEqualTo(new NotPackaged(
                        "/usr/bin/python3.11",
                        false,
                        "diverted to /usr/bin/python3.11.distrib by the administrator (dpkg-divert --local)"));
    }

    @Test
    void aDamagedStatusFileMakesAMissUnknownWithANote() throws IOException {
        Path root = FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root")));
        Files.writeString(root.resolve("var/lib/dpkg/status"), FakeDpkg.fixture("status-malformed.txt"));

        PackageOrigin o = lookup(root).ofPath("/usr/sbin/nginx");

        assertThat(o).isInstanceOf(PackageOrigin.Unknown.class);
        assertThat(o.summary())
                .startsWith("unknown: not in the dpkg database, but ")
                .contains("could not be read");
    }

    @Test
    void aListCutShortMakesAMissUnknownButAHitStillCounts() throws IOException {
        Path root = FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root")));
        Files.writeString(root.resolve("var/lib/dpkg/info/nginx-core.list"), "/.\n/usr\n/usr/sbin\n/usr/sbin/ngi");
        LinuxPackageLookup l = lookup(root);

        assertThat(l.ofPath("/usr/sbin/nginx").summary())
                .contains("nginx-core.list does not end with a newline: cut short?");
        assertThat(l.ofPath("/usr/bin/dash")).isInstanceOf(Installed.class);
    }

    @Test
    void aRootWithoutAnyDatabaseSaysSo() {
        assertThat(lookup(tmp).ofPath("/usr/bin/dash"))
                .isEqualTo(new PackageOrigin.Unknown("no dpkg or rpm database on this host"));
    }

    @Test
    void anUnreadableListIsUnknownNotAnException() throws IOException {
        Path root = FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root")));
        Files.delete(root.resolve("var/lib/dpkg/info/dash.list"));
        Files.delete(root.resolve("var/lib/dpkg/info/nginx-core.list"));
        Files.createDirectory(root.resolve("var/lib/dpkg/info/nginx-core.list")); // a list that is a directory

        assertThat(lookup(root).ofPath("/usr/sbin/nginx").summary()).contains("nginx-core.list could not be read");
    }

    @Test
    void aDeletedExecutableIsNotLookedUp() throws IOException {
        ProcessInfo p = Fixtures.process(4242, "/usr/sbin/nginx (deleted)", "root", Fixtures.SHELL);

        LinuxPackageLookup l = bookworm();

        assertThat(l.of(p)).isEqualTo(new PackageOrigin.Deleted("/usr/sbin/nginx"));
        assertThat(l.of(p).summary()).isEqualTo("not looked up: executable deleted");
    }

    @Test
    void anUnreadableExecutableSaysWhy() throws IOException {
        ProcessInfo p = new ProcessInfo(
                4242,
                1,
                "nginx",
                null,
                List.of("nginx"),
                33,
                "www-data",
                null,
                null,
                List.of(),
                Fixtures.SHELL,
                "",
                List.of("executable: permission denied (another user's process; run as root to see it)"));

        assertThat(bookworm().of(p).summary())
                .isEqualTo(
                        "not looked up: executable unreadable (permission denied (another user's process; run as root to see it))");
    }

    @Test
    void aProcessOfTheHostRootIsLookedUpInTheHostDatabase() throws IOException {
        Path proc = fakeProc(4242, "/", "mnt:[4026531832]");
        LinuxPackageLookup l = new LinuxPackageLookup(
                FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root"))),
                proc,
                Optional.empty(),
                Optional.empty());

        assertThat(l.of(Fixtures.process(4242, "/usr/sbin/nginx", "root", Fixtures.SHELL)))
                .isEqualTo(new Installed(Manager.DPKG, "nginx-core", "1.22.1-9+deb12u1", "amd64", false));
    }

    @Test
    void aProcessInAnotherMountNamespaceIsLookedUpInItsOwnRoot() throws IOException {
        Path container = Files.createDirectories(tmp.resolve("container"));
        FakeDpkg.bookworm(container);
        Files.writeString(
                container.resolve("var/lib/dpkg/info/nginx-core.list"), "/.\n/usr\n/usr/sbin\n/usr/sbin/nginx\n");
        Path proc = fakeProc(4242, container.toString(), "mnt:[4026532999]");
        // the host knows no nginx: the answer must come from the container's database
        Path host = Files.createDirectories(tmp.resolve("host"));
        LinuxPackageLookup l = new LinuxPackageLookup(host, proc, Optional.empty(), Optional.empty());
        Files.delete(proc.resolve("4242/root"));
        Files.createSymbolicLink(proc.resolve("4242/root"), container);

        PackageOrigin o = l.of(Fixtures.process(4242, "/usr/sbin/nginx", "root", Fixtures.SHELL));

        assertThat(o).isEqualTo(new Installed(Manager.DPKG, "nginx-core", "1.22.1-9+deb12u1", "amd64", true));
        assertThat(o.summary()).isEqualTo("nginx-core 1.22.1-9+deb12u1 (dpkg, amd64) of the container's root");
    }

    @Test
    void aContainerWithoutDpkgSaysItCouldNotBeLookedUp() throws IOException {
        Path container = Files.createDirectories(tmp.resolve("alpine"));
        Path proc = fakeProc(4242, container.toString(), "mnt:[4026532999]");
        Files.delete(proc.resolve("4242/root"));
        Files.createSymbolicLink(proc.resolve("4242/root"), container);
        LinuxPackageLookup l = new LinuxPackageLookup(
                FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root"))),
                proc,
                Optional.empty(),
                Optional.empty());

        assertThat(l.of(Fixtures.process(4242, "/usr/sbin/nginx", "root", Fixtures.SHELL)))
                .isEqualTo(new PackageOrigin.OtherRoot("/usr/sbin/nginx", "its root has no dpkg database"));
    }

    /** A /proc with our own mount namespace link and one process's root and namespace links. */
    private Path fakeProc(int pid, String root, String mountNs) throws IOException {
        Path proc = tmp.resolve("proc");
        Files.createDirectories(proc.resolve("self/ns"));
        Files.createDirectories(proc.resolve(pid + "/ns"));
        if (!Files.exists(proc.resolve("self/ns/mnt"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(proc.resolve("self/ns/mnt"), Path.of("mnt:[4026531832]"));
        }
        Files.createSymbolicLink(proc.resolve(pid + "/root"), Path.of(root));
        Files.createSymbolicLink(proc.resolve(pid + "/ns/mnt"), Path.of(mountNs));
        return proc;
    }

    @Test
    void aSecondLookupObjectReadsTheIndexFromDiskAndTheNextFromMemory() throws IOException {
        Path root = FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root")));
        IndexCache cache = new IndexCache(tmp.resolve("cache/portlens"));
        LinuxPackageLookup first = new LinuxPackageLookup(root, tmp, Optional.of(cache), Optional.empty());

        assertThat(first.ofPath("/usr/sbin/nginx")).isInstanceOf(Installed.class);
        assertThat(first.lastSource()).isEqualTo(LinuxPackageLookup.Source.BUILT);
        assertThat(first.lastCacheProblem()).isEmpty();
        Path file = cache.file(root);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.dir())))
                .isEqualTo("rwx------");

        LinuxPackageLookup second = new LinuxPackageLookup(root, tmp, Optional.of(cache), Optional.empty());
        assertThat(second.ofPath("/usr/sbin/nginx")).isEqualTo(first.ofPath("/usr/sbin/nginx"));
        assertThat(second.lastSource()).isEqualTo(LinuxPackageLookup.Source.DISK);
        second.ofPath("/usr/bin/dash");
        assertThat(second.lastSource()).isEqualTo(LinuxPackageLookup.Source.MEMORY);
    }

    @Test
    void aChangedStatusFileRebuildsTheIndex() throws IOException {
        Path root = FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root")));
        IndexCache cache = new IndexCache(tmp.resolve("cache"));
        new LinuxPackageLookup(root, tmp, Optional.of(cache), Optional.empty()).ofPath("/usr/sbin/nginx");
        // nginx-core upgraded: a new version in the status file, and a new size
        Path status = root.resolve("var/lib/dpkg/status");
        Files.writeString(
                status, Files.readString(status).replace("Version: 1.22.1-9+deb12u1", "Version: 1.22.1-9+deb12u2"));

        LinuxPackageLookup fresh = new LinuxPackageLookup(root, tmp, Optional.of(cache), Optional.empty());
        assertThat(fresh.ofPath("/usr/sbin/nginx"))
                .extracting(o -> ((Installed) o).version())
                .isEqualTo("1.22.1-9+deb12u2");
        assertThat(fresh.lastSource()).isEqualTo(LinuxPackageLookup.Source.BUILT);
        assertThat(new LinuxPackageLookup(root, tmp, Optional.of(cache), Optional.empty()).ofPath("/usr/sbin/nginx"))
                .extracting(o -> ((Installed) o).version())
                .isEqualTo("1.22.1-9+deb12u2");
    }

    @Test
    void aChangedListDirectoryRebuildsTheIndexInMemoryToo() throws IOException {
        Path root = FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root")));
        LinuxPackageLookup l = lookup(root);
        assertThat(l.ofPath("/usr/sbin/nginx")).isInstanceOf(Installed.class);
        Files.delete(root.resolve("var/lib/dpkg/info/nginx-core.list"));
        Files.writeString(root.resolve("var/lib/dpkg/info/nginx-core.list-new"), "/.\n");

        assertThat(l.ofPath("/usr/sbin/nginx")).isInstanceOf(NotPackaged.class);
        assertThat(l.lastSource()).isEqualTo(LinuxPackageLookup.Source.BUILT);
    }

    @Test
    void aDamagedCacheFileIsRebuiltNotBelieved() throws IOException {
        Path root = FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root")));
        IndexCache cache = new IndexCache(tmp.resolve("cache"));
        new LinuxPackageLookup(root, tmp, Optional.of(cache), Optional.empty()).ofPath("/usr/sbin/nginx");
        byte[] b = Files.readAllBytes(cache.file(root));
        Files.write(cache.file(root), java.util.Arrays.copyOf(b, b.length / 2));

        LinuxPackageLookup l = new LinuxPackageLookup(root, tmp, Optional.of(cache), Optional.empty());
        assertThat(l.ofPath("/usr/sbin/nginx")).isInstanceOf(Installed.class);
        assertThat(l.lastSource()).isEqualTo(LinuxPackageLookup.Source.BUILT);
    }

    @Test
    void aCacheDirectoryOthersMayWriteIsNotUsed() throws IOException {
        Path root = FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root")));
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        LinuxPackageLookup l = new LinuxPackageLookup(root, tmp, Optional.of(new IndexCache(dir)), Optional.empty());

        assertThat(l.ofPath("/usr/sbin/nginx")).isInstanceOf(Installed.class);
        assertThat(l.lastCacheProblem()).isEqualTo(dir + " is not this user's own directory");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void noCacheDirectoryIsMadeInADirectoryOthersMayWrite() throws IOException {
        Path root = FakeDpkg.bookworm(Files.createDirectories(tmp.resolve("root")));
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path dir = shared.resolve("cache/portlens");
        LinuxPackageLookup l = new LinuxPackageLookup(root, tmp, Optional.of(new IndexCache(dir)), Optional.empty());

        assertThat(l.ofPath("/usr/sbin/nginx")).isInstanceOf(Installed.class);
        assertThat(l.lastCacheProblem())
                .isEqualTo(dir + " does not exist and " + shared + " is not this user's own directory");
        assertThat(shared).isEmptyDirectory();
    }

    @Test
    void theCacheDirectoryFollowsXdgThenHome() {
        assertThat(IndexCache.defaultDir(java.util.Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u"))
                .contains(Path.of("/x/cache/portlens"));
        assertThat(IndexCache.defaultDir(java.util.Map.of("XDG_CACHE_HOME", "relative"), "/home/u"))
                .contains(Path.of("/home/u/.cache/portlens"));
        assertThat(IndexCache.defaultDir(java.util.Map.of(), "?")).isEmpty();
    }
}

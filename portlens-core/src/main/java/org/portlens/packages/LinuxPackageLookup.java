package org.portlens.packages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.portlens.model.ProcessInfo;

/**
 * The lookup on a Linux host: dpkg's database read directly (an index built once, kept in memory and,
 * for the host's root, on disk through {@link IndexCache}; rebuilt when the status file, the info
 * directory or the diversions change), {@code rpm -qf} where rpm is the package manager, and the
 * process's own root ({@code /proc/PID/root}) for a process in a container or chroot.
 *
 * <p>Safe from any thread: index builds are serialised, lookups share the immutable indexes.
 */
final class LinuxPackageLookup implements PackageLookup {

    private static final int OTHER_ROOTS_KEPT = 16;

    private static final class Holder {
        static final LinuxPackageLookup SYSTEM = new LinuxPackageLookup(
                Path.of("/"),
                Path.of("/proc"),
                IndexCache.defaultDir(System.getenv(), System.getProperty("user.home", ""))
                        .map(IndexCache::new));
    }

    static LinuxPackageLookup system() {
        return Holder.SYSTEM;
    }

    /** Where the host index came from at its last use; for tests and the benchmark. */
    enum Source {
        BUILT,
        DISK,
        MEMORY
    }

    private final Path root;
    private final Path proc;
    private final Optional<IndexCache> cache;
    private final Optional<RpmQuery> rpm;
    private final Map<String, PackageOrigin> rpmAnswers = new ConcurrentHashMap<>();
    private final Map<String, DpkgIndex> otherRoots = new LinkedHashMap<>(16, 0.75f, true);
    private @Nullable DpkgIndex host;
    private volatile Source lastSource = Source.BUILT;
    private volatile String lastCacheProblem = "";

    LinuxPackageLookup(Path root, Path proc, Optional<IndexCache> cache) {
        this(root, proc, cache, RpmQuery.find(root));
    }

    LinuxPackageLookup(Path root, Path proc, Optional<IndexCache> cache, Optional<RpmQuery> rpm) {
        this.root = root;
        this.proc = proc;
        this.cache = cache;
        this.rpm = rpm;
    }

    Source lastSource() {
        return lastSource;
    }

    String lastCacheProblem() {
        return lastCacheProblem;
    }

    @Override
    public PackageOrigin of(ProcessInfo process) {
        try {
            return lookUp(process);
        } catch (RuntimeException e) {
            return new PackageOrigin.Unknown("the lookup failed: " + e);
        }
    }

    private PackageOrigin lookUp(ProcessInfo process) {
        String exe = process.executable();
        if (exe == null) {
            for (String u : process.unreadable()) {
                if (u.startsWith("executable: ")) {
                    return new PackageOrigin.Hidden(u.substring("executable: ".length()));
                }
            }
            return new PackageOrigin.Hidden("its path could not be read");
        }
        if (process.executableDeleted()) {
            return new PackageOrigin.Deleted(Objects.requireNonNull(process.executablePath()));
        }
        String pid = Integer.toString(process.pid());
        String rootLink = link(proc.resolve(pid).resolve("root"));
        String mountNs = link(proc.resolve(pid).resolve("ns/mnt"));
        boolean sameNs = mountNs.isEmpty() || mountNs.equals(link(proc.resolve("self/ns/mnt")));
        if ((rootLink.isEmpty() || rootLink.equals("/")) && sameNs) {
            return ofPath(exe);
        }
        // a chroot: the path is the host's, under the root; another mount namespace: it is the root's own
        String inside =
                !rootLink.equals("/") && exe.startsWith(rootLink + "/") ? exe.substring(rootLink.length()) : exe;
        Path other = proc.resolve(pid).resolve("root");
        Path status = DpkgDatabase.dir(other).resolve("status");
        try {
            if (Files.isRegularFile(status)
                    && DpkgDatabase.present(root)
                    && Files.isSameFile(status, DpkgDatabase.dir(root).resolve("status"))) {
                return ofPath(inside); // another namespace that sees the host's own files
            }
        } catch (IOException e) {
            // not the same file as far as can be told: look in the root itself
        }
        if (!Files.isReadable(status)) {
            return new PackageOrigin.OtherRoot(
                    inside,
                    Files.exists(status) ? "its dpkg database is not readable" : "its root has no dpkg database");
        }
        DpkgIndex index;
        try {
            index = otherIndex(other, mountNs + "|" + rootLink + "|" + pid);
        } catch (IOException e) {
            return new PackageOrigin.OtherRoot(inside, "its dpkg database could not be read: " + e.getMessage());
        }
        return answer(index, new RootPaths(other).canonical(inside), inside, true, false);
    }

    /**
     * The package of a file of this host's root.
     *
     * @param path an absolute path; directory symlinks are followed under the root
     */
    PackageOrigin ofPath(String path) {
        if (DpkgDatabase.present(root)) {
            DpkgIndex index;
            try {
                index = hostIndex();
            } catch (IOException e) {
                return new PackageOrigin.Unknown(
                        "the dpkg database in " + DpkgDatabase.dir(root) + " could not be read: " + e.getMessage());
            }
            return answer(index, new RootPaths(root).canonical(path), path, false, rpm.isPresent());
        }
        if (rpm.isPresent()) {
            return rpmAnswers.computeIfAbsent(path, p -> rpm.get().query(p));
        }
        return new PackageOrigin.Unknown("no dpkg or rpm database on this host");
    }

    private PackageOrigin answer(DpkgIndex index, String canonical, String path, boolean otherRoot, boolean askRpm) {
        DpkgIndex.Answer a = index.lookup(canonical);
        if (!a.packages().isEmpty()) {
            DpkgPackage p = a.packages().get(0);
            return new PackageOrigin.Installed(
                    PackageOrigin.Manager.DPKG, p.name(), p.version(), p.architecture(), otherRoot);
        }
        if (askRpm) {
            PackageOrigin r =
                    rpmAnswers.computeIfAbsent(path, q -> rpm.orElseThrow().query(q));
            if (r instanceof PackageOrigin.Installed) {
                return r;
            }
        }
        if (!a.note().isEmpty()) {
            return new PackageOrigin.NotPackaged(path, otherRoot, a.note());
        }
        if (!index.notes().isEmpty()) {
            return new PackageOrigin.Unknown(
                    "not in the dpkg database, but " + index.notes().size() + " part(s) of it could not be read, e.g. "
                            + index.notes().get(0));
        }
        return new PackageOrigin.NotPackaged(path, otherRoot, "");
    }

    /** The host's index: from memory while the database is unchanged, else from disk, else built and stored. */
    synchronized DpkgIndex hostIndex() throws IOException {
        DpkgIndex.Stamp now = DpkgDatabase.stamp(root);
        DpkgIndex h = host;
        if (h != null && h.stamp().same(now)) {
            lastSource = Source.MEMORY;
            return h;
        }
        if (cache.isPresent()) {
            Optional<DpkgIndex> disk = cache.get().load(root);
            if (disk.isPresent() && disk.get().stamp().same(now)) {
                host = disk.get();
                lastSource = Source.DISK;
                return disk.get();
            }
        }
        DpkgIndex built = DpkgDatabase.index(root);
        if (cache.isPresent() && built.stamp().same(DpkgDatabase.stamp(root))) {
            lastCacheProblem = cache.get().store(root, built).orElse("");
        }
        host = built;
        lastSource = Source.BUILT;
        return built;
    }

    private synchronized DpkgIndex otherIndex(Path other, String key) throws IOException {
        DpkgIndex.Stamp now = DpkgDatabase.stamp(other);
        DpkgIndex known = otherRoots.get(key);
        if (known != null && known.stamp().same(now)) {
            return known;
        }
        DpkgIndex built = DpkgDatabase.index(other);
        otherRoots.put(key, built);
        if (otherRoots.size() > OTHER_ROOTS_KEPT) {
            otherRoots.remove(otherRoots.keySet().iterator().next());
        }
        return built;
    }

    /** A /proc link's target, or empty when it cannot be read. */
    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "";
        }
    }
}

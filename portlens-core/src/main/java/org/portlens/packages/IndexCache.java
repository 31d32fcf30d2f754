package org.portlens.packages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Where the dpkg index is kept between runs: one file per root in the user's cache directory, only when
 * that directory is the user's own (owned by this process's user, writable by no one else), written
 * atomically with mode 0600, and read only when it is still the user's own file with that mode.
 * Anything amiss means no disk cache, never a failure. Immutable; safe from any thread (two writers
 * rename whole files over each other).
 */
final class IndexCache {

    private final Path dir;

    IndexCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $XDG_CACHE_HOME/portlens}, else {@code ~/.cache/portlens}; empty when neither is known. */
    static Optional<Path> defaultDir(Map<String, String> env, String home) {
        String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
        if (xdg.startsWith("/")) {
            return Optional.of(Path.of(xdg, "portlens"));
        }
        return home.startsWith("/") ? Optional.of(Path.of(home, ".cache", "portlens")) : Optional.empty();
    }

    Path dir() {
        return dir;
    }

    /** The file for one root's index: the root's path is in its name as a hash. */
    Path file(Path root) {
        String r = root.toAbsolutePath().normalize().toString();
        return dir.resolve(
                r.equals("/") ? "dpkg-index.bin" : "dpkg-index-" + Long.toHexString(DpkgIndex.hash(r)) + ".bin");
    }

    /** The cached index of the root, when there is one, it is the user's own and it decodes. */
    Optional<DpkgIndex> load(Path root) {
        Path f = file(root);
        try {
            if (!ownedPrivately(f, false)) {
                return Optional.empty();
            }
            // read whole: a fresh JVM maps a file in twice the time it reads these few hundred KB
            return DpkgIndex.decode(ByteBuffer.wrap(Files.readAllBytes(f)));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes the index atomically (a temporary file in the same directory, renamed over the old one).
     *
     * @return why it was not written, or empty when it was
     */
    Optional<String> store(Path root, DpkgIndex index) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Path existing = dir.getParent();
                while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                    existing = existing.getParent();
                }
                if (existing == null || !ownedPrivately(existing, true)) {
                    // sudo with the user's HOME: no root-owned directory left in someone else's home
                    return Optional.of(dir + " does not exist and " + existing + " is not this user's own directory");
                }
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!ownedPrivately(dir, true)) {
                return Optional.of(dir + " is not this user's own directory");
            }
            Path tmp = Files.createTempFile(
                    dir,
                    ".dpkg-index",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, index.encode());
                try {
                    Files.move(tmp, file(root), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file(root), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.of("could not write the index in " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Whether a file or directory belongs to this process's user and no one else may write it (a file:
     * read it either).
     */
    static boolean ownedPrivately(Path p, boolean directory) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return false;
        }
        Object owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int forbidden = directory ? 0022 : 0077;
        return owner.equals(myUid()) && (mode & forbidden) == 0;
    }

    /** This process's effective uid: the owner of {@code /proc/self}. */
    private static Object myUid() throws IOException {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}

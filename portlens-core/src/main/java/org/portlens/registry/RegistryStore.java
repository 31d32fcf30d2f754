package org.portlens.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.portlens.internal.BoundedRead;

/**
 * The registry installed in the user's data directory by {@code portlens registry update}, and the
 * choice between it and the bundled copy.
 *
 * <p>Safe from any thread: a load reads the file whole, and an install writes a temporary file and renames it
 * over the old one, so a concurrent load sees the old registry or the new one, never half of one.
 */
public final class RegistryStore {

    private final Path dataDir;

    /**
     * A store in a data directory; nothing is read or created until asked.
     *
     * @param dataDir portlens's data directory; the registry goes in its {@code registry} folder
     */
    public RegistryStore(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * {@code DATA_DIR/registry/iana.bin}.
     *
     * @return where the installed copy is, whether or not there is one
     */
    public Path file() {
        return dataDir.resolve("registry").resolve("iana.bin");
    }

    /**
     * Where the copy replaced by the last update is kept.
     *
     * @return {@code DATA_DIR/registry/iana.bin.previous}, whether or not there is one
     */
    public Path previousFile() {
        return dataDir.resolve("registry").resolve("iana.bin.previous");
    }

    /**
     * The registry in use: the installed copy when there is a readable one, else the bundled copy.
     *
     * @param registry the registry
     * @param origin   "bundled" or the installed file's path
     * @param warning  why an installed copy was passed over, or empty
     */
    public record Active(Registry registry, String origin, String warning) {}

    /**
     * Loads the installed copy, or the bundled one when none is installed or the installed one cannot be read.
     *
     * @return the registry with where it came from, and a warning when an installed copy was passed over
     */
    public Active load() {
        Path f = file();
        if (Files.isRegularFile(f)) {
            try {
                // bounded: a data directory is the user's, and the file could be anything (a link to /dev/zero)
                byte[] raw = BoundedRead.file(f, RegistryUpdate.MAX_BYTES, RegistryUpdate.DEFAULT_TIMEOUT);
                return new Active(RegistryCodec.decode(raw), f.toString(), "");
            } catch (IOException | RegistryFormatException e) {
                return new Active(
                        Registry.bundled(),
                        "bundled",
                        "the installed registry " + f + " could not be read (" + e.getMessage()
                                + "); using the bundled copy");
            }
        }
        return new Active(Registry.bundled(), "bundled", "");
    }

    /**
     * Installs a validated candidate: written to a temporary file in the same directory, synced, then
     * renamed over the installed copy in one step. The copy it replaces is kept as
     * {@link #previousFile()}. If anything fails, the installed copy is untouched.
     *
     * @param candidate a candidate from {@link RegistryUpdate#prepare}, which validated it
     * @return the installed file, {@link #file()}
     * @throws IOException when the directory, the temporary file or the rename fails
     */
    public Path install(RegistryUpdate.Candidate candidate) throws IOException {
        Path dir = file().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "iana.bin.", ".tmp");
        try {
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(candidate.compact()));
                ch.force(true);
            }
            if (Files.isRegularFile(file())) {
                Files.copy(file(), previousFile(), StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
            }
            return file();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

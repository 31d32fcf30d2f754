package org.portlens.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Listener;
import org.portlens.model.Source;
import org.portlens.model.Transport;

/**
 * The open places of this host as small text files in the data directory, one per transport and port
 * ({@code open-places/tcp-3640}), rewritten by the writer after every write that moved a place on that
 * port: what {@code portlens PORT} reads to say "open since" with one file read and no JDBC driver
 * (sqlite-jdbc's first connection in a JVM costs far more than the 5% of a {@code portlens PORT} run it
 * may take: bench/README.md). No file for a port: nothing open there as far as the history knows; no
 * directory: no history.
 *
 * <p>Format: a first line {@code portlens-open-places 1 HOST WRITTEN_MS}, then one line per open place,
 * fields separated by tabs: transport, port, address, netns inode, socket inode, open since (ms), at least
 * (0/1), owner since (ms), last event (ms), then the principal owner's pid, start time (ms), name,
 * executable, user, source kind, source name (each {@code -} when unknown). Text fields have {@code %},
 * tab, CR and LF percent-encoded. Each file is written to a temporary file and renamed over the old one
 * (mode 0600, in a 0700 directory).
 *
 * <p>Reading loads no more than this class and the two records it returns: {@link #since} is meant for
 * the hot path of {@code portlens PORT}. Static methods only; safe from any thread.
 */
public final class OpenPlaces {

    static final String DIR_NAME = "open-places";
    static final String MAGIC = "portlens-open-places";
    static final int VERSION = 1;

    private OpenPlaces() {}

    static Path dir(Path dataDir) {
        return dataDir.resolve(DIR_NAME);
    }

    static Path path(Path dataDir, Transport t, int port) {
        return dir(dataDir).resolve(t.label() + "-" + port);
    }

    /**
     * Rewrites the files of the given ports (none open: the file is removed); with {@code all}, also
     * removes the files of every other port. On a failure removes what it could not write, so that no
     * file is stale.
     */
    static void write(Path dataDir, String host, long now, Map<String, List<OpenPeriod>> byPort, boolean all) {
        Path dir = dir(dataDir);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (all) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                    for (Path f : files) {
                        if (!byPort.containsKey(f.getFileName().toString())) {
                            Files.deleteIfExists(f);
                        }
                    }
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            delete(dataDir);
            return;
        }
        for (Map.Entry<String, List<OpenPeriod>> e : byPort.entrySet()) {
            Path target = dir.resolve(e.getKey());
            try {
                if (e.getValue().isEmpty()) {
                    Files.deleteIfExists(target);
                } else {
                    writeOne(dir, target, text(host, now, e.getValue()));
                }
            } catch (IOException | UnsupportedOperationException ex) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException ignored) {
                    // the reader compares socket inodes: a stale period does not match a new socket
                }
            }
        }
    }

    /** The file name of a place's port: {@code tcp-3640}. */
    static String key(Transport t, int port) {
        return t.label() + "-" + port;
    }

    private static String text(String host, long now, List<OpenPeriod> open) {
        StringBuilder b = new StringBuilder();
        b.append(MAGIC)
                .append('\t')
                .append(VERSION)
                .append('\t')
                .append(enc(host))
                .append('\t')
                .append(now)
                .append('\n');
        for (OpenPeriod p : open) {
            b.append(p.transport().label())
                    .append('\t')
                    .append(p.port())
                    .append('\t')
                    .append(enc(p.address()));
            b.append('\t').append(p.netnsInode()).append('\t').append(p.socketInode());
            b.append('\t').append(p.since().toEpochMilli()).append('\t').append(p.atLeast() ? 1 : 0);
            b.append('\t')
                    .append(p.ownerSince().toEpochMilli())
                    .append('\t')
                    .append(p.lastSeen().toEpochMilli());
            StoredProcess o = p.owner();
            if (o == null) {
                b.append("\t-\t-\t-\t-\t-\t-\t-");
            } else {
                b.append('\t').append(o.pid());
                b.append('\t')
                        .append(
                                o.startTime() == null
                                        ? "-"
                                        : Long.toString(o.startTime().toEpochMilli()));
                b.append('\t').append(enc(o.name()));
                b.append('\t').append(o.executable() == null ? "-" : enc(o.executable()));
                b.append('\t').append(o.user() == null ? "-" : enc(o.user()));
                b.append('\t')
                        .append(o.sourceKind() == null ? "-" : o.sourceKind().name());
                b.append('\t').append(o.sourceName() == null ? "-" : enc(o.sourceName()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static void writeOne(Path dir, Path target, String text) throws IOException {
        Path tmp = dir.resolve(
                "." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes every file, if it can: no history is better than a wrong one. */
    static void delete(Path dataDir) {
        Path dir = dir(dataDir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // the writer goes on; the reader of a stale file compares socket inodes
        }
    }

    /**
     * Since when the places on a port of this host are open, from the writer's per-port file: no
     * database, no JDBC driver, one read of a file of a few hundred bytes. The file says what the
     * history knew at the writer's last write: compare each period's {@link OpenPeriod#socketInode()}
     * with the socket listening now (the same inode: the same socket, so the period holds).
     *
     * @param dataDir   the data directory the writer was given
     * @param transport tcp or udp
     * @param port      the port
     * @return the open periods on that port (possibly none); empty when no writer has left its files
     */
    public static Optional<List<OpenPeriod>> since(Path dataDir, Transport transport, int port) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path(dataDir, transport, port));
        } catch (NoSuchFileException e) {
            return Files.isDirectory(dir(dataDir)) ? Optional.of(List.of()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].startsWith(MAGIC + "\t" + VERSION + "\t")) {
            return Optional.empty();
        }
        List<OpenPeriod> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            OpenPeriod p = parse(lines[i], transport, port);
            if (p != null) {
                out.add(p);
            }
        }
        return Optional.of(out);
    }

    /**
     * Since when each of these listeners is open, by socket inode: {@link #since} for each of their
     * ports (at most 32 ports are read), matched by inode.
     *
     * @param dataDir   the data directory the writer was given
     * @param listeners listeners read now
     * @return open periods by socket inode; empty when no writer has left its files
     */
    public static Map<Long, OpenPeriod> byInode(Path dataDir, List<Listener> listeners) {
        Map<Long, OpenPeriod> byInode = new HashMap<>();
        Set<String> asked = new HashSet<>();
        for (Listener l : listeners) {
            if (asked.size() >= 32
                    || !asked.add(l.transport().label() + l.local().port())) {
                continue;
            }
            Optional<List<OpenPeriod>> periods =
                    since(dataDir, l.transport(), l.local().port());
            if (periods.isEmpty()) {
                return Map.of(); // no watch has written here
            }
            for (OpenPeriod p : periods.get()) {
                byInode.put(p.socketInode(), p);
            }
        }
        return byInode;
    }

    private static @Nullable OpenPeriod parse(String line, Transport transport, int port) {
        String[] f = line.split("\t", -1);
        if (f.length != 16) {
            return null;
        }
        try {
            StoredProcess owner = f[9].equals("-")
                    ? null
                    : new StoredProcess(
                            Integer.parseInt(f[9]),
                            f[10].equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(f[10])),
                            dec(f[11]),
                            f[12].equals("-") ? null : dec(f[12]),
                            f[13].equals("-") ? null : dec(f[13]),
                            f[14].equals("-") ? null : sourceKind(f[14]),
                            f[15].equals("-") ? null : dec(f[15]));
            return new OpenPeriod(
                    transport,
                    dec(f[2]),
                    port,
                    Long.parseLong(f[3]),
                    Long.parseLong(f[4]),
                    Instant.ofEpochMilli(Long.parseLong(f[5])),
                    f[6].equals("1"),
                    owner,
                    Instant.ofEpochMilli(Long.parseLong(f[7])),
                    Instant.ofEpochMilli(Long.parseLong(f[8])));
        } catch (IllegalArgumentException e) {
            return null; // a damaged line: skipped, the others still answer
        }
    }

    /** Without {@code Enum.valueOf}, whose first call in a JVM goes through reflection. */
    private static Source.@Nullable Kind sourceKind(String name) {
        for (Source.Kind k : Source.Kind.values()) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    static String enc(String s) {
        if (s.equals("-")) {
            return "%2D";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '%' -> b.append("%25");
                case '\t' -> b.append("%09");
                case '\n' -> b.append("%0A");
                case '\r' -> b.append("%0D");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String dec(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

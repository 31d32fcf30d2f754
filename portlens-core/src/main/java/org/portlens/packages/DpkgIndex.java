package org.portlens.packages;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Which packages list which file, built once from dpkg's database and then asked by path. Keys are the
 * 64-bit hashes of the paths as they really are under the root (directory symlinks followed: the lists'
 * {@code /bin/x} and {@code /usr/bin/x} meet), so the index is small to keep on disk and quick to load;
 * directories are left out, since an executable is never one. Immutable; safe from any thread.
 */
final class DpkgIndex {

    private static final byte[] MAGIC = "PLDPKG01".getBytes(StandardCharsets.US_ASCII);

    /**
     * What the index was built from: size and modification time (ns) of dpkg's status file, its info
     * directory and its diversions file. A different stamp means the database changed.
     */
    record Stamp(
            long statusSize, long statusTime, long infoSize, long infoTime, long diversionsSize, long diversionsTime) {}

    private final Stamp stamp;
    private final List<DpkgPackage> packages;
    private final long[] hashes; // sorted
    private final int[] owners; // package index, parallel to hashes
    private final List<DpkgParser.Diversion> diversions; // canonical paths
    private final List<String> notes;

    private DpkgIndex(
            Stamp stamp,
            List<DpkgPackage> packages,
            long[] hashes,
            int[] owners,
            List<DpkgParser.Diversion> diversions,
            List<String> notes) {
        this.stamp = stamp;
        this.packages = List.copyOf(packages);
        this.hashes = hashes;
        this.owners = owners;
        this.diversions = List.copyOf(diversions);
        this.notes = List.copyOf(notes);
    }

    Stamp stamp() {
        return stamp;
    }

    /** What could not be read or parsed while building: a lookup that finds nothing says so. */
    List<String> notes() {
        return notes;
    }

    int packageCount() {
        return packages.size();
    }

    int pathCount() {
        return hashes.length;
    }

    /**
     * Builds the index from parsed files.
     *
     * @param status    the status file parsed
     * @param lists     each list file's name and parsed paths
     * @param diversions the diversions parsed
     * @param canonical maps a path to what it really is under the root
     * @param problems  what the reader could not read, kept as notes
     */
    static DpkgIndex build(
            Stamp stamp,
            DpkgParser.Parsed<DpkgPackage> status,
            Map<String, DpkgParser.Parsed<String>> lists,
            DpkgParser.Parsed<DpkgParser.Diversion> diversions,
            UnaryOperator<String> canonical,
            List<String> problems) {
        List<String> notes = new ArrayList<>(problems);
        notes.addAll(status.problems());
        notes.addAll(diversions.problems());
        Map<String, List<DpkgPackage>> byName = new HashMap<>();
        for (DpkgPackage p : status.values()) {
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        }
        List<DpkgPackage> kept = new ArrayList<>();
        Map<String, List<Integer>> pathOwners = new HashMap<>();
        for (Map.Entry<String, DpkgParser.Parsed<String>> l : lists.entrySet()) {
            Optional<String[]> id = DpkgParser.listFileName(l.getKey());
            if (id.isEmpty()) {
                continue;
            }
            @Nullable DpkgPackage p = match(byName.getOrDefault(id.get()[0], List.of()), id.get()[1]);
            if (p == null) {
                notes.add(l.getKey() + " names no package of the status file");
                continue;
            }
            if (!p.filesOnDisk()) {
                continue; // config-files, half-installed, not-installed: its files do not count
            }
            notes.addAll(l.getValue().problems());
            int idx = kept.size();
            kept.add(p);
            for (String path : l.getValue().values()) {
                pathOwners.computeIfAbsent(path, k -> new ArrayList<>(1)).add(idx);
            }
        }
        Set<String> dirs = new HashSet<>();
        for (String path : pathOwners.keySet()) {
            for (int s = path.lastIndexOf('/'); s > 0; s = path.lastIndexOf('/', s - 1)) {
                if (!dirs.add(path.substring(0, s))) {
                    break; // its parents are in already
                }
            }
        }
        List<long[]> pairs = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : pathOwners.entrySet()) {
            if (dirs.contains(e.getKey())) {
                continue;
            }
            long h = hash(canonical.apply(e.getKey()));
            for (int owner : e.getValue()) {
                pairs.add(new long[] {h, owner});
            }
        }
        pairs.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long[] hashes = new long[pairs.size()];
        int[] owners = new int[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            hashes[i] = pairs.get(i)[0];
            owners[i] = (int) pairs.get(i)[1];
        }
        List<DpkgParser.Diversion> divs = new ArrayList<>();
        for (DpkgParser.Diversion d : diversions.values()) {
            divs.add(new DpkgParser.Diversion(canonical.apply(d.from()), canonical.apply(d.to()), d.by()));
        }
        return new DpkgIndex(stamp, kept, hashes, owners, divs, notes);
    }

    /** The installed instance a list file is for: by architecture when the name has one. */
    private static @Nullable DpkgPackage match(List<DpkgPackage> candidates, String arch) {
        DpkgPackage any = null;
        for (DpkgPackage p : candidates) {
            if (!arch.isEmpty() && !p.architecture().equals(arch)) {
                continue;
            }
            if (p.filesOnDisk()) {
                return p;
            }
            any = p;
        }
        return any;
    }

    /**
     * The packages that list a path, diversions applied.
     *
     * @param path the file's path as it really is under the root
     * @return the packages whose file it is, first in index order; empty when none is; and a note when a
     *     diversion explains why
     */
    Answer lookup(String path) {
        for (DpkgParser.Diversion d : diversions) {
            if (d.to().equals(path)) {
                // the file dpkg put here is what the other packages name as d.from()
                for (DpkgPackage p : listing(d.from())) {
                    if (!p.name().equals(d.by())) {
                        return new Answer(List.of(p), "");
                    }
                }
                return new Answer(List.of(), "the place " + d.from() + " is diverted to by " + divertedBy(d));
            }
        }
        for (DpkgParser.Diversion d : diversions) {
            if (d.from().equals(path)) {
                List<DpkgPackage> own = new ArrayList<>();
                for (DpkgPackage p : listing(path)) {
                    if (p.name().equals(d.by())) {
                        own.add(p);
                    }
                }
                return own.isEmpty()
                        ? new Answer(List.of(), "diverted to " + d.to() + " by " + divertedBy(d))
                        : new Answer(own, "");
            }
        }
        return new Answer(listing(path), "");
    }

    private static String divertedBy(DpkgParser.Diversion d) {
        return d.local() ? "the administrator (dpkg-divert --local)" : d.by();
    }

    private List<DpkgPackage> listing(String path) {
        long h = hash(path);
        int i = Arrays.binarySearch(hashes, h);
        if (i < 0) {
            return List.of();
        }
        while (i > 0 && hashes[i - 1] == h) {
            i--;
        }
        List<DpkgPackage> out = new ArrayList<>(1);
        for (; i < hashes.length && hashes[i] == h; i++) {
            out.add(packages.get(owners[i]));
        }
        return out;
    }

    /**
     * A lookup's answer.
     *
     * @param packages the owning packages, empty when none
     * @param note     why none, when a diversion says, or empty
     */
    record Answer(List<DpkgPackage> packages, String note) {}

    /** FNV-1a over the UTF-8 bytes, then SplitMix64's finaliser to spread the bits. */
    static long hash(String path) {
        long h = 0xcbf29ce484222325L;
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** The index as bytes: magic, stamp, packages, diversions, notes, then the hash and owner tables. */
    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + hashes.length * 12 + packages.size() * 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            for (long v : new long[] {
                stamp.statusSize(),
                stamp.statusTime(),
                stamp.infoSize(),
                stamp.infoTime(),
                stamp.diversionsSize(),
                stamp.diversionsTime()
            }) {
                out.writeLong(v);
            }
            out.writeInt(packages.size());
            for (DpkgPackage p : packages) {
                string(out, p.name());
                string(out, p.architecture());
                string(out, p.version());
                string(out, p.state());
            }
            out.writeInt(diversions.size());
            for (DpkgParser.Diversion d : diversions) {
                string(out, d.from());
                string(out, d.to());
                string(out, d.by());
            }
            out.writeInt(notes.size());
            for (String n : notes) {
                string(out, n);
            }
            out.writeInt(hashes.length);
            for (long h : hashes) {
                out.writeLong(h);
            }
            for (int o : owners) {
                out.writeInt(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * An index from {@link #encode()}'s bytes.
     *
     * @return the index, or empty when the bytes are not a whole index of this format
     */
    static Optional<DpkgIndex> decode(byte[] data) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return Optional.empty();
            }
            Stamp stamp = new Stamp(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
            int n = count(in, 16);
            List<DpkgPackage> packages = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                packages.add(new DpkgPackage(string(in), string(in), string(in), string(in)));
            }
            n = count(in, 12);
            List<DpkgParser.Diversion> divs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                divs.add(new DpkgParser.Diversion(string(in), string(in), string(in)));
            }
            n = count(in, 4);
            List<String> notes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                notes.add(string(in));
            }
            n = count(in, 12);
            long[] hashes = new long[n];
            in.asLongBuffer().get(hashes);
            in.position(in.position() + n * 8);
            int[] owners = new int[n];
            in.asIntBuffer().get(owners);
            in.position(in.position() + n * 4);
            for (int o : owners) {
                if (o < 0 || o >= packages.size()) {
                    return Optional.empty();
                }
            }
            for (int i = 1; i < n; i++) {
                if (hashes[i - 1] > hashes[i]) {
                    return Optional.empty();
                }
            }
            if (in.hasRemaining()) {
                return Optional.empty();
            }
            return Optional.of(new DpkgIndex(stamp, packages, hashes, owners, divs, notes));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int count(ByteBuffer in, int minBytesEach) {
        int n = in.getInt();
        if (n < 0 || (long) n * minBytesEach > in.remaining()) {
            throw new IllegalArgumentException("count " + n + " larger than what is left");
        }
        return n;
    }

    private static String string(ByteBuffer in) {
        int n = count(in, 1);
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}

package org.portlens.packages;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
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
 * hashes of the paths as they really are under the root (directory symlinks followed: the lists'
 * {@code /bin/x} and {@code /usr/bin/x} meet), so the index is small to keep on disk and quick to load;
 * directories are left out, since an executable is never one. Immutable; safe from any thread.
 */
final class DpkgIndex {

    private static final byte[] MAGIC = "PLDPKG02".getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_OWNER = (1 << 20) - 1;

    /**
     * What the index was built from: size and modification time (ns) of dpkg's status file, its info
     * directory and its diversions file. A different stamp means the database changed.
     */
    record Stamp(
            long statusSize, long statusTime, long infoSize, long infoTime, long diversionsSize, long diversionsTime) {

        /**
         * Field by field, written out: a record's own {@code equals} is bootstrapped on its first call,
         * which costs a fresh JVM about 100 ms, ten times the lookup it guards.
         */
        boolean same(Stamp o) {
            return statusSize == o.statusSize
                    && statusTime == o.statusTime
                    && infoSize == o.infoSize
                    && infoTime == o.infoTime
                    && diversionsSize == o.diversionsSize
                    && diversionsTime == o.diversionsTime;
        }
    }

    private final Stamp stamp;
    private final List<DpkgPackage> packages;
    private final LongBuffer keys; // sorted: the path's hash in the high 44 bits, the package's index in the low 20
    private final List<DpkgParser.Diversion> diversions; // canonical paths
    private final List<String> notes;

    private DpkgIndex(
            Stamp stamp,
            List<DpkgPackage> packages,
            LongBuffer keys,
            List<DpkgParser.Diversion> diversions,
            List<String> notes) {
        this.stamp = stamp;
        this.packages = packages; // a copy when built, a lazy view of the file when decoded
        this.keys = keys;
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
        return keys.capacity();
    }

    /** A table entry: the top 44 bits of the path's hash, then the package's index. */
    private static long key(long hash, int owner) {
        return (hash & ~MAX_OWNER) | owner;
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
        List<String> paths = new ArrayList<>();
        int[] owner = new int[1024];
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
            if (kept.size() > MAX_OWNER) {
                notes.add("more than " + MAX_OWNER + " packages: " + l.getKey() + " and the rest left out");
                break;
            }
            notes.addAll(l.getValue().problems());
            int idx = kept.size();
            kept.add(p);
            for (String path : l.getValue().values()) {
                if (paths.size() == owner.length) {
                    owner = Arrays.copyOf(owner, owner.length * 2);
                }
                owner[paths.size()] = idx;
                paths.add(path);
            }
        }
        Set<String> dirs = new HashSet<>();
        for (String path : paths) {
            for (int s = path.lastIndexOf('/'); s > 0; s = path.lastIndexOf('/', s - 1)) {
                if (!dirs.add(path.substring(0, s))) {
                    break; // its parents are in already
                }
            }
        }
        long[] keys = new long[paths.size()];
        int n = 0;
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            if (!dirs.contains(path)) {
                keys[n++] = key(hash(canonical.apply(path)), owner[i]);
            }
        }
        keys = Arrays.copyOf(keys, n);
        Arrays.sort(keys);
        List<DpkgParser.Diversion> divs = new ArrayList<>();
        for (DpkgParser.Diversion d : diversions.values()) {
            divs.add(new DpkgParser.Diversion(canonical.apply(d.from()), canonical.apply(d.to()), d.by()));
        }
        return new DpkgIndex(stamp, List.copyOf(kept), LongBuffer.wrap(keys), divs, notes);
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
        long low = key(hash(path), 0);
        int lo = 0;
        int hi = keys.capacity();
        while (lo < hi) { // the first key at or above low
            int mid = (lo + hi) >>> 1;
            if (keys.get(mid) < low) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        List<DpkgPackage> out = new ArrayList<>(1);
        for (int i = lo; i < keys.capacity() && (keys.get(i) & ~MAX_OWNER) == low; i++) {
            int owner = (int) (keys.get(i) & MAX_OWNER);
            if (owner < packages.size()) { // else a damaged file: no answer rather than a wrong one
                out.add(packages.get(owner));
            }
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

    /**
     * The index as bytes, little-endian: magic, stamp, packages, diversions and notes (each string a
     * length and UTF-8), padding to 8 bytes, the number of keys, then the sorted keys, read in place by
     * {@link #decode}.
     */
    byte[] encode() {
        List<String> strings = new ArrayList<>();
        for (DpkgPackage p : packages) {
            strings.addAll(List.of(p.name(), p.architecture(), p.version(), p.state()));
        }
        for (DpkgParser.Diversion d : diversions) {
            strings.addAll(List.of(d.from(), d.to(), d.by()));
        }
        strings.addAll(notes);
        int size = MAGIC.length + 6 * 8 + 3 * 4;
        for (String t : strings) {
            size += 4 + t.getBytes(StandardCharsets.UTF_8).length;
        }
        size = (size + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(size + 8 + keys.capacity() * 8).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC);
        out.putLong(stamp.statusSize()).putLong(stamp.statusTime());
        out.putLong(stamp.infoSize()).putLong(stamp.infoTime());
        out.putLong(stamp.diversionsSize()).putLong(stamp.diversionsTime());
        out.putInt(packages.size()).putInt(diversions.size()).putInt(notes.size());
        for (String t : strings) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            out.putInt(b.length).put(b);
        }
        out.position(size);
        out.putLong(keys.capacity());
        for (int i = 0; i < keys.capacity(); i++) {
            out.putLong(keys.get(i));
        }
        return out.array();
    }

    /**
     * An index from {@link #encode()}'s bytes; the key table is searched in place and a package decoded
     * only when a lookup names it, so loading costs little more than reading the file.
     *
     * @return the index, or empty when the bytes are not a whole index of this format
     */
    static Optional<DpkgIndex> decode(ByteBuffer data) {
        try {
            ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return Optional.empty();
            }
            Stamp stamp = new Stamp(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
            int packageCount = count(in, 16);
            int diversionCount = count(in, 12);
            int noteCount = count(in, 4);
            int[] offsets = new int[packageCount];
            for (int i = 0; i < packageCount; i++) { // only the lengths: a package is read when a lookup names it
                offsets[i] = in.position();
                for (int f = 0; f < 4; f++) {
                    int length = count(in, 1);
                    in.position(in.position() + length);
                }
            }
            ByteBuffer table = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            List<DpkgPackage> packages = new AbstractList<>() {
                @Override
                public DpkgPackage get(int i) {
                    ByteBuffer at = table.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                    at.position(offsets[i]);
                    return new DpkgPackage(string(at), string(at), string(at), string(at));
                }

                @Override
                public int size() {
                    return offsets.length;
                }
            };
            List<DpkgParser.Diversion> divs = new ArrayList<>(diversionCount);
            for (int i = 0; i < diversionCount; i++) {
                divs.add(new DpkgParser.Diversion(string(in), string(in), string(in)));
            }
            List<String> notes = new ArrayList<>(noteCount);
            for (int i = 0; i < noteCount; i++) {
                notes.add(string(in));
            }
            in.position((in.position() + 7) / 8 * 8);
            long n = in.getLong();
            if (n < 0 || n * 8 != in.remaining()) {
                return Optional.empty();
            }
            LongBuffer keys = in.slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            return Optional.of(new DpkgIndex(stamp, packages, keys, divs, notes));
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

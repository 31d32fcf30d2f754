package org.portlens.registry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The compact form of the registry: a string pool (one UTF-8 blob and offsets) and int tables,
 * so loading is a few bulk reads and no string is decoded until a lookup needs it.
 *
 * <pre>
 * little-endian throughout (x86 and arm64 read the tables with one bulk copy each)
 * "PLRG" version:int
 * pool:    count:int, offsets:int[count+1], bytes
 * meta:    updated, source, sha256, importedAt   (int pool indexes)
 * records: count:int, {@value #RECORD_INTS} u16 each
 *          (name, flags, low, high, description, registered, modified, serviceCode, note,
 *           unauthorized, firstXref, xrefCount); flags = protocol code (0xFF none) | 0x100 if the
 *          record has a port; a string index of 0xFFFF = absent
 * xrefs:   count:int, 3 u16 each (role, type, data)
 * people:  count:int, 5 u16 each (id, name, org, uri, updated), sorted by id
 * </pre>
 * Tables are u16, not int, because a cold start reads the whole file: 1.1 MB instead of 1.6 MB.
 */
final class RegistryCodec {

    static final int MAGIC = 0x504c5247; // "PLRG"
    static final int VERSION = 3;
    /** An absent string or value in the u16 tables. */
    static final char NONE = 0xFFFF;

    static final int RECORD_INTS = 12;

    private RegistryCodec() {}

    /** Where the data came from, kept inside the compact form. */
    public record Metadata(String updated, String source, String sha256, String importedAt) {}

    /** Encodes a parsed registry; rows with problems must already have been dropped by the parser. */
    static byte[] encode(ParsedRegistry parsed, Metadata meta) {
        Pool pool = new Pool();
        int[] metaIdx = {
            pool.add(meta.updated()), pool.add(meta.source()), pool.add(meta.sha256()), pool.add(meta.importedAt())
        };
        List<ParsedRegistry.Row> rows = parsed.rows();
        int[] records = new int[rows.size() * RECORD_INTS];
        List<int[]> xrefs = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ParsedRegistry.Row row = rows.get(i);
            int[] range = parseNumber(row.number());
            int o = i * RECORD_INTS;
            records[o] = pool.add(row.name());
            int proto = protocolCode(row.protocol());
            records[o + 1] = (proto < 0 ? 0xFF : proto) | (range[0] < 0 ? 0 : 0x100);
            records[o + 2] = Math.max(range[0], 0);
            records[o + 3] = Math.max(range[1], 0);
            records[o + 4] = pool.add(row.description());
            records[o + 5] = pool.add(row.registered());
            records[o + 6] = pool.add(row.modified());
            records[o + 7] = pool.add(row.serviceCode());
            records[o + 8] = pool.add(row.note());
            records[o + 9] = pool.add(row.unauthorized());
            records[o + 10] = xrefs.size();
            records[o + 11] = row.xrefs().size();
            for (ParsedRegistry.Xref x : row.xrefs()) {
                xrefs.add(new int[] {x.role().ordinal(), pool.add(x.type()), pool.add(x.data())});
            }
        }
        List<ParsedRegistry.Person> people = new ArrayList<>(parsed.people());
        people.sort(Comparator.comparing(ParsedRegistry.Person::id));
        int[] peopleInts = new int[people.size() * 5];
        for (int i = 0; i < people.size(); i++) {
            ParsedRegistry.Person p = people.get(i);
            peopleInts[i * 5] = pool.add(p.id());
            peopleInts[i * 5 + 1] = pool.add(p.name());
            peopleInts[i * 5 + 2] = pool.add(p.org());
            peopleInts[i * 5 + 3] = pool.add(p.uri());
            peopleInts[i * 5 + 4] = pool.add(p.updated());
        }
        if (pool.size() >= NONE || xrefs.size() >= NONE) {
            throw new RegistryFormatException("the registry has " + pool.size() + " distinct strings and "
                    + xrefs.size() + " references; this file format holds at most 65534 of each");
        }
        int size =
                8 + pool.byteSize() + 4 * 4 + 4 + records.length * 2 + 4 + xrefs.size() * 6 + 4 + peopleInts.length * 2;
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC);
        out.putInt(VERSION);
        pool.write(out);
        putInts(out, metaIdx);
        out.putInt(rows.size());
        putChars(out, records);
        out.putInt(xrefs.size());
        for (int[] x : xrefs) {
            putChars(out, x);
        }
        out.putInt(people.size());
        putChars(out, peopleInts);
        return out.array();
    }

    /**
     * Decodes the compact form.
     *
     * @throws RegistryFormatException if the bytes are not a compact registry of this version
     */
    static Registry decode(byte[] data) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            if (data.length < 8 || in.getInt() != MAGIC) {
                throw new RegistryFormatException("not a portlens registry file (bad magic)");
            }
            int version = in.getInt();
            if (version != VERSION) {
                throw new RegistryFormatException(
                        "registry file version " + version + ", this portlens reads version " + VERSION);
            }
            int poolCount = in.getInt();
            int[] offsets = ints(in, poolCount + 1);
            int blobStart = in.position();
            in.position(blobStart + offsets[poolCount]);
            int[] meta = ints(in, 4);
            int recordCount = in.getInt();
            char[] records = chars(in, recordCount * RECORD_INTS);
            int xrefCount = in.getInt();
            char[] xrefs = chars(in, xrefCount * 3);
            int peopleCount = in.getInt();
            char[] people = chars(in, peopleCount * 5);
            Registry.Strings strings = new Registry.Strings(data, blobStart, offsets);
            return new Registry(strings, meta, records, xrefs, people);
        } catch (RuntimeException e) {
            if (e instanceof RegistryFormatException) {
                throw e;
            }
            throw new RegistryFormatException("corrupt registry file: " + e);
        }
    }

    private static int[] ints(ByteBuffer in, int n) {
        if (n < 0 || (long) n * 4 > in.remaining()) {
            throw new RegistryFormatException("corrupt registry file: truncated");
        }
        int[] a = new int[n];
        in.asIntBuffer().get(a);
        in.position(in.position() + n * 4);
        return a;
    }

    private static char[] chars(ByteBuffer in, int n) {
        if (n < 0 || (long) n * 2 > in.remaining()) {
            throw new RegistryFormatException("corrupt registry file: truncated");
        }
        char[] a = new char[n];
        in.asCharBuffer().get(a);
        in.position(in.position() + n * 2);
        return a;
    }

    /** Writes ints as u16; -1 (absent) becomes {@link #NONE}. */
    private static void putChars(ByteBuffer out, int[] a) {
        for (int v : a) {
            out.putChar(v < 0 ? NONE : (char) v);
        }
    }

    private static void putInts(ByteBuffer out, int[] a) {
        out.asIntBuffer().put(a);
        out.position(out.position() + a.length * 4);
    }

    /** "3640" → {3640, 3640}; "1001-1009" → {1001, 1009}; "" → {-1, -1}. */
    static int[] parseNumber(String number) {
        String n = number.strip();
        if (n.isEmpty()) {
            return new int[] {-1, -1};
        }
        try {
            int dash = n.indexOf('-');
            int low = Integer.parseInt(dash < 0 ? n : n.substring(0, dash).strip());
            int high = dash < 0 ? low : Integer.parseInt(n.substring(dash + 1).strip());
            if (low < 0 || high > 65535 || high < low) {
                return new int[] {-1, -1};
            }
            return new int[] {low, high};
        } catch (NumberFormatException e) {
            return new int[] {-1, -1};
        }
    }

    static int protocolCode(String protocol) {
        switch (protocol.strip().toLowerCase(Locale.ROOT)) {
            case "tcp":
                return 0;
            case "udp":
                return 1;
            case "sctp":
                return 2;
            case "dccp":
                return 3;
            default:
                return -1;
        }
    }

    /** Interns strings; the empty string is stored as -1. */
    private static final class Pool {
        private final Map<String, Integer> index = new HashMap<>();
        private final List<byte[]> values = new ArrayList<>();

        int add(String s) {
            if (s == null || s.isEmpty()) {
                return -1;
            }
            return index.computeIfAbsent(s, k -> {
                values.add(k.getBytes(StandardCharsets.UTF_8));
                return values.size() - 1;
            });
        }

        int size() {
            return values.size();
        }

        int byteSize() {
            int n = 4 + 4 * (values.size() + 1);
            for (byte[] v : values) {
                n += v.length;
            }
            return n;
        }

        void write(ByteBuffer out) {
            out.putInt(values.size());
            int offset = 0;
            out.putInt(0);
            for (byte[] v : values) {
                offset += v.length;
                out.putInt(offset);
            }
            for (byte[] v : values) {
                out.put(v);
            }
        }
    }
}

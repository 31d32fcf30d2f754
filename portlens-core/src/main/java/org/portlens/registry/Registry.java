package org.portlens.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * IANA's port registry, loaded from its compact form. Lookups scan int tables and decode only the
 * strings of the records they return.
 *
 * <p>Immutable once loaded; safe to share between threads.
 */
public final class Registry {

    static final String BUNDLED = "/org/portlens/registry/iana.bin";
    private static final Transport[] TRANSPORTS = Transport.values();
    private static final ParsedRegistry.Role[] ROLES = ParsedRegistry.Role.values();

    private final Strings strings;
    private final int[] meta;
    private final char[] records;
    private final char[] xrefs;
    private final char[] people;

    Registry(Strings strings, int[] meta, char[] records, char[] xrefs, char[] people) {
        this.strings = strings;
        this.meta = meta;
        this.records = records;
        this.xrefs = xrefs;
        this.people = people;
    }

    /**
     * The copy built into portlens from IANA's XML.
     *
     * @return the bundled registry, decoded anew on each call
     * @throws UncheckedIOException  when the bundled copy cannot be read
     * @throws IllegalStateException when the bundled copy is missing from the jar
     */
    public static Registry bundled() {
        try (InputStream in = Registry.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the bundled registry " + BUNDLED + " is missing from the jar");
            }
            return RegistryCodec.decode(readAll(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled registry", e);
        }
    }

    /**
     * Reads a resource in one large read when its size is known: the jar stores iana.bin
     * uncompressed, so {@code available()} is the whole entry and one call copies it, where
     * {@code readAllBytes()} would go 8 KB at a time (bench/README.md, registry load).
     */
    static byte[] readAll(InputStream in) throws IOException {
        int size = in.available();
        if (size < 1 << 16) {
            return in.readAllBytes();
        }
        byte[] first = new byte[size];
        int off = 0;
        while (off < size) {
            int n = in.read(first, off, size - off);
            if (n < 0) {
                return Arrays.copyOf(first, off);
            }
            off += n;
        }
        byte[] rest = in.readAllBytes();
        if (rest.length == 0) {
            return first;
        }
        byte[] all = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    /** Facts about this copy of the registry. */
    public record Info(
            String updated,
            String source,
            String sha256,
            String importedAt,
            int records,
            int serviceNames,
            int people,
            Map<Transport, Integer> byTransport) {}

    /**
     * Counts the records and reads the import's metadata. Walks every record, so it costs more than a lookup.
     *
     * @return where this copy came from, when it was made, and how many records it holds by transport
     */
    public Info info() {
        Map<Transport, Integer> byTransport = new EnumMap<>(Transport.class);
        Set<Integer> names = new HashSet<>();
        for (int i = 0; i < size(); i++) {
            int p = protocol(i * RecordLayout.WIDTH);
            if (p >= 0) {
                byTransport.merge(TRANSPORTS[p], 1, Integer::sum);
            }
            int name = records[i * RecordLayout.WIDTH + RecordLayout.NAME];
            if (name != RegistryCodec.NONE) {
                names.add(name);
            }
        }
        return new Info(
                strings.get(meta[0]),
                strings.get(meta[1]),
                strings.get(meta[2]),
                strings.get(meta[3]),
                size(),
                names.size(),
                people.length / 5,
                byTransport);
    }

    /**
     * Number of records.
     *
     * @return how many records this copy holds, name-only records included
     */
    public int size() {
        return records.length / RecordLayout.WIDTH;
    }

    /**
     * Every record whose port or range contains {@code port}, any transport.
     *
     * @param port the port, 0-65535
     * @return the records in IANA's order; empty when none contains the port
     */
    public List<IanaRecord> byPort(int port) {
        return overlapping(PortRange.of(port), Optional.empty());
    }

    /**
     * Every record whose port or range contains {@code port}, for one transport.
     *
     * @param port      the port, 0-65535
     * @param transport the transport the records must have
     * @return the records in IANA's order; empty when none contains the port
     */
    public List<IanaRecord> byPort(int port, Transport transport) {
        return overlapping(PortRange.of(port), Optional.of(transport));
    }

    /**
     * Every record whose port or range overlaps {@code range}, any transport.
     *
     * @param range the ports to look up
     * @return the records in IANA's order; empty when none overlaps the range
     */
    public List<IanaRecord> overlapping(PortRange range) {
        return overlapping(range, Optional.empty());
    }

    /**
     * Every record whose port or range overlaps {@code range}, for one transport.
     *
     * @param range     the ports to look up
     * @param transport the transport the records must have
     * @return the records in IANA's order; empty when none overlaps the range
     */
    public List<IanaRecord> overlapping(PortRange range, Transport transport) {
        return overlapping(range, Optional.of(transport));
    }

    /**
     * Every record whose port or range overlaps {@code range}, for one transport or (empty) all.
     *
     * @param range     the ports to look up
     * @param transport the transport the records must have, or empty for any
     * @return the records in IANA's order; empty when none overlaps the range
     */
    public List<IanaRecord> overlapping(PortRange range, Optional<Transport> transport) {
        List<IanaRecord> out = new ArrayList<>();
        int want = transport.isEmpty() ? -2 : transport.get().ordinal();
        for (int i = 0, o = 0; i < size(); i++, o += RecordLayout.WIDTH) {
            if (!hasPorts(o)
                    || records[o + RecordLayout.LOW] > range.high()
                    || records[o + RecordLayout.HIGH] < range.low()) {
                continue;
            }
            if (want != -2 && protocol(o) != want) {
                continue;
            }
            out.add(record(i));
        }
        return out;
    }

    /**
     * Records whose service name equals {@code name}, ignoring case; name-only records included.
     *
     * @param name the service name, such as {@code "https"}; leading and trailing spaces are ignored
     * @return the records in IANA's order; empty when the name is not registered
     */
    public List<IanaRecord> byName(String name) {
        byte[] want = name.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        List<IanaRecord> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            int n = records[i * RecordLayout.WIDTH + RecordLayout.NAME];
            if (n != RegistryCodec.NONE && strings.equalsIgnoreAsciiCase(n, want)) {
                out.add(record(i));
            }
        }
        return out;
    }

    /** A search result with its score (higher is better). */
    public record Hit(IanaRecord record, int score) {}

    /**
     * Keyword search over service name, description, notes, assignee and contact. Every word of the
     * query must match somewhere; matches in the name rank above the description, which ranks above
     * people. Ties go to the lower port.
     *
     * @param query words separated by spaces, matched ignoring case
     * @param limit most hits returned
     * @return the best hits first; empty when nothing matches or the query is blank
     */
    public List<Hit> search(String query, int limit) {
        String[] words = query.toLowerCase(Locale.ROOT).strip().split("\\s+");
        List<Hit> hits = new ArrayList<>();
        if (words.length == 0 || words[0].isEmpty()) {
            return hits;
        }
        for (int i = 0; i < size(); i++) {
            int o = i * RecordLayout.WIDTH;
            String name = strings.get(records[o + RecordLayout.NAME]).toLowerCase(Locale.ROOT);
            String desc = strings.get(records[o + RecordLayout.DESCRIPTION]).toLowerCase(Locale.ROOT);
            String note = strings.get(records[o + RecordLayout.NOTE]).toLowerCase(Locale.ROOT);
            int score = 0;
            boolean all = true;
            String people = null;
            for (String w : words) {
                int s = 0;
                if (name.equals(w)) {
                    s = 100;
                } else if (name.startsWith(w)) {
                    s = 60;
                } else if (name.contains(w)) {
                    s = 40;
                } else if (containsWord(desc, w)) {
                    s = 25;
                } else if (desc.contains(w)) {
                    s = 15;
                } else if (note.contains(w)) {
                    s = 8;
                } else {
                    if (people == null) {
                        people = peopleText(i);
                    }
                    if (people.contains(w)) {
                        s = 5;
                    }
                }
                if (s == 0) {
                    all = false;
                    break;
                }
                score += s;
            }
            if (all) {
                hits.add(new Hit(record(i), score));
            }
        }
        hits.sort(Comparator.comparingInt((Hit h) -> -h.score())
                .thenComparingInt(h -> h.record().ports() == null
                        ? Integer.MAX_VALUE
                        : h.record().ports().low())
                .thenComparing(h -> h.record().serviceName()));
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }

    private static boolean containsWord(String text, String word) {
        int i = text.indexOf(word);
        while (i >= 0) {
            boolean startOk = i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
            int end = i + word.length();
            boolean endOk = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (startOk && endOk) {
                return true;
            }
            i = text.indexOf(word, i + 1);
        }
        return false;
    }

    private String peopleText(int i) {
        StringBuilder sb = new StringBuilder();
        int o = i * RecordLayout.WIDTH;
        for (int x = records[o + RecordLayout.FIRST_XREF], end = x + records[o + RecordLayout.XREF_COUNT];
                x < end;
                x++) {
            if (ROLES[xrefs[x * 3]] != ParsedRegistry.Role.REFERENCE) {
                Contact c = contact(strings.get(xrefs[x * 3 + 2]));
                sb.append(c.id())
                        .append(' ')
                        .append(c.name())
                        .append(' ')
                        .append(c.org())
                        .append(' ');
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * All records, in IANA's order (decodes every string: for export and tests, not lookups).
     *
     * @return every record, name-only records included
     */
    public List<IanaRecord> all() {
        List<IanaRecord> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(record(i));
        }
        return out;
    }

    IanaRecord record(int i) {
        int o = i * RecordLayout.WIDTH;
        int p = protocol(o);
        List<Contact> assignees = new ArrayList<>();
        List<Contact> contacts = new ArrayList<>();
        List<Reference> references = new ArrayList<>();
        for (int x = records[o + RecordLayout.FIRST_XREF], end = x + records[o + RecordLayout.XREF_COUNT];
                x < end;
                x++) {
            ParsedRegistry.Role role = ROLES[xrefs[x * 3]];
            String type = strings.get(xrefs[x * 3 + 1]);
            String data = strings.get(xrefs[x * 3 + 2]);
            if (role == ParsedRegistry.Role.REFERENCE) {
                references.add(new Reference(type, data));
            } else {
                Contact c = type.equals("person") ? contact(data) : new Contact("", data, "", "");
                (role == ParsedRegistry.Role.ASSIGNEE ? assignees : contacts).add(c);
            }
        }
        return new IanaRecord(
                strings.get(records[o + RecordLayout.NAME]),
                p < 0 ? null : TRANSPORTS[p],
                hasPorts(o) ? new PortRange(records[o + RecordLayout.LOW], records[o + RecordLayout.HIGH]) : null,
                strings.get(records[o + RecordLayout.DESCRIPTION]),
                assignees,
                contacts,
                strings.get(records[o + RecordLayout.REGISTERED]),
                strings.get(records[o + RecordLayout.MODIFIED]),
                references,
                strings.get(records[o + RecordLayout.SERVICE_CODE]),
                strings.get(records[o + RecordLayout.NOTE]),
                strings.get(records[o + RecordLayout.UNAUTHORIZED]));
    }

    /** The transport's ordinal for the record at offset {@code o}, or -1. */
    private int protocol(int o) {
        int code = records[o + RecordLayout.PROTOCOL] & 0xFF;
        return code == 0xFF ? -1 : code;
    }

    private boolean hasPorts(int o) {
        return (records[o + RecordLayout.PROTOCOL] & 0x100) != 0;
    }

    /** Resolves a person id through the people list (binary search: it is sorted by id). */
    Contact contact(String id) {
        int lo = 0;
        int hi = people.length / 5 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int cmp = strings.get(people[mid * 5]).compareTo(id);
            if (cmp == 0) {
                return new Contact(
                        id,
                        strings.get(people[mid * 5 + 1]),
                        strings.get(people[mid * 5 + 2]),
                        mailto(strings.get(people[mid * 5 + 3])));
            }
            if (cmp < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return new Contact(id, "", "", "");
    }

    /** IANA writes mail addresses as {@code mailto:name&example.org}; show them with the {@code @}. */
    static String mailto(String uri) {
        return uri.startsWith("mailto:") ? uri.replace('&', '@') : uri;
    }

    /** The people list as parsed rows, so a CSV update can keep resolving person ids. */
    List<ParsedRegistry.Person> peopleList() {
        List<ParsedRegistry.Person> out = new ArrayList<>();
        for (int i = 0; i < people.length; i += 5) {
            out.add(new ParsedRegistry.Person(
                    strings.get(people[i]),
                    strings.get(people[i + 1]),
                    strings.get(people[i + 2]),
                    strings.get(people[i + 3]),
                    strings.get(people[i + 4])));
        }
        return out;
    }

    /** Field positions in the record table. */
    static final class RecordLayout {
        static final int NAME = 0,
                PROTOCOL = 1,
                LOW = 2,
                HIGH = 3,
                DESCRIPTION = 4,
                REGISTERED = 5,
                MODIFIED = 6,
                SERVICE_CODE = 7,
                NOTE = 8,
                UNAUTHORIZED = 9,
                FIRST_XREF = 10,
                XREF_COUNT = 11;
        static final int WIDTH = RegistryCodec.RECORD_INTS;

        private RecordLayout() {}
    }

    /** The string pool: decoded on first use, one string at a time. */
    static final class Strings {
        private final byte[] data;
        private final int base;
        private final int[] offsets;
        private final String[] cache;

        Strings(byte[] data, int base, int[] offsets) {
            this.data = data;
            this.base = base;
            this.offsets = offsets;
            this.cache = new String[offsets.length - 1];
        }

        String get(int index) {
            if (index < 0 || index == RegistryCodec.NONE) {
                return "";
            }
            String s = cache[index];
            if (s == null) {
                s = new String(
                        data, base + offsets[index], offsets[index + 1] - offsets[index], StandardCharsets.UTF_8);
                cache[index] = s;
            }
            return s;
        }

        boolean equalsIgnoreAsciiCase(int index, byte[] lowerAscii) {
            int start = base + offsets[index];
            int len = offsets[index + 1] - offsets[index];
            if (len != lowerAscii.length) {
                return false;
            }
            for (int k = 0; k < len; k++) {
                byte b = data[start + k];
                if (b >= 'A' && b <= 'Z') {
                    b = (byte) (b + 32);
                }
                if (b != lowerAscii[k]) {
                    return false;
                }
            }
            return true;
        }
    }
}

package org.portlens.scan;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.stream.IntStream;

/**
 * An immutable set of scannable ports (1-65535), kept as a bitmap of 8 KiB whatever its size.
 * Iterates in ascending order.
 *
 * <p>{@link #parse(String)} reads the specs people type for scanners: {@code 22}, {@code 1-1024,3640,8000-9000},
 * open-ended ranges as nmap writes them ({@code -1024} is 1-1024, {@code 60000-} is 60000-65535), and
 * {@code -} for every port. A leading {@code -p} (as pasted from an nmap command line) is accepted and ignored.
 *
 * <p>Immutable, so safe to share between threads.
 */
public final class PortSet implements Iterable<Integer> {

    /** The highest port number; port 0 cannot be scanned. */
    public static final int MAX_PORT = 65535;
    /** Longer specs are refused outright: no real list of at most 65535 ports needs more. */
    public static final int MAX_SPEC_LENGTH = 100_000;

    static final String EXPECTED = "expected ports 1-65535 such as 22, 1-1024,3640,8000-9000 or - for all";

    private static final int WORDS = (MAX_PORT + 1) / 64;
    private static final PortSet ALL = range(1, MAX_PORT);
    private static final PortSet EMPTY = new PortSet(new long[WORDS], 0);

    private final long[] bits;
    private final int size;

    private PortSet(long[] bits, int size) {
        this.bits = bits;
        this.size = size;
    }

    /**
     * Every port, 1-65535.
     *
     * @return the set of all 65535 scannable ports
     */
    public static PortSet all() {
        return ALL;
    }

    /**
     * No port at all.
     *
     * @return the empty set
     */
    public static PortSet empty() {
        return EMPTY;
    }

    /**
     * The given ports.
     *
     * @param ports ports 1-65535, in any order; duplicates count once
     * @return a set of those ports; empty when none is given
     * @throws IllegalArgumentException for a port outside 1-65535, naming it
     */
    public static PortSet of(int... ports) {
        Builder b = new Builder();
        for (int p : ports) {
            b.add(checkPort(p, Integer.toString(p)));
        }
        return b.build();
    }

    /**
     * The ports {@code low} to {@code high}, inclusive.
     *
     * @param low  the first port, 1-65535
     * @param high the last port, {@code low} to 65535
     * @return a set of {@code high - low + 1} ports
     * @throws IllegalArgumentException if a bound is outside 1-65535 or the range runs backwards
     */
    public static PortSet range(int low, int high) {
        String text = low + "-" + high;
        checkPort(low, text);
        checkPort(high, text);
        if (high < low) {
            throw backwards(text);
        }
        return new Builder().addRange(low, high).build();
    }

    /**
     * Parses a port spec: comma-separated ports and ranges, {@code -} for all.
     *
     * @param spec what a user typed, such as {@code 22,80,8000-9000}, {@code -1024} or {@code -}
     * @return the ports the spec names, never empty
     * @throws IllegalArgumentException naming the part at fault and what was expected
     */
    public static PortSet parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("no port spec: " + EXPECTED);
        }
        if (spec.length() > MAX_SPEC_LENGTH) {
            throw new IllegalArgumentException("port spec too long: " + spec.length() + " characters, at most "
                    + MAX_SPEC_LENGTH + " (use ranges such as 1-65535 or - for all)");
        }
        String s = spec.strip();
        if (s.startsWith("-p")) {
            s = s.substring(2).strip();
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty port spec: " + EXPECTED);
        }
        Builder b = new Builder();
        int start = 0;
        int partNo = 1;
        while (true) {
            int comma = s.indexOf(',', start);
            int stop = comma < 0 ? s.length() : comma;
            parsePart(s.substring(start, stop).strip(), partNo, b);
            if (comma < 0) {
                break;
            }
            start = comma + 1;
            partNo++;
        }
        return b.build();
    }

    private static void parsePart(String part, int partNo, Builder b) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("empty part #" + partNo + " in port spec (two commas in a row,"
                    + " or one at an end): " + EXPECTED);
        }
        int dash = part.indexOf('-');
        if (dash < 0) {
            b.add(checkPort(number(part, part), part));
            return;
        }
        String lowText = part.substring(0, dash).strip();
        String highText = part.substring(dash + 1).strip();
        int low = lowText.isEmpty() ? 1 : number(lowText, part);
        int high = highText.isEmpty() ? MAX_PORT : number(highText, part);
        checkPort(low, part);
        checkPort(high, part);
        if (high < low) {
            throw backwards(part);
        }
        b.addRange(low, high);
    }

    /** The digits of {@code text} as a number; anything too long to be a port comes back as MAX_PORT + 1. */
    private static int number(String text, String part) {
        if (text.isEmpty()) {
            throw notAPort(part);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw notAPort(part);
            }
        }
        int lead = 0;
        while (lead < text.length() - 1 && text.charAt(lead) == '0') {
            lead++;
        }
        return text.length() - lead > 5 ? MAX_PORT + 1 : Integer.parseInt(text.substring(lead));
    }

    private static int checkPort(int port, String part) {
        if (port == 0) {
            throw new IllegalArgumentException("port 0 can't be scanned (to the OS it means 'any port'), in '"
                    + clip(part) + "': expected ports 1-65535");
        }
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port must be 1-65535, got " + clip(part));
        }
        return port;
    }

    private static IllegalArgumentException backwards(String part) {
        return new IllegalArgumentException("port range must run low to high, got " + clip(part));
    }

    private static IllegalArgumentException notAPort(String part) {
        return new IllegalArgumentException("not a port: '" + clip(part) + "': " + EXPECTED);
    }

    /** A part as quoted in a message: long garbage is cut, so a message stays one readable line. */
    private static String clip(String part) {
        return part.length() <= 40 ? part : part.substring(0, 37) + "...";
    }

    /**
     * How many ports the set holds.
     *
     * @return the number of ports, 0-65535
     */
    public int size() {
        return size;
    }

    /**
     * True when the set holds no port.
     *
     * @return whether {@link #size()} is 0
     */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * True when {@code port} is in the set; false for numbers outside 1-65535.
     *
     * @param port any number
     * @return whether the set holds it
     */
    public boolean contains(int port) {
        return port >= 1 && port <= MAX_PORT && (bits[port >>> 6] & (1L << port)) != 0;
    }

    /**
     * The lowest port, or -1 when empty.
     *
     * @return the lowest port, 1-65535, or -1
     */
    public int first() {
        return next(1);
    }

    /**
     * The lowest port that is at least {@code from}, or -1 if there is none.
     *
     * @param from where to start looking; below 1 counts as 1
     * @return the port, {@code from} to 65535, or -1
     */
    public int next(int from) {
        if (from < 1) {
            from = 1;
        }
        if (from > MAX_PORT) {
            return -1;
        }
        int w = from >>> 6;
        long word = bits[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(word);
            }
            if (++w == WORDS) {
                return -1;
            }
            word = bits[w];
        }
    }

    /**
     * The ports in ascending order, as a new array.
     *
     * @return an array of {@link #size()} ports that the caller may change
     */
    public int[] toArray() {
        int[] out = new int[size];
        int i = 0;
        for (int p = next(1); p >= 0; p = next(p + 1)) {
            out[i++] = p;
        }
        return out;
    }

    @Override
    public PrimitiveIterator.OfInt iterator() {
        return new PrimitiveIterator.OfInt() {
            private int next = first();

            @Override
            public boolean hasNext() {
                return next >= 0;
            }

            @Override
            public int nextInt() {
                if (next < 0) {
                    throw new NoSuchElementException();
                }
                int p = next;
                next = p == MAX_PORT ? -1 : PortSet.this.next(p + 1);
                return p;
            }
        };
    }

    /**
     * The ports in ascending order.
     *
     * @return a stream of {@link #size()} ports
     */
    public IntStream stream() {
        return IntStream.of(toArray());
    }

    /**
     * The ports in this set or the other.
     *
     * @param other the set to add
     * @return a new set; neither this one nor {@code other} changes
     */
    public PortSet union(PortSet other) {
        long[] u = bits.clone();
        for (int i = 0; i < WORDS; i++) {
            u[i] |= other.bits[i];
        }
        return new PortSet(u, count(u));
    }

    /** The set as a spec that {@link #parse} reads back: {@code 22,80,8000-9000}; {@code -} for all; empty text for none. */
    @Override
    public String toString() {
        if (size == MAX_PORT) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        int p = first();
        while (p >= 0) {
            int q = p;
            while (q < MAX_PORT && contains(q + 1)) {
                q++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(p);
            if (q > p) {
                sb.append('-').append(q);
            }
            p = q == MAX_PORT ? -1 : next(q + 1);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet && ((PortSet) o).size == size && Arrays.equals(((PortSet) o).bits, bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    private static int count(long[] words) {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** Collects ports, then freezes them into a {@link PortSet}. Ports must already be checked to be 1-65535. */
    static final class Builder {
        private long[] bits = new long[WORDS];

        Builder add(int port) {
            bits[port >>> 6] |= 1L << port;
            return this;
        }

        Builder addRange(int low, int high) {
            for (int p = low; p <= high; p++) {
                bits[p >>> 6] |= 1L << p;
            }
            return this;
        }

        PortSet build() {
            long[] frozen = bits;
            bits = new long[WORDS];
            return new PortSet(frozen, count(frozen));
        }
    }
}

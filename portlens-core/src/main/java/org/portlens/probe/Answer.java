package org.portlens.probe;

import java.util.Locale;

/**
 * What an answer that matched no signature looks like: its length, its printable text, its first
 * bytes in hex, its shape (TLS record, HTTP status line, text, a length-prefixed frame, other binary)
 * and what nmap's match lines make of it when they were loaded. Every string is escaped for display:
 * the bytes came from the network and may be hostile. Immutable; safe from any thread.
 *
 * @param length  how many bytes the answer had
 * @param text    its printable runs of at least {@value #MIN_RUN} characters (CR, LF and TAB shown as
 *                {@code \r \n \t}), joined by {@code " … "}, at most {@value #MAX_TEXT} characters;
 *                empty when it has none
 * @param hex     its first {@value #HEX_BYTES} bytes as lower-case hex pairs separated by spaces
 * @param shape   what the bytes look like
 * @param framing for {@link Shape#LENGTH_PREFIXED}, which length field fits ("4-byte big-endian length
 *                of the rest"); empty otherwise
 * @param nmap    what a match line of nmap's service probes makes of the same bytes ("ssh (OpenSSH 9.2p1)
 *                by nmap-service-probes:1234"), when they were loaded; empty when none matched or they
 *                were not loaded
 */
public record Answer(int length, String text, String hex, Shape shape, String framing, String nmap) {

    /** The shortest printable run kept in {@link #text()}. */
    public static final int MIN_RUN = 4;
    /** The longest {@link #text()}. */
    public static final int MAX_TEXT = 200;
    /** How many bytes {@link #hex()} shows. */
    public static final int HEX_BYTES = 32;

    /** What the bytes of an answer look like, the first that fits, in this order. Immutable. */
    public enum Shape {
        /** A TLS record header: content type 20-23, version 3.x, a plausible length. */
        TLS,
        /** An HTTP status line: {@code HTTP/1.x NNN} or {@code HTTP/2 NNN}. */
        HTTP,
        /** Mostly printable ASCII (at least 90%, CR, LF and TAB counted as printable). */
        TEXT,
        /** Binary that starts with a 2- or 4-byte length field that matches the answer's length. */
        LENGTH_PREFIXED,
        /** Any other binary. */
        BINARY;

        /**
         * {@code tls}, {@code http}, {@code text}, {@code length-prefixed} or {@code binary}.
         *
         * @return the name in lower case with dashes
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Checks the length.
     *
     * @param length  how many bytes the answer had
     * @param text    its printable runs, escaped
     * @param hex     its first bytes in hex
     * @param shape   what the bytes look like
     * @param framing the length field that fits, or empty
     * @param nmap    what nmap's match lines make of it, or empty
     * @throws IllegalArgumentException for a negative length
     */
    public Answer {
        if (length < 0) {
            throw new IllegalArgumentException("an answer's length must be 0 or more, got " + length);
        }
    }

    /**
     * "42 bytes, text: …" for people.
     *
     * @return the length, the shape and the text or the hex
     */
    public String summary() {
        String what = shape == Shape.LENGTH_PREFIXED ? framing : shape.label();
        return length + " bytes, " + what + (text.isEmpty() ? ", hex " + hex : ": " + text);
    }

    /** Describes {@code data[0..length)}, with {@code nmap} as what nmap's lines made of it (or empty). */
    static Answer describe(byte[] data, int length, String nmap) {
        Shape shape;
        String framing = "";
        if (tlsRecord(data, length)) {
            shape = Shape.TLS;
        } else if (httpStatus(data, length)) {
            shape = Shape.HTTP;
        } else if (printable(data, length) * 10 >= length * 9) {
            shape = Shape.TEXT;
        } else {
            framing = framing(data, length);
            shape = framing.isEmpty() ? Shape.BINARY : Shape.LENGTH_PREFIXED;
        }
        return new Answer(length, text(data, length), hex(data, length), shape, framing, nmap);
    }

    private static int u(byte[] d, int i) {
        return d[i] & 0xff;
    }

    private static boolean tlsRecord(byte[] d, int n) {
        return n >= 5
                && u(d, 0) >= 20
                && u(d, 0) <= 23
                && u(d, 1) == 3
                && u(d, 2) <= 4
                && ((u(d, 3) << 8) | u(d, 4)) <= 16384 + 2048;
    }

    private static boolean httpStatus(byte[] d, int n) {
        String head = new String(d, 0, Math.min(n, 16), java.nio.charset.StandardCharsets.ISO_8859_1);
        return head.matches("(?s)HTTP/(?:1\\.[01]|2(?:\\.0)?) \\d{3}.*");
    }

    private static boolean printableByte(int b) {
        return (b >= 0x20 && b < 0x7f) || b == '\r' || b == '\n' || b == '\t';
    }

    private static int printable(byte[] d, int n) {
        int p = 0;
        for (int i = 0; i < n; i++) {
            if (printableByte(u(d, i))) {
                p++;
            }
        }
        return p;
    }

    /** Which 2- or 4-byte length field at the start fits the answer's length, in words; empty for none. */
    private static String framing(byte[] d, int n) {
        if (n >= 4) {
            long be = ((long) u(d, 0) << 24) | (u(d, 1) << 16) | (u(d, 2) << 8) | u(d, 3);
            long le = ((long) u(d, 3) << 24) | (u(d, 2) << 16) | (u(d, 1) << 8) | u(d, 0);
            if (be == n - 4) {
                return "4-byte big-endian length of the rest";
            }
            if (be == n) {
                return "4-byte big-endian length of the whole";
            }
            if (le == n - 4) {
                return "4-byte little-endian length of the rest";
            }
            if (le == n) {
                return "4-byte little-endian length of the whole";
            }
        }
        if (n >= 3) {
            int be = (u(d, 0) << 8) | u(d, 1);
            int le = (u(d, 1) << 8) | u(d, 0);
            if (be == n - 2) {
                return "2-byte big-endian length of the rest";
            }
            if (le == n - 2) {
                return "2-byte little-endian length of the rest";
            }
            if (be == n) {
                return "2-byte big-endian length of the whole";
            }
        }
        return "";
    }

    private static String text(byte[] d, int n) {
        StringBuilder out = new StringBuilder();
        StringBuilder run = new StringBuilder();
        int chars = 0;
        for (int i = 0; i <= n && out.length() < MAX_TEXT; i++) {
            int b = i < n ? u(d, i) : -1;
            if (b >= 0 && printableByte(b)) {
                run.append(
                        switch (b) {
                            case '\r' -> "\\r";
                            case '\n' -> "\\n";
                            case '\t' -> "\\t";
                            case '\\' -> "\\\\";
                            default -> String.valueOf((char) b);
                        });
                chars++;
                continue;
            }
            if (chars >= MIN_RUN) {
                out.append(out.length() == 0 ? "" : " … ").append(run);
            }
            run.setLength(0);
            chars = 0;
        }
        return out.length() > MAX_TEXT ? out.substring(0, MAX_TEXT - 1) + "…" : out.toString();
    }

    private static String hex(byte[] d, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, HEX_BYTES); i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", u(d, i)));
        }
        return sb.toString();
    }
}

package org.portlens.probe;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.Text;

/**
 * Applies {@link ResponseMatcher}s to what a server sent. Pure functions of bytes, so recorded
 * answers can be tested without a network.
 */
final class Matching {

    /** The longest product, version or detail value kept; longer ones are cut with "…". */
    static final int MAX_VALUE = 200;
    /** How many leading bytes {@code firstBytes} shows. */
    static final int FIRST_BYTES = 64;
    /** How long all expressions together may take on one response before the rest are skipped. */
    static final long REGEX_BUDGET_NANOS = 250_000_000L;

    private Matching() {}

    /**
     * What a matcher made of a response.
     *
     * @param soft    from a softmatch line
     * @param details details in template order
     * @param origin  the matcher's file and line
     */
    record Identification(
            String protocol, String product, String version, Map<String, String> details, boolean soft, String origin) {
        Identification {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }

        /** This identification with the facts of an earlier (soft) one filled in where this has none. */
        Identification over(Identification earlier) {
            if (earlier == null) {
                return this;
            }
            Map<String, String> d = new LinkedHashMap<>(earlier.details);
            d.putAll(details);
            return new Identification(
                    protocol,
                    product.isEmpty() ? earlier.product : product,
                    version.isEmpty() ? earlier.version : version,
                    d,
                    soft,
                    origin);
        }
    }

    /** The first matcher (in order) that matches {@code data[0..length)}, or null. */
    static @Nullable Identification identify(List<ResponseMatcher> matchers, byte[] data, int length) {
        if (length == 0 || matchers.isEmpty()) {
            return null;
        }
        String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
        long deadline = System.nanoTime() + REGEX_BUDGET_NANOS;
        for (ResponseMatcher rm : matchers) {
            try {
                Matcher m = rm.pattern().matcher(new Bounded(text, deadline));
                if (!m.find()) {
                    continue;
                }
                Map<String, String> values = new LinkedHashMap<>();
                fill(values, rm.fields(), m);
                for (ResponseMatcher.Extract e : rm.extracts()) {
                    Matcher em = e.pattern().matcher(new Bounded(text, deadline));
                    if (em.find()) {
                        fill(values, e.fields(), em);
                    }
                }
                String product = values.remove("product");
                String version = values.remove("version");
                return new Identification(
                        rm.protocol(),
                        product == null ? "" : product,
                        version == null ? "" : version,
                        values,
                        rm.soft(),
                        rm.origin());
            } catch (TooSlow e) {
                return null;
            }
        }
        return null;
    }

    private static void fill(Map<String, String> values, Map<String, String> templates, Matcher m) {
        for (Map.Entry<String, String> t : templates.entrySet()) {
            if (values.containsKey(t.getKey())) {
                continue;
            }
            String v = clean(Templates.apply(t.getValue(), m));
            if (!v.isEmpty()) {
                values.put(t.getKey(), v);
            }
        }
    }

    /**
     * Makes a value taken from the wire safe to show: bytes that form valid UTF-8 are read as
     * UTF-8, control characters are escaped, surrounding blanks dropped, and the result cut to
     * {@link #MAX_VALUE} characters.
     */
    static String clean(String latin1) {
        String s = latin1;
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (!ascii) {
            try {
                s = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)))
                        .toString();
            } catch (CharacterCodingException e) {
                // not UTF-8: keep the ISO-8859-1 reading
            }
        }
        s = Text.escapeControls(s.strip());
        if (s.length() > MAX_VALUE) {
            s = s.substring(0, MAX_VALUE - 1) + "…";
        }
        return s;
    }

    /**
     * The first {@link #FIRST_BYTES} bytes for display: printable ASCII as is, control characters
     * escaped by {@link Text#escapeControls}, other bytes as {@code \xHH}.
     */
    static String firstBytes(byte[] data, int length) {
        int n = Math.min(length, FIRST_BYTES);
        StringBuilder sb = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            int b = data[i] & 0xff;
            if (b >= 0x7f) {
                sb.append(String.format("\\x%02x", b));
            } else {
                sb.append(Text.escapeControls(String.valueOf((char) b)));
            }
        }
        return sb.toString();
    }

    /** Thrown from {@link Bounded#charAt} when the regex budget is spent. */
    private static final class TooSlow extends RuntimeException {
        TooSlow() {
            super("regular expression took too long", null, false, false);
        }
    }

    /**
     * A text that stops a runaway regular expression: every few thousand reads it checks the
     * clock and throws once the deadline has passed.
     */
    private static final class Bounded implements CharSequence {
        private final String s;
        private final long deadline;
        private int reads;

        Bounded(String s, long deadline) {
            this.s = s;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0xfff) == 0 && System.nanoTime() > deadline) {
                throw new TooSlow();
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Bounded(s.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return s;
        }
    }
}

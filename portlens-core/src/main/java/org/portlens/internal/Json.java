package org.portlens.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small JSON reader (RFC 8259) for the state files and command output portlens reads: container
 * runtimes' {@code config.json}, {@code nft -j}. It returns plain values: {@code Map<String, Object>}
 * in document order (a repeated key keeps its last value), {@code List<Object>}, {@code String},
 * {@code Long} for integers that fit, {@code BigDecimal} for other numbers, {@code Boolean}, and
 * {@link #NULL} for null. Strict about syntax (no comments, trailing commas, single quotes, leading
 * zeros or raw control characters), tolerant of what RFC 8259 allows readers to accept (a leading
 * byte order mark, unpaired surrogate escapes, kept as they are). Depth and size are bounded.
 *
 * <p>Static methods only; safe from any thread. The values it returns are unmodifiable.
 */
public final class Json {

    /** The value of JSON {@code null}: a map or list cannot hold Java null. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Nesting deeper than this fails, unless a limit is given. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    /** Text longer than this (in chars) fails, unless a limit is given. */
    public static final int DEFAULT_MAX_CHARS = 8 * 1024 * 1024;

    /** The text is not JSON, or is beyond the limits: names the offset and what was expected. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int offset;

        ParseException(String message, int offset) {
            super(message + " at offset " + offset);
            this.offset = offset;
        }

        /** Where in the text (in chars) the problem was found. */
        public int offset() {
            return offset;
        }
    }

    private final String text;
    private final int maxDepth;
    private int pos;

    private Json(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /** Parses one JSON value with the default limits. */
    public static Object parse(String text) throws ParseException {
        return parse(text, DEFAULT_MAX_DEPTH, DEFAULT_MAX_CHARS);
    }

    /**
     * Parses one JSON value; whitespace may surround it, nothing else may follow it.
     *
     * @param maxDepth how many arrays and objects may nest, 1-1000
     * @param maxChars the longest text accepted
     * @throws ParseException naming the offset and what was expected there
     */
    public static Object parse(String text, int maxDepth, int maxChars) throws ParseException {
        if (maxDepth < 1 || maxDepth > 1000) {
            throw new IllegalArgumentException("maxDepth must be 1-1000, got " + maxDepth);
        }
        if (text.length() > maxChars) {
            throw new ParseException("text of " + text.length() + " chars is longer than the limit of " + maxChars, 0);
        }
        Json p = new Json(text, maxDepth);
        if (text.startsWith("\uFEFF")) {
            p.pos = 1;
        }
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("expected the end of the text");
        }
        return value;
    }

    private Object value(int depth) throws ParseException {
        if (pos >= text.length()) {
            throw error("expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", true);
            case 'f' -> literal("false", false);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) throws ParseException {
        checkDepth(depth);
        pos++; // {
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(key, value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return Collections.unmodifiableMap(map);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws ParseException {
        checkDepth(depth);
        pos++; // [
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private void checkDepth(int depth) throws ParseException {
        if (depth > maxDepth) {
            throw error("nesting deeper than the limit of " + maxDepth);
        }
    }

    private String string() throws ParseException {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error("expected '\"' to end the string that starts at offset " + (start - 1));
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null
                        ? text.substring(start, pos)
                        : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error(String.format("expected no raw control character (\\u%04x) in a string", (int) c));
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(text, start, pos);
            pos++;
            if (pos >= text.length()) {
                throw error("expected an escape after '\\'");
            }
            char e = text.charAt(pos);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append(hex4(pos + 1));
                    pos += 4;
                }
                default -> throw error("expected one of \" \\ / b f n r t u after '\\'");
            }
            pos++;
            start = pos;
        }
    }

    /** The char of the four hex digits at {@code at} (a surrogate half stays a half: pairs join in the string). */
    private char hex4(int at) throws ParseException {
        if (at + 4 > text.length()) {
            pos = text.length();
            throw error("expected four hex digits after '\\u'");
        }
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            char h = text.charAt(i);
            int d = Character.digit(h, 16);
            if (d < 0 || h > 'f') {
                pos = i;
                throw error("expected a hex digit after '\\u'");
            }
            v = (v << 4) | d;
        }
        return (char) v;
    }

    private Object number() throws ParseException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("expected no leading zero");
            }
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("expected a digit");
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent");
            }
            digits();
        }
        String n = text.substring(start, pos);
        if (integer) {
            try {
                return Long.parseLong(n);
            } catch (NumberFormatException tooBig) {
                return new BigDecimal(n);
            }
        }
        try {
            return new BigDecimal(n);
        } catch (NumberFormatException e) { // an exponent beyond int
            pos = start;
            throw error("expected a number with an exponent that fits in 32 bits");
        }
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) throws ParseException {
        if (!text.startsWith(word, pos)) {
            throw error("expected '" + word + "'");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) throws ParseException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** The char at the position, or 0 at the end (0 is never valid where it is compared). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private ParseException error(String expected) {
        if (pos >= text.length()) {
            return new ParseException(expected + ", found the end of the text (truncated?)", pos);
        }
        char c = text.charAt(pos);
        String found = c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : "'" + c + "'";
        return new ParseException(expected + ", found " + found, pos);
    }

    // Reading parsed values, tolerant of shapes that differ from the expected: a missing key, a value
    // of another type, null, all give empty.

    /**
     * The value at {@code path} (object keys) inside {@code value}.
     *
     * @return empty when a step is not an object or lacks the key, or the value there is JSON null
     */
    public static Optional<Object> at(Object value, String... path) {
        Object v = value;
        for (String key : path) {
            if (!(v instanceof Map<?, ?> m) || !m.containsKey(key)) {
                return Optional.empty();
            }
            v = m.get(key);
        }
        return v == null || v == NULL ? Optional.empty() : Optional.of(v);
    }

    /** The string at {@code path}, or empty when absent or not a string. */
    public static Optional<String> string(Object value, String... path) {
        return at(value, path).filter(String.class::isInstance).map(String.class::cast);
    }

    /** The integer at {@code path} (a JSON integer that fits a long), or empty. */
    public static Optional<Long> integer(Object value, String... path) {
        return at(value, path).filter(Long.class::isInstance).map(Long.class::cast);
    }

    /** The object at {@code path}, or an empty map when absent or not an object. */
    @SuppressWarnings("unchecked") // the parser makes only Map<String, Object>
    public static Map<String, Object> object(Object value, String... path) {
        return at(value, path)
                .filter(Map.class::isInstance)
                .map(m -> (Map<String, Object>) m)
                .orElse(Map.of());
    }

    /** The array at {@code path}, or an empty list when absent or not an array. */
    @SuppressWarnings("unchecked") // the parser makes only List<Object>
    public static List<Object> array(Object value, String... path) {
        return at(value, path)
                .filter(List.class::isInstance)
                .map(l -> (List<Object>) l)
                .orElse(List.of());
    }
}

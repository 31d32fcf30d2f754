package org.portlens.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.BoundedRead;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * Reads probes files: the bundled {@code org/portlens/probe/probes.txt} and the user's own. The
 * format is line-based (see {@code docs/probes.md}):
 *
 * <pre>
 * # a comment
 * probe redis tcp
 *   send "*1\r\n$4\r\nPING\r\n"
 *   ports 6379 6380
 *   hints redis* valkey*
 *   match redis m|^\+PONG\r\n| product=Redis
 *     extract m|redis_version:([\d.]+)| version=$1
 *   match redis m|^-NOAUTH| product=Redis auth=required
 * </pre>
 *
 * Every problem is collected and reported together as one {@link SignatureFormatException} with a
 * {@code FILE:LINE: what is wrong} line each. The signatures go to {@link Prober.Builder#extraSignatures}.
 *
 * <p>Stateless; safe from any thread.
 */
public final class SignatureFile {

    /** The resource holding the built-in probes, in their default order. */
    static final String BUILT_IN = "org/portlens/probe/probes.txt";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final Pattern PROTOCOL = Pattern.compile("[a-z0-9][a-z0-9._+-]*");
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_-]*");
    private static final Pattern HINT = Pattern.compile("[A-Za-z0-9._+-]+\\*?");

    private static volatile @Nullable List<Signature> builtIn;

    private SignatureFile() {}

    /** The probes that ship with portlens, parsed once. */
    static List<Signature> builtIn() {
        List<Signature> b = builtIn;
        if (b == null) {
            try (InputStream in = SignatureFile.class.getResourceAsStream("/" + BUILT_IN)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + BUILT_IN + " is missing from the class path");
                }
                b = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "probes.txt");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + BUILT_IN, e);
            }
            builtIn = b;
        }
        return b;
    }

    /** A signature file holds at most this many bytes: the built-in one is about 20 KB. */
    public static final long MAX_BYTES = 1_000_000L;

    /**
     * Reads and parses a probes file: at most {@link #MAX_BYTES}, within 10 seconds (a pipe or a
     * device that never ends is refused, not waited for).
     *
     * @param file the file, UTF-8
     * @return the signatures in file order
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws IOException when it cannot be read, holds more than {@link #MAX_BYTES} or does not end in
     *                     time; the message names the file and the limit
     * @throws SignatureFormatException listing every problem, each {@code FILE:LINE: what is wrong}
     */
    public static List<Signature> read(Path file) throws IOException {
        byte[] raw;
        try {
            raw = BoundedRead.file(file, MAX_BYTES, READ_TIME);
        } catch (BoundedRead.TooLarge e) {
            throw new IOException(
                    file + " holds more than " + BoundedRead.size(MAX_BYTES) + ", the limit for a signature file", e);
        } catch (BoundedRead.TooSlow e) {
            throw new IOException(
                    file + " did not end within " + BoundedRead.seconds(READ_TIME) + " (" + e.received()
                            + " bytes read): a pipe or a device?",
                    e);
        }
        return parse(new String(raw, StandardCharsets.UTF_8), file.toString());
    }

    private static final Duration READ_TIME = Duration.ofSeconds(10);

    /**
     * Parses the text of a probes file.
     *
     * @param text     the whole file's text
     * @param fileName used in problem messages
     * @return the signatures in file order
     * @throws SignatureFormatException listing every problem, each {@code FILE:LINE: what is wrong}
     */
    public static List<Signature> parse(String text, String fileName) {
        return new Parser(fileName).parse(text);
    }

    private static final class Parser {
        private final String file;
        private final List<Map.Entry<Integer, String>> problems = new ArrayList<>();
        private final List<Signature> out = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private @Nullable Builder current;
        private boolean skipping;

        Parser(String file) {
            this.file = file;
        }

        List<Signature> parse(String text) {
            String[] lines = text.split("\r?\n|\r", -1);
            for (int i = 0; i < lines.length; i++) {
                int lineNo = i + 1;
                try {
                    line(lines[i].strip(), lineNo);
                } catch (IllegalArgumentException e) {
                    problem(lineNo, String.valueOf(e.getMessage()));
                    if (current != null) {
                        current.broken = true; // its own problems are enough: no "has no match line" on top
                    }
                }
            }
            finish();
            if (!problems.isEmpty()) {
                problems.sort(Map.Entry.comparingByKey()); // stable: a line's own problems stay in order
                throw new SignatureFormatException(
                        problems.stream().map(Map.Entry::getValue).toList());
            }
            return List.copyOf(out);
        }

        private void problem(int line, String what) {
            problems.add(Map.entry(line, file + ":" + line + ": " + what));
        }

        private void line(String line, int no) {
            if (line.isEmpty() || line.startsWith("#")) {
                return;
            }
            int sp = indexOfSpace(line);
            String keyword = sp < 0 ? line : line.substring(0, sp);
            String rest = sp < 0 ? "" : line.substring(sp).strip();
            if (keyword.equals("probe")) {
                finish();
                skipping = true; // until the probe line proves good
                current = probe(rest, no);
                skipping = false;
                return;
            }
            if (current == null) {
                if (!skipping) {
                    throw new IllegalArgumentException(
                            known(keyword)
                                    ? "'" + keyword + "' before any 'probe NAME tcp|udp' line"
                                    : "unknown keyword '" + keyword
                                            + "': expected probe, send, ports, hints, handler, inside, match, softmatch or extract");
                }
                return;
            }
            switch (keyword) {
                case "send" -> current.payload.writeBytes(quoted(rest));
                case "ports" -> {
                    for (String p : words(rest, "ports")) {
                        current.ports.add(PortRange.parse(p));
                    }
                }
                case "hints" -> {
                    for (String h : words(rest, "hints")) {
                        if (!HINT.matcher(h).matches()) {
                            throw new IllegalArgumentException(
                                    "bad hint '" + h + "': a process or service name, optionally ending in *");
                        }
                        current.hints.add(h);
                    }
                }
                case "handler" -> {
                    Signature.Handler h = Signature.Handler.byLabel(rest)
                            .orElseThrow(() -> new IllegalArgumentException(
                                    "unknown handler '" + rest + "': expected one of " + Signature.Handler.labels()));
                    if (current.handler != Signature.Handler.NONE) {
                        throw new IllegalArgumentException(
                                "probe '" + current.name + "' already has handler " + current.handler.label());
                    }
                    current.handler = h;
                }
                case "inside" -> current.inside.addAll(words(rest, "inside"));
                case "match", "softmatch" -> current.matchers.add(matcher(keyword.equals("softmatch"), rest, no));
                case "extract" -> {
                    if (current.matchers.isEmpty()) {
                        throw new IllegalArgumentException("'extract' must follow a match or softmatch line");
                    }
                    Regex r = regex(rest);
                    Map<String, String> fields =
                            fields(r.rest, r.pattern.matcher("").groupCount());
                    int last = current.matchers.size() - 1;
                    current.matchers.set(
                            last,
                            current.matchers
                                    .get(last)
                                    .with(new ResponseMatcher.Extract(r.pattern, fields, file + ":" + no)));
                }
                default ->
                    throw new IllegalArgumentException("unknown keyword '" + keyword
                            + "': expected probe, send, ports, hints, handler, inside, match, softmatch or extract");
            }
        }

        private static boolean known(String k) {
            return List.of("send", "ports", "hints", "handler", "inside", "match", "softmatch", "extract")
                    .contains(k);
        }

        private Builder probe(String rest, int no) {
            List<String> w = words(rest, "probe");
            if (w.size() != 2) {
                throw new IllegalArgumentException("expected 'probe NAME tcp|udp', got 'probe " + rest + "'");
            }
            String name = w.get(0);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "bad probe name '" + name + "': letters, digits, '.', '_', '+' and '-'");
            }
            Transport t;
            switch (w.get(1)) {
                case "tcp" -> t = Transport.TCP;
                case "udp" -> t = Transport.UDP;
                default ->
                    throw new IllegalArgumentException("probe transport must be tcp or udp, got '" + w.get(1) + "'");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("probe '" + name + "' is defined twice in this file");
            }
            return new Builder(name, t, no);
        }

        private void finish() {
            Builder b = current;
            current = null;
            if (b == null) {
                return;
            }
            String p = "probe '" + b.name + "' ";
            if (b.broken) {
                return;
            }
            if (b.transport == Transport.UDP && b.payload.size() == 0) {
                problem(b.line, p + "is udp but has no send line: a udp probe must send something");
            } else if (b.handler != Signature.Handler.NONE && b.payload.size() > 0) {
                problem(b.line, p + "has a handler and a send line: the handler does the sending");
            } else if (!b.inside.isEmpty() && b.handler != Signature.Handler.TLS) {
                problem(b.line, p + "has an 'inside' line, which only the tls handler uses");
            } else if (b.handler == Signature.Handler.NONE && b.matchers.isEmpty()) {
                problem(b.line, p + "has no match or softmatch line");
            } else {
                out.add(new Signature(
                        b.name,
                        b.transport,
                        b.payload.toByteArray(),
                        b.ports,
                        b.hints,
                        b.handler,
                        b.inside,
                        b.matchers,
                        file + ":" + b.line));
            }
        }

        private ResponseMatcher matcher(boolean soft, String rest, int no) {
            int sp = indexOfSpace(rest);
            if (sp < 0) {
                throw new IllegalArgumentException("expected '" + (soft ? "softmatch" : "match")
                        + " PROTOCOL m/REGEX/ [key=value...]', got '" + rest + "'");
            }
            String protocol = rest.substring(0, sp);
            if (!PROTOCOL.matcher(protocol).matches()) {
                throw new IllegalArgumentException(
                        "bad protocol name '" + protocol + "': lower-case letters, digits, '.', '_', '+' and '-'");
            }
            Regex r = regex(rest.substring(sp).strip());
            Map<String, String> fields = fields(r.rest, r.pattern.matcher("").groupCount());
            return new ResponseMatcher(protocol, soft, r.pattern, fields, List.of(), file + ":" + no);
        }

        private record Regex(Pattern pattern, String rest) {}

        /** Reads {@code m/REGEX/FLAGS} (any punctuation as the delimiter) and returns it and what follows. */
        private static Regex regex(String s) {
            if (s.length() < 3
                    || s.charAt(0) != 'm'
                    || Character.isLetterOrDigit(s.charAt(1))
                    || Character.isWhitespace(s.charAt(1))) {
                throw new IllegalArgumentException(
                        "expected a regular expression written m/REGEX/ or m|REGEX|, got '" + abbreviate(s) + "'");
            }
            char d = s.charAt(1);
            int end = s.indexOf(d, 2);
            if (end < 0) {
                throw new IllegalArgumentException("regular expression has no closing '" + d + "': " + abbreviate(s));
            }
            String src = s.substring(2, end);
            int flags = 0;
            int k = end + 1;
            while (k < s.length() && !Character.isWhitespace(s.charAt(k))) {
                char f = s.charAt(k);
                switch (f) {
                    case 'i' -> flags |= Pattern.CASE_INSENSITIVE;
                    case 's' -> flags |= Pattern.DOTALL;
                    case 'm' -> flags |= Pattern.MULTILINE;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown regex flag '" + f + "' after " + d + src + d + ": expected i, s or m");
                }
                k++;
            }
            if (src.isEmpty()) {
                throw new IllegalArgumentException("empty regular expression");
            }
            try {
                return new Regex(Pattern.compile(src, flags), s.substring(k).strip());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regular expression " + d + abbreviate(src) + d + ": "
                        + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            }
        }

        /** Reads {@code key=value key="quoted value"…} and checks each template. */
        private static Map<String, String> fields(String s, int groups) {
            Map<String, String> out = new LinkedHashMap<>();
            int k = 0;
            while (k < s.length()) {
                if (Character.isWhitespace(s.charAt(k))) {
                    k++;
                    continue;
                }
                int eq = s.indexOf('=', k);
                int sp = indexOfSpace(s, k);
                if (eq < 0 || (sp >= 0 && sp < eq)) {
                    throw new IllegalArgumentException(
                            "expected key=value, got '" + s.substring(k, sp < 0 ? s.length() : sp) + "'");
                }
                String key = s.substring(k, eq);
                if (!KEY.matcher(key).matches()) {
                    throw new IllegalArgumentException(
                            "bad field name '" + key + "': a lower-case word such as product, version or title");
                }
                String value;
                k = eq + 1;
                if (k < s.length() && s.charAt(k) == '"') {
                    StringBuilder v = new StringBuilder();
                    k++;
                    boolean closed = false;
                    while (k < s.length()) {
                        char c = s.charAt(k++);
                        if (c == '\\' && k < s.length()) {
                            v.append(s.charAt(k++));
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            v.append(c);
                        }
                    }
                    if (!closed) {
                        throw new IllegalArgumentException("value of " + key + " has no closing '\"'");
                    }
                    value = v.toString();
                } else {
                    int end = indexOfSpace(s, k);
                    value = s.substring(k, end < 0 ? s.length() : end);
                    k = end < 0 ? s.length() : end;
                }
                if (out.containsKey(key)) {
                    throw new IllegalArgumentException("field " + key + " is given twice");
                }
                try {
                    Templates.check(value, groups);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ": " + e.getMessage());
                }
                out.put(key, value);
            }
            return out;
        }

        private static List<String> words(String s, String keyword) {
            List<String> out = new ArrayList<>();
            for (String w : s.split("[\\s,]+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("'" + keyword + "' needs at least one value");
            }
            return out;
        }
    }

    /** Decodes a double-quoted payload with escapes \r \n \t \0 \e \\ \" \xHH. ASCII only. */
    static byte[] quoted(String s) {
        if (s.length() < 2 || s.charAt(0) != '"') {
            throw new IllegalArgumentException(
                    "expected a double-quoted payload such as \"GET / HTTP/1.0\\r\\n\\r\\n\", got '" + abbreviate(s)
                            + "'");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int k = 1;
        while (true) {
            if (k >= s.length()) {
                throw new IllegalArgumentException("payload has no closing '\"'");
            }
            char c = s.charAt(k++);
            if (c == '"') {
                break;
            }
            if (c > 0x7e || c < 0x20) {
                throw new IllegalArgumentException(String.format(
                        "payload character U+%04X is not printable ASCII: write bytes as \\xHH", (int) c));
            }
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (k >= s.length()) {
                throw new IllegalArgumentException("payload ends in a lone backslash");
            }
            char e = s.charAt(k++);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case 'e' -> out.write(0x1b);
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case 'x' -> {
                    if (k + 2 > s.length()
                            || Character.digit(s.charAt(k), 16) < 0
                            || Character.digit(s.charAt(k + 1), 16) < 0) {
                        throw new IllegalArgumentException("\\x in payload must be followed by two hex digits, got '\\x"
                                + s.substring(k, Math.min(s.length(), k + 2)) + "'");
                    }
                    out.write(Integer.parseInt(s.substring(k, k + 2), 16));
                    k += 2;
                }
                default ->
                    throw new IllegalArgumentException(
                            "unknown escape '\\" + e + "' in payload: expected \\r \\n \\t \\0 \\e \\\\ \\\" or \\xHH");
            }
        }
        if (k < s.length() && !s.substring(k).isBlank()) {
            throw new IllegalArgumentException("unexpected text after the payload: '"
                    + abbreviate(s.substring(k).strip()) + "'");
        }
        return out.toByteArray();
    }

    private static int indexOfSpace(String s) {
        return indexOfSpace(s, 0);
    }

    private static int indexOfSpace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static final class Builder {
        final String name;
        final Transport transport;
        final int line;
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        final List<PortRange> ports = new ArrayList<>();
        final List<String> hints = new ArrayList<>();
        final List<String> inside = new ArrayList<>();
        final List<ResponseMatcher> matchers = new ArrayList<>();
        Signature.Handler handler = Signature.Handler.NONE;
        boolean broken;

        Builder(String name, Transport transport, int line) {
            this.name = name;
            this.transport = transport;
            this.line = line;
        }
    }
}

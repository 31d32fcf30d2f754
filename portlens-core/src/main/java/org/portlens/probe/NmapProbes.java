package org.portlens.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.portlens.internal.BoundedRead;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * Reads nmap's {@code nmap-service-probes} (where nmap is installed; never copied into portlens)
 * into {@link Signature}s that a {@link Prober} runs after its own. Understood: {@code Probe},
 * {@code match}, {@code softmatch}, {@code ports}, {@code sslports} (as ports), {@code rarity}
 * and {@code fallback}. Ignored: {@code Exclude}, {@code totalwaitms}, {@code tcpwrappedms} and
 * {@code cpe:}. Perl expressions are translated (a bare {@code \0}, POSIX classes); those Java
 * still cannot compile are skipped and counted.
 *
 * <pre>{@code
 * NmapProbes.Loaded nmap = NmapProbes.load(Path.of("/usr/share/nmap/nmap-service-probes"), 7);
 * Prober p = Prober.builder().fallbackSignatures(nmap.signatures()).build();
 * }</pre>
 *
 * <p>Stateless; safe from any thread.
 */
public final class NmapProbes {

    /** A probes file holds at most this many bytes: nmap's own is about 2.5 MB. */
    public static final long MAX_BYTES = 16_000_000L;

    /** Where Debian's nmap package puts the file. */
    static final Path DEFAULT_PATH = Path.of("/usr/share/nmap/nmap-service-probes");

    /** Probe names are prefixed with this so that they cannot collide with portlens's own. */
    static final String PREFIX = "nmap-";

    private static final Map<Character, String> FIELDS =
            Map.of('p', "product", 'v', "version", 'i', "info", 'h', "hostname", 'o', "os", 'd', "device");

    private NmapProbes() {}

    /**
     * What was read.
     *
     * <p>Immutable; safe from any thread.
     *
     * @param signatures the probes, in file order, without those rarer than asked
     * @param matchers   how many match and softmatch lines were taken
     * @param skipped    how many match and softmatch lines were left out (Java cannot compile them…)
     * @param problems   {@code FILE:LINE: reason} for each line left out
     */
    public record Loaded(List<Signature> signatures, int matchers, int skipped, List<String> problems) {
        /**
         * Copies the lists.
         *
         * @param signatures the probes, in file order; copied
         * @param matchers   how many match and softmatch lines were taken
         * @param skipped    how many match and softmatch lines were left out
         * @param problems   one line for each line left out; copied
         */
        public Loaded {
            signatures = List.copyOf(signatures);
            problems = List.copyOf(problems);
        }
    }

    /** True when nmap's probes file is where Debian puts it. */
    static boolean installed() {
        return Files.isReadable(DEFAULT_PATH);
    }

    /**
     * Reads a {@code nmap-service-probes} file.
     *
     * @param file      the file, read as ISO-8859-1
     * @param maxRarity leave out probes with a higher {@code rarity} (1-9; nmap's default intensity is 7)
     * @return the probes and matchers that could be used, with the lines left out
     * @throws IOException when the file cannot be read, holds more than {@link #MAX_BYTES} or does not end
     *                     within 10 seconds
     */
    public static Loaded load(Path file, int maxRarity) throws IOException {
        byte[] raw;
        try {
            raw = BoundedRead.file(file, MAX_BYTES, Duration.ofSeconds(10));
        } catch (BoundedRead.TooLarge | BoundedRead.TooSlow e) {
            throw new IOException(
                    file + ": " + e.getMessage() + " (the limit for nmap's probes file is "
                            + BoundedRead.size(MAX_BYTES) + " and 10 s; nmap's own is about 2.5 MB)",
                    e);
        }
        return parse(new String(raw, StandardCharsets.ISO_8859_1), file.toString(), maxRarity);
    }

    /** Parses the text of a {@code nmap-service-probes} file; never throws for its content. */
    static Loaded parse(String text, String fileName, int maxRarity) {
        List<Draft> drafts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int matchers = 0;
        int skipped = 0;
        Draft current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            String where = fileName + ":" + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sp = line.indexOf(' ');
            String keyword = sp < 0 ? line : line.substring(0, sp);
            String rest = sp < 0 ? "" : line.substring(sp + 1).strip();
            try {
                switch (keyword) {
                    case "Probe" -> {
                        current = probe(rest, where);
                        drafts.add(current);
                    }
                    case "match", "softmatch" -> {
                        if (current == null) {
                            throw new IllegalArgumentException("match before any Probe line");
                        }
                        current.matchers.add(matcher(keyword.equals("softmatch"), rest, where));
                        matchers++;
                    }
                    case "ports", "sslports" -> {
                        if (current != null) {
                            for (String p : rest.split(",")) {
                                if (!p.isBlank()) {
                                    current.ports.add(PortRange.parse(p.strip()));
                                }
                            }
                        }
                    }
                    case "rarity" -> {
                        if (current != null) {
                            current.rarity = Integer.parseInt(rest.strip());
                        }
                    }
                    case "fallback" -> {
                        if (current != null) {
                            for (String f : rest.split(",")) {
                                current.fallback.add(f.strip());
                            }
                        }
                    }
                    default -> {
                        // Exclude, totalwaitms, tcpwrappedms: not used
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
                if (keyword.equals("Probe")) {
                    current = null;
                } else if (keyword.endsWith("match")) {
                    skipped++;
                }
            }
        }
        Map<String, Draft> byName = new LinkedHashMap<>();
        for (Draft d : drafts) {
            byName.putIfAbsent(d.transport.label() + " " + d.name, d);
        }
        List<Signature> out = new ArrayList<>();
        for (Draft d : drafts) {
            if (d.rarity > maxRarity || (d.payload.length == 0 && d.transport == Transport.UDP)) {
                continue;
            }
            List<ResponseMatcher> all = new ArrayList<>(d.matchers);
            for (String f : d.fallback) {
                Draft other = byName.get(d.transport.label() + " " + f);
                if (other != null && other != d && other.payload.length > 0) {
                    all.addAll(other.matchers);
                }
            }
            if (all.isEmpty()) {
                continue;
            }
            out.add(new Signature(
                    PREFIX + d.name,
                    d.transport,
                    d.payload,
                    d.ports,
                    List.of(),
                    Signature.Handler.NONE,
                    List.of(),
                    all,
                    d.origin));
        }
        return new Loaded(out, matchers, skipped, problems);
    }

    private static final class Draft {
        final String name;
        final Transport transport;
        final byte[] payload;
        final String origin;
        final List<PortRange> ports = new ArrayList<>();
        final List<ResponseMatcher> matchers = new ArrayList<>();
        final List<String> fallback = new ArrayList<>();
        int rarity = 1;

        Draft(String name, Transport transport, byte[] payload, String origin) {
            this.name = name;
            this.transport = transport;
            this.payload = payload;
            this.origin = origin;
        }
    }

    /** {@code TCP NAME q|PAYLOAD| [no-payload]}. */
    private static Draft probe(String rest, String where) {
        String[] w = rest.split(" ", 3);
        if (w.length < 3 || !w[2].startsWith("q") || w[2].length() < 3) {
            throw new IllegalArgumentException("expected 'Probe TCP|UDP NAME q|PAYLOAD|'");
        }
        Transport t = switch (w[0]) {
            case "TCP" -> Transport.TCP;
            case "UDP" -> Transport.UDP;
            default -> throw new IllegalArgumentException("unknown probe transport " + w[0]);
        };
        char d = w[2].charAt(1);
        int end = w[2].indexOf(d, 2);
        if (end < 0) {
            throw new IllegalArgumentException("payload has no closing " + d);
        }
        return new Draft(w[1], t, unescape(w[2].substring(2, end)), where);
    }

    /** nmap's C-style payload escapes: \\ \0 \a \b \f \n \r \t \v \xHH. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.write(c & 0xff);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '0' -> out.write(0);
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                case 'x' -> {
                    if (i + 2 < s.length()
                            && Character.digit(s.charAt(i + 1), 16) >= 0
                            && Character.digit(s.charAt(i + 2), 16) >= 0) {
                        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    } else {
                        throw new IllegalArgumentException("bad \\x escape in payload");
                    }
                }
                default -> out.write(e & 0xff);
            }
        }
        return out.toByteArray();
    }

    /** {@code SERVICE m|REGEX|FLAGS p/…/ v/…/ i/…/ …}. */
    private static ResponseMatcher matcher(boolean soft, String rest, String where) {
        int sp = rest.indexOf(' ');
        if (sp < 0) {
            throw new IllegalArgumentException("expected 'match SERVICE m|REGEX|'");
        }
        String service = rest.substring(0, sp).toLowerCase(Locale.ROOT);
        String r = rest.substring(sp + 1).strip();
        if (r.length() < 3 || r.charAt(0) != 'm') {
            throw new IllegalArgumentException("expected m|REGEX| after the service name");
        }
        char d = r.charAt(1);
        int end = r.indexOf(d, 2);
        if (end < 0) {
            throw new IllegalArgumentException("regular expression has no closing " + d);
        }
        String perl = r.substring(2, end);
        int k = end + 1;
        int flags = 0;
        while (k < r.length() && (r.charAt(k) == 's' || r.charAt(k) == 'i')) {
            flags |= r.charAt(k) == 's' ? Pattern.DOTALL : Pattern.CASE_INSENSITIVE;
            k++;
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(javaRegex(perl), flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("Java cannot compile the expression: " + e.getDescription());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        int groups = pattern.matcher("").groupCount();
        while (k < r.length()) {
            char c = r.charAt(k);
            if (c == ' ') {
                k++;
                continue;
            }
            if (r.startsWith("cpe:", k)) {
                char cd = r.charAt(k + 4);
                int ce = r.indexOf(cd, k + 5);
                if (ce < 0) {
                    throw new IllegalArgumentException("cpe has no closing " + cd);
                }
                k = ce + 1;
                if (k < r.length() && r.charAt(k) == 'a') {
                    k++;
                }
                continue;
            }
            if (k + 1 >= r.length()) {
                throw new IllegalArgumentException("dangling version field '" + c + "'");
            }
            char vd = r.charAt(k + 1);
            int ve = r.indexOf(vd, k + 2);
            if (ve < 0) {
                throw new IllegalArgumentException("version field " + c + " has no closing " + vd);
            }
            String key = FIELDS.get(c);
            if (key != null) {
                String template = r.substring(k + 2, ve);
                Templates.check(template, groups);
                fields.putIfAbsent(key, template);
            }
            k = ve + 1;
        }
        return new ResponseMatcher(service, soft, pattern, fields, List.of(), where);
    }

    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alpha", "\\p{Alpha}"),
            Map.entry("digit", "\\d"),
            Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("space", "\\s"),
            Map.entry("upper", "\\p{Upper}"),
            Map.entry("lower", "\\p{Lower}"),
            Map.entry("punct", "\\p{Punct}"),
            Map.entry("xdigit", "\\p{XDigit}"),
            Map.entry("print", "\\p{Print}"),
            Map.entry("cntrl", "\\p{Cntrl}"),
            Map.entry("graph", "\\p{Graph}"),
            Map.entry("word", "\\w"),
            Map.entry("blank", "\\p{Blank}"));

    /**
     * Translates the Perl constructs Java reads differently: {@code \0} (NUL), {@code [:class:]},
     * and a <code>{</code> that starts no quantifier.
     */
    static String javaRegex(String perl) {
        StringBuilder sb = new StringBuilder(perl.length() + 16);
        for (int i = 0; i < perl.length(); i++) {
            char c = perl.charAt(i);
            if (c == '\\' && i + 1 < perl.length()) {
                char n = perl.charAt(i + 1);
                if (n == '0' && (i + 2 >= perl.length() || perl.charAt(i + 2) < '0' || perl.charAt(i + 2) > '7')) {
                    sb.append("\\x00");
                } else {
                    sb.append(c).append(n);
                }
                i++;
            } else if (c == '{' && !perl.substring(i).matches("(?s)\\{\\d+(?:,\\d*)?}.*")) {
                sb.append("\\{"); // Perl reads a brace that starts no quantifier as itself; Java refuses it
            } else if (c == '[' && perl.startsWith("[:", i)) {
                int close = perl.indexOf(":]", i + 2);
                String cls = close < 0 ? null : POSIX.get(perl.substring(i + 2, close));
                if (cls != null) {
                    sb.append(cls);
                    i = close + 1;
                } else {
                    sb.append(c);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

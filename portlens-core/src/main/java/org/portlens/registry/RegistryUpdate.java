package org.portlens.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portlens.internal.BoundedRead;
import org.portlens.model.Transport;

/**
 * Fetching, checking and preparing a new copy of IANA's registry. Nothing here touches the
 * installed copy; {@link RegistryStore#install} does, atomically, once a candidate has passed.
 *
 * <p>Static methods only; safe from any thread, and a {@link Candidate} is immutable.
 */
public final class RegistryUpdate {

    /** IANA's own address for the registry's XML. */
    public static final String IANA_XML =
            "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xml";

    /** At most this many bytes are read from a registry source: IANA's XML is about 1.5 MB. */
    public static final long MAX_BYTES = 50_000_000L;

    /** How long a registry update may take by default: connect, response and body, or reading a file. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** Fewer records than this and the file is not the whole registry. */
    static final int MIN_RECORDS = 5000;

    private RegistryUpdate() {}

    /** A parsed, validated registry ready to install with {@link RegistryStore#install}. Immutable. */
    public static final class Candidate {
        private final byte[] compact;
        private final Registry registry;
        private final String format;
        private final List<String> problems;

        Candidate(byte[] compact, Registry registry, String format, List<String> problems) {
            this.compact = compact.clone();
            this.registry = registry;
            this.format = format;
            this.problems = List.copyOf(problems);
        }

        /** The encoded registry, as installed. */
        byte[] compact() {
            return compact.clone();
        }

        /**
         * The registry, ready to use.
         *
         * @return the decoded candidate, the same one on each call
         */
        public Registry registry() {
            return registry;
        }

        /**
         * Its date, source, checksum and counts.
         *
         * @return the candidate's {@link Registry#info()}, counted anew on each call
         */
        public Registry.Info info() {
            return registry.info();
        }

        /**
         * {@code xml} or {@code csv}.
         *
         * @return the format the source was found to be in
         */
        public String format() {
            return format;
        }

        /**
         * Rows skipped as malformed, one line each.
         *
         * @return the problems, unmodifiable; empty when every row was read
         */
        public List<String> problems() {
            return problems;
        }
    }

    /**
     * Reads the bytes at {@code from}: an http(s) URL, a file: URL or a path; at most {@link #MAX_BYTES}
     * and within {@code timeout}.
     *
     * @param from    an http or https URL, a file: URL or a file name
     * @param timeout for the whole read: the connect, the response and the body, or the file
     * @return the whole content, unchecked
     * @throws RegistryFetchException naming the source, what went wrong and, for a limit, the limit;
     *                                its {@link RegistryFetchException#reason()} says whose fault it is
     */
    public static byte[] fetch(String from, Duration timeout) {
        long start = System.nanoTime();
        Matcher scheme = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://").matcher(from);
        if (scheme.find() && !scheme.group(1).matches("(?i)https?|file")) {
            throw new RegistryFetchException("unsupported URL scheme '" + scheme.group(1) + "' in " + from
                    + ": expected an http or https URL, a file: URL or a file name");
        }
        if (from.startsWith("http://") || from.startsWith("https://")) {
            URI uri;
            try {
                uri = URI.create(from);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("no host");
                }
            } catch (IllegalArgumentException e) {
                throw new RegistryFetchException("not a usable URL: " + from + " (" + e.getMessage() + ")");
            }
            try {
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("User-Agent", "portlens registry update")
                        .GET()
                        .build();
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status != 200) {
                    response.body().close();
                    throw new RegistryFetchException(
                            "HTTP " + status + " from " + from + ": expected 200",
                            status >= 500
                                    ? RegistryFetchException.Reason.NETWORK
                                    : RegistryFetchException.Reason.BAD_SOURCE);
                }
                long length =
                        response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (length > MAX_BYTES) {
                    response.body().close();
                    throw tooLarge(from);
                }
                Duration left = timeout.minusNanos(System.nanoTime() - start);
                return BoundedRead.stream(response.body(), MAX_BYTES, left.isNegative() ? Duration.ofMillis(1) : left);
            } catch (BoundedRead.TooLarge e) {
                throw tooLarge(from);
            } catch (BoundedRead.TooSlow e) {
                throw timedOut(from, timeout, " (" + e.received() + " bytes received; --timeout gives more time)");
            } catch (HttpTimeoutException e) {
                throw timedOut(from, timeout, " (--timeout gives more time)");
            } catch (IOException e) {
                throw new RegistryFetchException(
                        "cannot fetch " + from + ": " + networkWords(e, uri), RegistryFetchException.Reason.NETWORK);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryFetchException(
                        "interrupted while fetching " + from, RegistryFetchException.Reason.NETWORK);
            } catch (IllegalArgumentException e) {
                throw new RegistryFetchException("not a usable URL: " + from + " (" + e.getMessage() + ")");
            }
        }
        Path path;
        try {
            path = from.startsWith("file:") ? Path.of(URI.create(from)) : Path.of(from);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new RegistryFetchException(
                    "not a usable file name or file: URL: " + from + " (" + e.getMessage() + ")");
        }
        try {
            return BoundedRead.file(path, MAX_BYTES, timeout);
        } catch (NoSuchFileException e) {
            throw new RegistryFetchException("no such file: " + path);
        } catch (BoundedRead.TooLarge e) {
            throw tooLarge(path.toString());
        } catch (BoundedRead.TooSlow e) {
            throw new RegistryFetchException("cannot read " + path + ": it did not end within "
                    + BoundedRead.seconds(timeout) + " (" + e.received() + " bytes read): a pipe or a device?");
        } catch (IOException e) {
            throw new RegistryFetchException("cannot read " + path + ": " + describe(e));
        }
    }

    private static RegistryFetchException tooLarge(String source) {
        return new RegistryFetchException(
                source + " holds more than " + BoundedRead.size(MAX_BYTES)
                        + ", the limit for a registry (IANA's XML is about 1.5 MB)",
                RegistryFetchException.Reason.TOO_LARGE);
    }

    private static RegistryFetchException timedOut(String from, Duration timeout, String more) {
        return new RegistryFetchException(
                "cannot fetch " + from + ": timed out after " + BoundedRead.seconds(timeout) + more,
                RegistryFetchException.Reason.TIMED_OUT);
    }

    /** A network failure in words: "connection refused by 127.0.0.1:8080", "unknown host example.invalid". */
    static String networkWords(IOException e, URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host " + uri.getHost();
            }
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("refused")) {
                return "connection refused by " + uri.getHost() + ":" + port;
            }
            if (m.contains("no route") || m.contains("unreachable")) {
                return "no route to " + uri.getHost() + ":" + port;
            }
        }
        if (e instanceof ConnectException) {
            Throwable last = e;
            while (last.getCause() != null) {
                last = last.getCause();
            }
            if (last instanceof ClosedChannelException) {
                // how the JDK's client reports a refused connect: a wordless ConnectException over a closed channel
                return "connection refused by " + uri.getHost() + ":" + port;
            }
            return "cannot connect to " + uri.getHost() + ":" + port + " (" + describe(e) + ")";
        }
        return describe(e);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * Parses (XML or CSV, by content), validates and encodes.
     *
     * @param raw        the content of IANA's XML or CSV file
     * @param source     where the content came from, recorded in {@link Registry.Info#source()}
     * @param fallback   the registry whose people resolve person ids when the source has none (CSV)
     * @param importedAt when the import happened ({@link #now()}), or empty
     * @return a candidate that passed {@link #validate}, with the rows that were skipped
     * @throws RegistryFormatException when the content is not the registry or fails a check
     */
    public static Candidate prepare(byte[] raw, String source, Registry fallback, String importedAt) {
        return prepare(raw, source, fallback.peopleList(), importedAt);
    }

    static Candidate prepare(byte[] raw, String source, List<ParsedRegistry.Person> fallbackPeople, String importedAt) {
        String format = detect(raw);
        ParsedRegistry parsed = format.equals("xml") ? IanaXmlParser.parse(raw) : IanaCsvParser.parse(raw);
        if (parsed.people().isEmpty() && !fallbackPeople.isEmpty()) {
            parsed = new ParsedRegistry(parsed.updated(), parsed.rows(), fallbackPeople, parsed.problems());
        }
        String updated = parsed.updated();
        if (updated.isEmpty()) {
            updated = latestDate(parsed);
        }
        RegistryCodec.Metadata meta =
                new RegistryCodec.Metadata(updated, source, sha256(raw), importedAt.isEmpty() ? "" : importedAt);
        byte[] compact = RegistryCodec.encode(parsed, meta);
        Registry registry = RegistryCodec.decode(compact);
        validate(registry);
        return new Candidate(compact, registry, format, parsed.problems());
    }

    /**
     * Now, as the import time to record.
     *
     * @return the current instant in ISO-8601, such as {@code 2025-01-31T12:00:00.123Z}
     */
    public static String now() {
        return Instant.now().toString();
    }

    static String detect(byte[] raw) {
        int i = 0;
        if (raw.length >= 3 && (raw[0] & 0xff) == 0xEF && (raw[1] & 0xff) == 0xBB && (raw[2] & 0xff) == 0xBF) {
            i = 3;
        }
        while (i < raw.length && Character.isWhitespace(raw[i])) {
            i++;
        }
        if (i < raw.length && raw[i] == '<') {
            return "xml";
        }
        String head = new String(
                raw, i, Math.min(raw.length - i, IanaCsvParser.HEADER_START.length()), StandardCharsets.UTF_8);
        if (head.equals(IanaCsvParser.HEADER_START)) {
            return "csv";
        }
        if (i == raw.length) {
            throw new RegistryFormatException(
                    "not IANA's registry XML or CSV: it is empty" + (i > 0 ? " (only white space)" : ""));
        }
        String shown =
                new String(raw, i, Math.min(raw.length - i, 24), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
        throw new RegistryFormatException("not IANA's registry XML or CSV: it starts with '" + shown + "'");
    }

    /** The newest registration or modification date, for a CSV that carries no date of its own. */
    private static String latestDate(ParsedRegistry parsed) {
        String latest = "";
        for (ParsedRegistry.Row r : parsed.rows()) {
            if (r.modified().compareTo(latest) > 0) {
                latest = r.modified();
            }
            if (r.registered().compareTo(latest) > 0) {
                latest = r.registered();
            }
        }
        return latest;
    }

    /**
     * The checks a registry must pass before it replaces the installed one.
     *
     * @param registry the registry to check
     * @throws RegistryFormatException naming the check that failed
     */
    public static void validate(Registry registry) {
        if (registry.size() < MIN_RECORDS) {
            throw new RegistryFormatException("only " + registry.size() + " records: expected at least " + MIN_RECORDS
                    + " (a truncated or partial file?)");
        }
        expect(registry, 80, "http");
        expect(registry, 443, "https");
        expect(registry, 22, "ssh");
    }

    private static void expect(Registry registry, int port, String name) {
        boolean found = registry.byPort(port, Transport.TCP).stream()
                .anyMatch(r -> r.serviceName().equals(name));
        if (!found) {
            throw new RegistryFormatException("sanity check failed: " + port + "/tcp should be '" + name + "'");
        }
    }

    static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

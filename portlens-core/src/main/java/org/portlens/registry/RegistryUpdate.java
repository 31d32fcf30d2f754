package org.portlens.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
     * Reads the bytes at {@code from}: an http(s) URL, a file: URL or a path.
     *
     * @param from    an http or https URL, a file: URL or a file name
     * @param timeout for the connect, the response headers and each wait for more of the body; not for files
     * @return the whole content, unchecked
     * @throws RegistryFetchException naming the source and what went wrong
     */
    public static byte[] fetch(String from, Duration timeout) {
        if (from.startsWith("http://") || from.startsWith("https://")) {
            try {
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
                HttpRequest request = HttpRequest.newBuilder(URI.create(from))
                        .timeout(timeout)
                        .header("User-Agent", "portlens registry update")
                        .GET()
                        .build();
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    response.body().close();
                    throw new RegistryFetchException(
                            "HTTP " + response.statusCode() + " from " + from + ": expected 200");
                }
                return readBody(response.body(), from, timeout);
            } catch (IOException e) {
                throw new RegistryFetchException("cannot fetch " + from + ": " + describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryFetchException("interrupted while fetching " + from);
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
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new RegistryFetchException("no such file: " + path);
        } catch (IOException e) {
            throw new RegistryFetchException("cannot read " + path + ": " + describe(e));
        }
    }

    /**
     * Reads a response body, giving up when no byte arrives for {@code timeout}. The request's own
     * timeout ends once the headers are in; without this a server that stalls mid-body would hold
     * the update for as long as it keeps the connection open.
     */
    private static byte[] readBody(InputStream in, String from, Duration timeout) throws IOException {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portlens-fetch-watchdog");
            t.setDaemon(true);
            return t;
        });
        long limit = timeout.toNanos();
        long period = Math.max(10_000_000L, Math.min(limit / 4, 1_000_000_000L));
        watchdog.scheduleAtFixedRate(
                () -> {
                    if (System.nanoTime() - lastProgress.get() > limit) {
                        stalled.set(true);
                        try {
                            in.close(); // ends the blocked read
                        } catch (IOException ignored) {
                            // closing is all we can do
                        }
                    }
                },
                period,
                period,
                TimeUnit.NANOSECONDS);
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 22);
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                lastProgress.set(System.nanoTime());
            }
            if (stalled.get()) {
                throw stalledException(from, timeout, out.size());
            }
            return out.toByteArray();
        } catch (IOException e) {
            if (stalled.get()) {
                throw stalledException(from, timeout, -1);
            }
            throw e;
        } finally {
            watchdog.shutdownNow();
        }
    }

    private static RegistryFetchException stalledException(String from, Duration timeout, int received) {
        return new RegistryFetchException("cannot fetch " + from + ": no data for " + timeout.toMillis() / 1000.0
                + " s, the download stalled" + (received >= 0 ? " after " + received + " bytes" : ""));
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

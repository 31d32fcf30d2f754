package org.portlens.web;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.portlens.Explainer;
import org.portlens.Explanation;
import org.portlens.model.PortRange;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUses;
import org.portlens.registry.Registry;
import org.portlens.web.json.Json;

/**
 * {@code portlens site}: the whole reference as static files for any web server, without the live
 * parts: {@code index.html} (the search, run in the browser over {@code search-index.json}), one page
 * per port at {@code port/N/index.html}, {@code sitemap.xml} (an index of sitemaps of at most 50,000
 * addresses each, as the sitemap protocol asks), the style sheet and script, and {@code 404.html}.
 *
 * <p>The site is built in a new directory beside the target and moved into place when complete, so a
 * failed build leaves the target as it was. A target that exists must be empty or an earlier site
 * (it holds {@value #MARKER}).
 *
 * <p>Immutable; safe from any thread.
 */
public final class Site {

    /** The file that marks a directory as a portlens site, so that a rebuild may replace it. */
    public static final String MARKER = ".portlens-site";

    /** The sitemap protocol's limit of addresses per file. */
    static final int SITEMAP_LIMIT = 50_000;

    private Site() {}

    /**
     * What a build made.
     *
     * @param pages port pages written
     * @param bytes bytes written in all
     * @param took  how long it took
     */
    public record Result(int pages, long bytes, Duration took) {}

    /**
     * Builds the site.
     *
     * @param out      the target directory
     * @param registry the registry to write from
     * @param ports    the ports that get a page (all: 0-65535)
     * @param lang     the language of the fixed text, one of {@link Messages#LANGUAGES}
     * @param baseUrl  the address the site will be served at, for the sitemap, ending in {@code /}
     * @param version  portlens's version, for the footer
     * @param threads  how many pages are written at once
     * @return what was written
     * @throws IllegalArgumentException when {@code out} exists and is neither empty nor a portlens site
     * @throws UncheckedIOException     when writing fails; the target is left as it was
     */
    public static Result build(
            Path out, Registry registry, PortRange ports, String lang, String baseUrl, String version, int threads) {
        long t0 = System.nanoTime();
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new IllegalArgumentException(target + " is a file: give a directory for the site");
            }
            if (!Files.exists(target.resolve(MARKER)) && !empty(target)) {
                throw new IllegalArgumentException(
                        target + " is not empty and holds no portlens site: give an empty or new directory");
            }
        }
        Path parent = target.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("the site cannot be the root directory");
        }
        Path work;
        try {
            Files.createDirectories(parent);
            work = Files.createTempDirectory(parent, "." + target.getFileName() + ".building-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write in " + parent + ": " + e.getMessage(), e);
        }
        try {
            // a web server's user reads the site: not the 0700 of a temporary directory
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
            long bytes = write(work, registry, ports, Messages.of(lang), baseUrl, version, threads);
            swap(work, target);
            return new Result(ports.high() - ports.low() + 1, bytes, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            deleteQuietly(work);
            throw new UncheckedIOException("site not written: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(work);
            throw e;
        }
    }

    private static long write(
            Path dir, Registry registry, PortRange ports, Messages m, String baseUrl, String version, int threads)
            throws IOException {
        AtomicLong bytes = new AtomicLong();
        String date = registry.info().updated();
        Files.writeString(dir.resolve(MARKER), "portlens site " + version + "\n");
        Path staticDir = Files.createDirectories(dir.resolve("static"));
        for (String f : List.of("portlens.css", "portlens.js", "favicon.svg")) {
            try (InputStream in = Site.class.getResourceAsStream("static/" + f)) {
                if (in == null) {
                    throw new IOException("missing resource " + f);
                }
                bytes.addAndGet(Files.copy(in, staticDir.resolve(f)));
            }
        }
        Page home = new Page(m, Links.site(0), "portlens", "", false, version, date, null);
        bytes.addAndGet(
                writeString(dir.resolve("index.html"), Templates.index(home, new Search("", null, List.of(), false))));
        bytes.addAndGet(writeString(
                dir.resolve("404.html"),
                Templates.error(
                        // served for any missing path: links from the site's root, not relative
                        new Page(m, Links.rooted(rootPath(baseUrl)), "404", "", false, version, date, null),
                        404,
                        "no page here: ports are 0-65535")));
        bytes.addAndGet(searchIndex(dir.resolve("search-index.json"), registry));
        bytes.addAndGet(sitemaps(dir, ports, baseUrl, SITEMAP_LIMIT));

        Explainer explainer = Explainer.builder()
                .registry(registry)
                .knownUses(KnownUses.bundled())
                .build();
        Path portDir = Files.createDirectories(dir.resolve("port"));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> parts = new ArrayList<>();
            int n = Math.max(1, threads) * 4;
            int span = ports.high() - ports.low() + 1;
            for (int i = 0; i < n; i++) {
                int lo = ports.low() + (int) ((long) span * i / n);
                int hi = ports.low() + (int) ((long) span * (i + 1) / n) - 1;
                parts.add(pool.submit(() -> {
                    for (int p = lo; p <= hi; p++) {
                        Explanation e = explainer.explain(PortRange.of(p), Optional.empty());
                        PortView v = new PortView(p, null, e, false, null, Map.of(), Map.of(), null, false, null);
                        Page page = new Page(m, Links.site(2), m.f("port.tab", p), "", false, version, date, null);
                        Path d = portDir.resolve(Integer.toString(p));
                        try {
                            Files.createDirectory(d);
                            bytes.addAndGet(writeString(d.resolve("index.html"), Templates.port(page, v)));
                        } catch (IOException x) {
                            throw new UncheckedIOException(x);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException x) {
                    Throwable c = x.getCause();
                    if (c instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    throw new IllegalStateException(c);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", x);
                }
            }
        } finally {
            pool.shutdownNow();
            try {
                // every writer stopped before the work directory may be deleted
                pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
        return bytes.get();
    }

    /** Every assigned record as {@code [port, portHigh, transport, name, description]}, for the page script. */
    private static long searchIndex(Path file, Registry registry) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
                JsonGenerator g = Json.MAPPER.getFactory().createGenerator(os)) {
            g.writeStartObject();
            g.writeStringField("schema", Json.SCHEMA);
            g.writeStringField("kind", "search-index");
            g.writeArrayFieldStart("records");
            for (IanaRecord r : registry.all()) {
                if (r.ports() == null || r.unassigned() || r.serviceName().isEmpty()) {
                    continue;
                }
                g.writeStartArray();
                g.writeNumber(r.ports().low());
                g.writeNumber(r.ports().high());
                g.writeString(r.transport() == null ? "" : r.transport().label());
                g.writeString(r.serviceName());
                g.writeString(r.description());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return Files.size(file);
    }

    static long sitemaps(Path dir, PortRange ports, String baseUrl, int limit) throws IOException {
        long bytes = 0;
        List<String> maps = new ArrayList<>();
        String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        // the home page, then every port page: at most limit addresses per file
        int total = ports.high() - ports.low() + 2;
        for (int part = 0; part * limit < total; part++) {
            String name = "sitemap-" + (part + 1) + ".xml";
            maps.add(name);
            Path f = dir.resolve(name);
            try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
                int first = part * limit;
                int last = Math.min(total, first + limit) - 1;
                for (int i = first; i <= last; i++) {
                    String loc = i == 0 ? xml(base) : xml(base) + "port/" + (ports.low() + i - 1) + "/";
                    w.write("<url><loc>" + loc + "</loc></url>\n");
                }
                w.write("</urlset>\n");
            }
            bytes += Files.size(f);
        }
        StringBuilder index = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (String m : maps) {
            index.append("<sitemap><loc>").append(xml(base)).append(m).append("</loc></sitemap>\n");
        }
        index.append("</sitemapindex>\n");
        return bytes + writeString(dir.resolve("sitemap.xml"), index.toString());
    }

    /** The path of a base address ({@code https://example.org/ports/} gives {@code /ports/}). */
    static String rootPath(String baseUrl) {
        String rest = baseUrl.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "");
        if (rest.isEmpty()) {
            return "/";
        }
        return rest.endsWith("/") ? rest : rest + "/";
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static long writeString(Path f, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Files.write(f, b);
        return b.length;
    }

    /** Puts the new site in place of the old: the old one moves aside first and is deleted after. */
    private static void swap(Path work, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteQuietly(old);
        }
    }

    private static boolean empty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteQuietly(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: what is left is a hidden directory beside the target
        }
    }
}

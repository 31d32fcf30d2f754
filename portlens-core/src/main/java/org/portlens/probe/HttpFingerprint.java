package org.portlens.probe;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Guesses the product of an HTTP server that does not name itself (no Server header) from the shape
 * of its answer to {@code GET /}: the order and spelling of its header names, and the body of its
 * built-in error and listing pages. A guess, always said to be one, with the evidence and a
 * confidence: "high" when a built-in page names the product, "medium" for a body or a full header
 * order seen only from that product, "low" for a partial header order. The table holds only what
 * was recorded from real servers (test fixture {@code HttpAnswers}, docs/probes.md). Stateless;
 * safe from any thread.
 */
final class HttpFingerprint {

    /**
     * One row of the table.
     *
     * @param product    the product guessed
     * @param evidence   what the guess rests on, in words
     * @param confidence high, medium or low
     * @param headers    true to match {@code pattern} against the header names joined by commas
     *                   ("Date,Content-Type,…", Server left out, spelling kept), false against the body
     */
    private record Rule(String product, String evidence, String confidence, boolean headers, Pattern pattern) {}

    private static final List<Rule> RULES = List.of(
            // bodies of built-in pages
            body("nginx", "its error page, which names it", "high", "<hr><center>nginx</center>"),
            body(
                    "lighttpd",
                    "its XHTML 1.0 error page",
                    "medium",
                    "(?s)^<\\?xml version=\"1\\.0\" encoding=\"iso-8859-1\"\\?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1\\.0"
                            + " Transitional//EN\".*<title>\\d{3} [^<]*</title>"),
            body(
                    "Apache httpd",
                    "its HTML 4.01 error page",
                    "medium",
                    "(?s)^<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4\\.01//EN\" \"http://www\\.w3\\.org/TR/html4/strict\\.dtd\">\n"
                            + "<html><head>\n<title>\\d{3} [^<]*</title>\n</head><body>\n<h1>"),
            body(
                    "Python http.server",
                    "its error page",
                    "medium",
                    "(?s)<title>Error response</title>.*<p>Error code: \\d{3}</p>\\s*<p>Message: "),
            body(
                    "Python http.server",
                    "its directory listing",
                    "medium",
                    "(?s)<title>Directory listing for [^<]*</title>.*<h1>Directory listing for "),
            body(
                    "BusyBox httpd",
                    "its upper-case error page",
                    "medium",
                    "^<HTML><HEAD><TITLE>\\d{3} [^<]*</TITLE></HEAD>\n<BODY><H1>\\d{3} "),
            // header order (Server left out)
            headers(
                    "lighttpd",
                    "header order: Date last, after Connection",
                    "medium",
                    "(?:^|,)Content-Type,(?:[\\w-]+,)*Content-Length,Connection,Date$"),
            headers(
                    "BusyBox httpd",
                    "header order: Date, Connection, then Content-type with a lower-case t",
                    "medium",
                    "^Date,Connection,Content-type(?:,|$)"),
            headers(
                    "Python http.server",
                    "header order and Content-type with a lower-case t",
                    "medium",
                    "^Date,Content-type,Content-Length,Last-Modified$"),
            headers(
                    "nginx",
                    "header order",
                    "medium",
                    "^Date,Content-Type,Content-Length,Last-Modified,Connection,ETag,Accept-Ranges$"),
            headers(
                    "Apache httpd",
                    "header order: Content-Type last",
                    "medium",
                    "^Date,Last-Modified,ETag,Accept-Ranges,Content-Length,(?:Connection,)?Content-Type$"),
            headers(
                    "Apache httpd",
                    "header order: Content-Type last",
                    "low",
                    "^Date,(?:[\\w-]+,)*Connection,Content-Type$"),
            headers("lighttpd", "header order: Date last", "low", ",Date$"));

    private HttpFingerprint() {}

    private static Rule body(String product, String evidence, String confidence, String regex) {
        return new Rule(product, evidence, confidence, false, Pattern.compile(regex));
    }

    private static Rule headers(String product, String evidence, String confidence, String regex) {
        return new Rule(product, evidence, confidence, true, Pattern.compile(regex));
    }

    /**
     * The guess for an HTTP answer that has no Server header: "likely lighttpd (from header order:
     * Date last, after Connection; confidence medium)"; empty when it has one or nothing fits.
     */
    static Optional<String> guess(byte[] data, int length) {
        String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        StringBuilder names = new StringBuilder();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon);
            if (name.equalsIgnoreCase("server")) {
                return Optional.empty(); // it names itself: no guessing
            }
            names.append(names.length() == 0 ? "" : ",").append(name);
        }
        for (Rule r : RULES) {
            if (r.pattern().matcher(r.headers() ? names : body).find()) {
                return Optional.of(
                        "likely " + r.product() + " (from " + r.evidence() + "; confidence " + r.confidence() + ")");
            }
        }
        return Optional.empty();
    }
}

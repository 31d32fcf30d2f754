package org.portlens.probe;

/**
 * Answers of real HTTP servers, byte for byte (as ISO-8859-1 strings), for the HTTP fingerprints.
 *
 * <p>Recorded on Debian 12 (bookworm) packages, Linux 6.18, as root, on 2026-12-01, from servers
 * started by hand on 127.0.0.1 serving one index.html: the http-get probe's request ({@code GET /
 * HTTP/1.0}, User-Agent, Accept, {@code Connection: close}) and the same request for
 * {@code /portlens-no-such-page}, sent with a plain socket, everything read until the server closed.
 * {@link #withoutServer} takes the Server line out, as a proxy or a server told to hide it would, for
 * the servers that cannot drop it themselves (nginx, Apache, Python).
 */
final class HttpAnswers {

    private HttpAnswers() {}

    /** {@code answer} without its Server header line. */
    static String withoutServer(String answer) {
        return answer.replaceFirst("(?im)^server:[^\\r\\n]*\\r\\n", "");
    }

    /** lighttpd 1.4.69-1, {@code lighttpd -D -f CONF} with {@code server.tag = ""} (no Server header): GET /. */
    static final String LIGHTTPD_GET =
            "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nETag: \"2688267399\"\r\nLast-Modified: Tue, 01 Dec 2026 21:50:44 GMT\r\nContent-Length: 65\r\nConnection: close\r\nDate: Tue, 01 Dec 2026 21:50:54 GMT\r\n\r\n<html><head><title>portlens</title></head><body>hi</body></html>\n";

    /** lighttpd 1.4.69-1, {@code lighttpd -D -f CONF} with {@code server.tag = ""} (no Server header): GET of a missing page. */
    static final String LIGHTTPD_404 =
            "HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 341\r\nConnection: close\r\nDate: Tue, 01 Dec 2026 21:50:54 GMT\r\n\r\n<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n         \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n </body>\n</html>\n";

    /** nginx 1.22.1-9+deb12u11, {@code server_tokens off}: GET /. */
    static final String NGINX_GET =
            "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Tue, 01 Dec 2026 21:50:55 GMT\r\nContent-Type: text/html\r\nContent-Length: 65\r\nLast-Modified: Tue, 01 Dec 2026 21:50:44 GMT\r\nConnection: close\r\nETag: \"6b0f4134-41\"\r\nAccept-Ranges: bytes\r\n\r\n<html><head><title>portlens</title></head><body>hi</body></html>\n";

    /** nginx 1.22.1-9+deb12u11, {@code server_tokens off}: GET of a missing page. */
    static final String NGINX_404 =
            "HTTP/1.1 404 Not Found\r\nServer: nginx\r\nDate: Tue, 01 Dec 2026 21:50:55 GMT\r\nContent-Type: text/html\r\nContent-Length: 146\r\nConnection: close\r\n\r\n<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    /** {@code python3 -m http.server}, Python 3.11.7: GET /. */
    static final String PYTHON_GET =
            "HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.7\r\nDate: Tue, 01 Dec 2026 21:50:55 GMT\r\nContent-type: text/html\r\nContent-Length: 65\r\nLast-Modified: Tue, 01 Dec 2026 21:50:44 GMT\r\n\r\n<html><head><title>portlens</title></head><body>hi</body></html>\n";

    /** {@code python3 -m http.server}, Python 3.11.7: GET of a missing page. */
    static final String PYTHON_404 =
            "HTTP/1.0 404 File not found\r\nServer: SimpleHTTP/0.6 Python/3.11.7\r\nDate: Tue, 01 Dec 2026 21:50:55 GMT\r\nConnection: close\r\nContent-Type: text/html;charset=utf-8\r\nContent-Length: 335\r\n\r\n<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n    </body>\n</html>\n";

    /** {@code busybox httpd -f}, busybox 1:1.35.0-4+deb12u1+b1: GET /. */
    static final String BUSYBOX_GET =
            "HTTP/1.1 200 OK\r\nDate: Tue, 01 Dec 2026 21:50:55 GMT\r\nConnection: close\r\nContent-type: text/html\r\nAccept-Ranges: bytes\r\nLast-Modified: Tue, 01 Dec 2026 21:50:44 GMT\r\nETag: \"6b0f4134-41\"\r\nContent-Length: 65\r\n\r\n<html><head><title>portlens</title></head><body>hi</body></html>\n";

    /** {@code busybox httpd -f}, busybox 1:1.35.0-4+deb12u1+b1: GET of a missing page. */
    static final String BUSYBOX_404 =
            "HTTP/1.1 404 Not Found\r\nDate: Tue, 01 Dec 2026 21:50:55 GMT\r\nConnection: close\r\nContent-type: text/html\r\n\r\n<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n";

    /** apache2 2.4.71-1~deb12u1, {@code apache2 -X} with ServerTokens Prod, ServerSignature Off and {@code Header always unset Server} (which leaves it in): GET /. */
    static final String APACHE_GET =
            "HTTP/1.1 200 OK\r\nDate: Tue, 01 Dec 2026 21:50:55 GMT\r\nServer: Apache\r\nLast-Modified: Tue, 01 Dec 2026 21:50:44 GMT\r\nETag: \"41-6619984adae37\"\r\nAccept-Ranges: bytes\r\nContent-Length: 65\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><head><title>portlens</title></head><body>hi</body></html>\n";

    /** apache2 2.4.71-1~deb12u1, {@code apache2 -X} with ServerTokens Prod, ServerSignature Off and {@code Header always unset Server} (which leaves it in): GET of a missing page. */
    static final String APACHE_404 =
            "HTTP/1.1 404 Not Found\r\nDate: Tue, 01 Dec 2026 21:50:55 GMT\r\nServer: Apache\r\nContent-Length: 236\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n";
}

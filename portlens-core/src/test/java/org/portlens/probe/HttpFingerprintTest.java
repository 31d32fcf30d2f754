package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.probe.Fakes.latin1;
import static org.portlens.probe.HttpAnswers.withoutServer;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link HttpFingerprint} against answers recorded from real servers ({@link HttpAnswers}). */
class HttpFingerprintTest {

    private static Optional<String> guess(String answer) {
        byte[] b = latin1(answer);
        return HttpFingerprint.guess(b, b.length);
    }

    @Test
    void lighttpdWithoutServerTagByItsHeaderOrder() {
        assertThat(guess(HttpAnswers.LIGHTTPD_GET))
                .contains("likely lighttpd (from header order: Date last, after Connection; confidence medium)");
    }

    @Test
    void lighttpdErrorPage() {
        assertThat(guess(HttpAnswers.LIGHTTPD_404))
                .contains("likely lighttpd (from its XHTML 1.0 error page; confidence medium)");
    }

    @Test
    void busyboxByHeaderOrderAndErrorPage() {
        assertThat(guess(HttpAnswers.BUSYBOX_GET))
                .hasValueSatisfying(g -> assertThat(g).startsWith("likely BusyBox httpd (from header order"));
        assertThat(guess(HttpAnswers.BUSYBOX_404))
                .contains("likely BusyBox httpd (from its upper-case error page; confidence medium)");
    }

    @Test
    void nginxWithItsServerLineTakenOut() {
        assertThat(guess(withoutServer(HttpAnswers.NGINX_GET)))
                .contains("likely nginx (from header order; confidence medium)");
        assertThat(guess(withoutServer(HttpAnswers.NGINX_404)))
                .contains("likely nginx (from its error page, which names it; confidence high)");
    }

    @Test
    void apacheWithItsServerLineTakenOut() {
        assertThat(guess(withoutServer(HttpAnswers.APACHE_GET)))
                .contains("likely Apache httpd (from header order: Content-Type last; confidence medium)");
        assertThat(guess(withoutServer(HttpAnswers.APACHE_404)))
                .contains("likely Apache httpd (from its HTML 4.01 error page; confidence medium)");
    }

    @Test
    void pythonWithItsServerLineTakenOut() {
        assertThat(guess(withoutServer(HttpAnswers.PYTHON_GET)))
                .hasValueSatisfying(g -> assertThat(g).startsWith("likely Python http.server (from header order"));
        assertThat(guess(withoutServer(HttpAnswers.PYTHON_404)))
                .contains("likely Python http.server (from its error page; confidence medium)");
    }

    @Test
    void noGuessWhenTheServerNamesItself() {
        for (String named : new String[] {
            HttpAnswers.NGINX_GET, HttpAnswers.NGINX_404, HttpAnswers.APACHE_GET, HttpAnswers.PYTHON_404
        }) {
            assertThat(guess(named)).isEmpty();
        }
    }

    @Test
    void noGuessForAShapeNotInTheTable() {
        assertThat(
                        guess(
                                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Powered-By: Express\r\nDate: x\r\nETag: y\r\n\r\nhi"))
                .isEmpty();
    }

    @Test
    void theProberAddsTheGuessAsADetailOfAnHttpAnswerWithoutProduct() {
        Matching.Identification id = new Matching.Identification(
                "http", "", "", java.util.Map.of("status", "200 OK"), false, "probes.txt:1");
        Evidence ev = new Evidence(System.nanoTime(), java.time.Duration.ofMillis(100));
        byte[] b = latin1(HttpAnswers.LIGHTTPD_GET);
        Wire w = ev.result(id, null, new Exchange.Response(b, b.length, true, ""), b.length);

        assertThat(w.product()).isEmpty();
        assertThat(w.details())
                .containsEntry("status", "200 OK")
                .containsEntry(
                        "fingerprint",
                        "likely lighttpd (from header order: Date last, after Connection;" + " confidence medium)");
    }
}

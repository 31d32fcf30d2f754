package org.portlens.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuardTest {

    private final Guard loopback = new Guard(true, null);

    @Test
    void acceptsLoopbackNamesAndAddressesWithOrWithoutAPort() {
        for (String h : new String[] {
            "localhost",
            "LOCALHOST:13640",
            "app.localhost",
            "localhost.",
            "127.0.0.1",
            "127.9.9.9:80",
            "[::1]",
            "[::1]:13640"
        }) {
            assertThat(loopback.checkHost(h)).as(h).isNull();
        }
    }

    @Test
    void refusesEveryOtherHostOnALoopbackServer() {
        for (String h : new String[] {
            "evil.example",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "10.0.0.1",
            "[::2]",
            "[::1",
            "localhost:x",
            "0.0.0.0",
            "",
            "[fe80::1]:80",
            "127.0.0.1:80:80"
        }) {
            assertThat(loopback.checkHost(h)).as(h).isNotNull();
        }
        assertThat(loopback.checkHost(null)).contains("without a Host header");
        assertThat(loopback.checkHost("evil.example\u001b[2J"))
                .contains("'evil.example?[2J'")
                .doesNotContain("\u001b");
    }

    @Test
    void aServerOffLoopbackLetsAnyHostThroughAndRequiresTheTokenInstead() {
        Guard off = new Guard(false, "secret-secret-secret");
        assertThat(off.checkHost("portlens.example.org")).isNull();
        assertThat(off.tokenRequired()).isTrue();
        assertThat(off.authorized(null, null)).isFalse();
        assertThat(off.authorized("Bearer secret-secret-secret", null)).isTrue();
        assertThat(off.authorized("bearer secret-secret-secret", null)).isTrue();
        assertThat(off.authorized("Bearer secret-secret-secreT", null)).isFalse();
        assertThat(off.authorized("Basic secret-secret-secret", null)).isFalse();
        assertThat(off.authorized(null, "secret-secret-secret")).isTrue();
        assertThat(loopback.authorized(null, null)).isTrue();
    }

    @Test
    void refusesPostsThatAnotherSiteMade() {
        assertThat(Guard.checkCrossSite(null, null, "127.0.0.1:13640")).isNull(); // curl
        assertThat(Guard.checkCrossSite("same-origin", "http://127.0.0.1:13640", "127.0.0.1:13640"))
                .isNull();
        assertThat(Guard.checkCrossSite("none", null, "localhost")).isNull();
        assertThat(Guard.checkCrossSite("cross-site", null, "localhost")).contains("Sec-Fetch-Site");
        assertThat(Guard.checkCrossSite("same-site", null, "localhost")).isNotNull();
        assertThat(Guard.checkCrossSite(null, "http://evil.example", "127.0.0.1:13640"))
                .contains("Origin");
        assertThat(Guard.checkCrossSite(null, "null", "127.0.0.1:13640")).isNotNull();
        assertThat(Guard.checkCrossSite(null, "http://127.0.0.1:13641", "127.0.0.1:13640"))
                .isNotNull();
    }
}

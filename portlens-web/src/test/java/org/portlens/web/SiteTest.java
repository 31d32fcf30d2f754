package org.portlens.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.model.PortRange;
import org.portlens.registry.Registry;

class SiteTest {

    @TempDir
    Path dir;

    static final Registry REGISTRY = Registry.bundled();

    @Test
    void writesAPagePerPortTheSearchIndexAndTheSitemaps() throws Exception {
        Path out = dir.resolve("site");
        Site.Result r = Site.build(out, REGISTRY, new PortRange(3630, 3650), "en", "https://ports.example/", "test", 2);
        assertThat(r.pages()).isEqualTo(21);
        String page = Files.readString(out.resolve("port/3640/index.html"));
        assertThat(page)
                .contains("What port 3640 is")
                .contains("netplay-port1")
                .contains("Registered but unused")
                .contains("href=\"../../static/portlens.css\"")
                .contains("href=\"../../port/3641/\"")
                .contains("portlens serve")
                .doesNotContain("Was this page helpful"); // no live parts
        assertThat(out.resolve("port/3629")).doesNotExist();
        assertThat(Files.readString(out.resolve("index.html"))).contains("data-search=\"./search-index.json\"");
        assertThat(Files.readString(out.resolve("search-index.json"))).contains("[3640,3640,\"tcp\",\"netplay-port1\"");
        assertThat(Files.readString(out.resolve("sitemap.xml"))).contains("https://ports.example/sitemap-1.xml");
        assertThat(Files.readString(out.resolve("sitemap-1.xml")))
                .contains("<loc>https://ports.example/port/3650/</loc>");
        assertThat(out.resolve("static/portlens.js")).exists();
        assertThat(out.resolve(Site.MARKER)).exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .as("a web server's user must read it")
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.readString(out.resolve("404.html")))
                .as("404.html is served for any path: links from the root")
                .contains("href=\"/static/portlens.css\"");
        assertThat(Files.readString(out.resolve("sitemap-1.xml")).split("<url>", -1))
                .hasSize(1 + 1 + 21);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("site"); // no work directory left
        }
    }

    @Test
    void writesItalianWhenAsked() throws Exception {
        Path out = dir.resolve("it");
        Site.build(out, REGISTRY, new PortRange(3640, 3640), "it", "http://localhost/", "test", 1);
        assertThat(Files.readString(out.resolve("port/3640/index.html"))).contains("Cos'è la porta 3640");
    }

    @Test
    void replacesAnEarlierSiteButNeverAForeignDirectory() throws Exception {
        Path out = dir.resolve("site");
        Site.build(out, REGISTRY, new PortRange(1, 3), "en", "http://localhost/", "test", 1);
        Site.build(out, REGISTRY, new PortRange(4, 5), "en", "http://localhost/", "test", 1);
        assertThat(out.resolve("port/1")).doesNotExist();
        assertThat(out.resolve("port/5/index.html")).exists();

        Path foreign = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(foreign.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> Site.build(foreign, REGISTRY, new PortRange(1, 1), "en", "http://x/", "t", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not empty and holds no portlens site");
        assertThat(Files.readString(foreign.resolve("keep.txt"))).isEqualTo("mine");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("site", "docs");
        }
    }

    @Test
    void aSitemapHoldsAtMostItsLimitOfAddressesTheHomePageIncluded() throws Exception {
        assertThat(Site.SITEMAP_LIMIT).isEqualTo(50_000);
        Site.sitemaps(dir, new PortRange(100, 119), "https://x.example/ports/", 10); // 21 addresses
        String first = Files.readString(dir.resolve("sitemap-1.xml"));
        assertThat(first.split("<url>", -1)).hasSize(1 + 10);
        assertThat(first)
                .contains("<loc>https://x.example/ports/</loc>")
                .contains("/port/108/")
                .doesNotContain("/port/109/");
        assertThat(Files.readString(dir.resolve("sitemap-2.xml")).split("<url>", -1))
                .hasSize(1 + 10);
        assertThat(Files.readString(dir.resolve("sitemap-3.xml")))
                .contains("<loc>https://x.example/ports/port/119/</loc>")
                .doesNotContain("/port/118/");
        assertThat(Files.readString(dir.resolve("sitemap.xml")).split("<sitemap>", -1))
                .hasSize(1 + 3);
        Path out = dir.resolve("rooted");
        Site.build(out, REGISTRY, new PortRange(1, 1), "en", "https://x.example/ports/", "test", 1);
        assertThat(Files.readString(out.resolve("404.html"))).contains("href=\"/ports/static/portlens.css\"");
        assertThat(Site.rootPath("https://a.example")).isEqualTo("/");
        assertThat(Site.rootPath("http://a.example:8080/x")).isEqualTo("/x/");
        assertThat(Site.xml("a&b<c>\"")).isEqualTo("a&amp;b&lt;c&gt;&quot;");
    }
}

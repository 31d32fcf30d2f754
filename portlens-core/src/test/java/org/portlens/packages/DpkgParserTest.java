package org.portlens.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DpkgParserTest {

    @Test
    void parsesEveryStanzaOfAStatusFileWithItsState() {
        DpkgParser.Parsed<DpkgPackage> s = DpkgParser.status(FakeDpkg.fixture("status-bookworm.txt"));

        assertThat(s.problems()).isEmpty();
        assertThat(s.values())
                .extracting(DpkgPackage::name)
                .containsExactly(
                        "dash",
                        "libc6",
                        "libc6",
                        "nginx-core",
                        "python3.11-minimal",
                        "linux-perf",
                        "oldtool",
                        "halfway");
        assertThat(s.values().get(3))
                .isEqualTo(new DpkgPackage("nginx-core", "amd64", "1.22.1-9+deb12u1", "installed"));
        assertThat(s.values().get(2).architecture()).isEqualTo("i386");
        assertThat(s.values().get(6).filesOnDisk()).isFalse(); // config-files
        assertThat(s.values().get(7).filesOnDisk()).isFalse(); // half-installed
    }

    @Test
    void skipsDamagedStanzasAndSaysWhichWithoutThrowing() {
        DpkgParser.Parsed<DpkgPackage> s = DpkgParser.status(FakeDpkg.fixture("status-malformed.txt"));

        assertThat(s.values()).extracting(DpkgPackage::name).containsExactly("good", "colonless");
        assertThat(s.problems())
                .anyMatch(p -> p.contains("does not end with a newline"))
                .anyMatch(p -> p.contains("line 6 has no Package field"))
                .anyMatch(p -> p.contains("is not a 'Field: value' line: this line has no colon"))
                .anyMatch(p -> p.contains("twowords") && p.contains("'install ok'"))
                .anyMatch(p -> p.contains("cutoff") && p.contains("unknown state 'inst'"));
    }

    @Test
    void emptyOrBinaryStatusIsProblemsNotACrash() {
        assertThat(DpkgParser.status("").values()).isEmpty();
        DpkgParser.Parsed<DpkgPackage> junk = DpkgParser.status("\0\1\2\n:::\n\n\n");
        assertThat(junk.values()).isEmpty();
        assertThat(junk.problems()).isNotEmpty();
    }

    @Test
    void listKeepsPathsWithTheirDirectoriesAndDropsTheRootDot() {
        DpkgParser.Parsed<String> l = DpkgParser.list("dash.list", FakeDpkg.fixture("dash.list"));

        assertThat(l.problems()).isEmpty();
        assertThat(l.values()).startsWith("/bin", "/bin/dash", "/usr").doesNotContain("/.");
    }

    @Test
    void listCutShortLosesItsLastLineAndSaysSo() {
        DpkgParser.Parsed<String> l = DpkgParser.list("nginx-core.list", "/.\n/usr\n/usr/sbin\n/usr/sbin/ngi");

        assertThat(l.values()).containsExactly("/usr", "/usr/sbin");
        assertThat(l.problems())
                .containsExactly("nginx-core.list does not end with a newline: cut short? its last line is left out");
    }

    @Test
    void listLineThatIsNoPathIsAProblem() {
        DpkgParser.Parsed<String> l = DpkgParser.list("x.list", "/usr\nusr/bin/x\n\n/usr/bin/y\n");

        assertThat(l.values()).containsExactly("/usr", "/usr/bin/y");
        assertThat(l.problems()).containsExactly("x.list line 2 is not an absolute path");
    }

    @Test
    void diversionsComeInThreesLocalOnesByColon() {
        DpkgParser.Parsed<DpkgParser.Diversion> d = DpkgParser.diversions(FakeDpkg.fixture("diversions-bookworm.txt"));

        assertThat(d.problems()).isEmpty();
        assertThat(d.values())
                .containsExactly(
                        new DpkgParser.Diversion("/bin/sh", "/bin/sh.distrib", "dash"),
                        new DpkgParser.Diversion("/usr/bin/perf", "/usr/bin/perf.wrapper", "linux-perf"),
                        new DpkgParser.Diversion("/usr/bin/python3.11", "/usr/bin/python3.11.distrib", ":"));
        assertThat(d.values().get(2).local()).isTrue();
    }

    @Test
    void diversionsCutShortKeepTheWholeTriples() {
        DpkgParser.Parsed<DpkgParser.Diversion> d =
                DpkgParser.diversions("/bin/sh\n/bin/sh.distrib\ndash\n/usr/bin/perf\n");

        assertThat(d.values()).hasSize(1);
        assertThat(d.problems()).containsExactly("diversions has 4 lines, not a multiple of 3: the last 1 left out");
    }

    @Test
    void multiArchListNamesCarryTheArchitecture() {
        assertThat(DpkgParser.listFileName("libc6:amd64.list").orElseThrow()).containsExactly("libc6", "amd64");
        assertThat(DpkgParser.listFileName("dash.list").orElseThrow()).containsExactly("dash", "");
        assertThat(DpkgParser.listFileName("dash.md5sums")).isEmpty();
        assertThat(DpkgParser.listFileName(".list")).isEmpty();
        assertThat(List.of(DpkgParser.listFileName("g++-12.list").orElseThrow()))
                .containsExactly("g++-12", "");
    }
}

package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The man pages rendered from the picocli model: every command has one, and every subcommand and
 * option appears in it as a reader sees it (rendered by groff when it is installed, else in the roff).
 */
class ManPageTest {

    @TempDir
    Path dir;

    static final List<CommandSpec> COMMANDS =
            ManPage.commands(Main.commandLine().getCommandSpec());

    @Test
    void everyCommandHasAPageWithTheManMacrosSections() {
        assertThat(COMMANDS.stream().map(ManPage::name))
                .contains(
                        "portlens",
                        "portlens-ls",
                        "portlens-registry-update",
                        "portlens-scan",
                        "portlens-install",
                        "portlens-uninstall");
        for (CommandSpec spec : COMMANDS) {
            String roff = ManPage.render(spec, "9.9.9");
            assertThat(roff.lines().filter(l -> l.startsWith(".TH ")).findFirst())
                    .as(ManPage.name(spec))
                    .hasValueSatisfying(th -> assertThat(th).contains("\"portlens 9.9.9\""));
            assertThat(roff).contains(".SH NAME\n", ".SH SYNOPSIS\n", ".SH DESCRIPTION\n", ".SH SEE ALSO\n");
            // no line of text is read as a request by accident
            assertThat(roff.lines().filter(l -> l.startsWith(".") || l.startsWith("'")))
                    .allMatch(l -> l.matches("^\\.(\\\\\"|TH|SH|TP|PP|B|I|nf|fi|nh|ad)( .*)?$"), "a known request");
        }
    }

    @Test
    void everySubcommandAndOptionAppearsOnTheRenderedPage() throws Exception {
        boolean groff = onPath("groff");
        for (CommandSpec spec : COMMANDS) {
            String roff = ManPage.render(spec, "0.1.0");
            String page = groff
                    ? render(roff)
                    : roff.replace("\\-", "-").replace("\\fB", "").replace("\\fR", "");
            List<String> expected = new ArrayList<>();
            for (OptionSpec o : spec.options()) {
                if (!o.hidden()) {
                    expected.addAll(List.of(o.names()));
                }
            }
            for (CommandSpec sub : ManPage.commands(spec)) {
                if (sub.parent() == spec) {
                    expected.add(sub.name());
                    expected.add(ManPage.name(sub) + "(1)");
                }
            }
            assertThat(page)
                    .as(ManPage.name(spec) + (groff ? " rendered by groff" : " (roff)"))
                    .contains(expected);
            assertThat(page).contains(ManPage.name(spec));
        }
    }

    @Test
    void theRootPageListsTheExitCodesAndExamples() throws Exception {
        String roff = ManPage.render(COMMANDS.get(0), "0.1.0");
        assertThat(roff).contains(".SH EXIT STATUS\n", ".SH COMMANDS\n");
        assertThat(roff).contains("portlens 3640");
    }

    @Test
    void roffSpecialsAreEscaped() {
        assertThat(ManPage.escape("a\\b --x")).isEqualTo("a\\eb \\-\\-x");
        assertThat(ManPage.text(".hidden request")).isEqualTo("\\&.hidden request");
        assertThat(ManPage.text("'quote")).isEqualTo("\\&'quote");
        assertThat(ManPage.escape("ports \u2026 \u2013")).isEqualTo("ports \\[u2026] \\[u2013]");
    }

    @Test
    void atEightyColumnsNoLineIsLongerAndNoWordOrPathIsSplit() throws Exception {
        Path man = Needs.binary("man", "man-db", "/usr/bin/man"); // as a reader sees it: man -l, MANWIDTH=80
        Needs.binary("groff", "groff-base", "/usr/bin/groff");
        for (CommandSpec spec : COMMANDS) {
            String roff = ManPage.render(spec, "0.1.0");
            Set<String> words = new HashSet<>(List.of(render(roff, 2000).split("\\s+")));
            Path page = Files.writeString(dir.resolve(ManPage.name(spec) + ".1"), roff, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(man.toString(), "-l", page.toString()).redirectErrorStream(true);
            pb.environment().put("MANWIDTH", "80");
            pb.environment().put("MANPAGER", "cat");
            pb.environment().put("LANG", "C.UTF-8");
            Process p = pb.start();
            String shown = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(shown).isZero();
            // hyphenation shows as U+2010 (or a plain '-') at the end of a line
            List<String> lines = shown.replace('\u2010', '-').lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                assertThat(line.length())
                        .as("%s line %d is longer than 80 columns:%n%s", ManPage.name(spec), i + 1, line)
                        .isLessThanOrEqualTo(80);
                if (i + 1 == lines.size() || line.isBlank() || lines.get(i + 1).isBlank()) {
                    continue;
                }
                String last = line.substring(line.lastIndexOf(' ') + 1);
                String first = lines.get(i + 1).strip().split("\\s+")[0];
                boolean split = words.stream()
                        .anyMatch(w -> w.contains(last + first)
                                || (last.endsWith("-") && w.contains(last.substring(0, last.length() - 1) + first)));
                assertThat(split)
                        .as("%s: '%s' is split across lines %d and %d", ManPage.name(spec), last + first, i + 1, i + 2)
                        .isFalse();
            }
        }
    }

    /** groff's plain-text page: no bold or underline, one very long line per paragraph (no hyphenation). */
    private String render(String roff) throws Exception {
        return render(roff, 2000);
    }

    /** groff's plain-text page at {@code width} columns, as man shows it in a terminal that wide. */
    private String render(String roff, int width) throws Exception {
        Path src = Files.writeString(dir.resolve("page.1"), roff, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(
                        "groff", "-man", "-Tutf8", "-P-cbou", "-rLL=" + width + "n", "-ww", src.toString())
                .redirectError(dir.resolve("groff.err").toFile())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("groff.err")))
                .as("groff warnings")
                .isEmpty();
        // groff may print a hyphen-minus as U+2010 or U+2212: readers type '-'
        return new String(out, StandardCharsets.UTF_8).replace('\u2010', '-').replace('\u2212', '-');
    }

    static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }
}

package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;

/**
 * The completion scripts from the picocli model, run by the shells themselves: bash completes
 * {@code portlens l<TAB>} and {@code portlens ls --s<TAB>}; fish's script parses and completes the
 * same (when fish is installed); zsh's parses (when zsh is installed).
 */
class CompletionTest {

    @TempDir
    Path dir;

    record Shell(int code, String out, String err) {}

    Shell shell(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .redirectError(dir.resolve("err").toFile())
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Shell(p.exitValue(), out, Files.readString(dir.resolve("err")));
    }

    List<String> bashCompletes(String... words) throws Exception {
        Path script = Files.writeString(dir.resolve("portlens.bash"), Completions.bash(Main.commandLine()));
        String line = String.join(" ", words);
        String program = "source '" + script + "'\n"
                + "COMP_WORDS=(" + line + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE='" + line + "'\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_portlens portlens '" + words[words.length - 1] + "' '" + words[words.length - 2] + "'\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Shell r = shell("bash", "--norc", "--noprofile", "-c", program);
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void bashCompletesSubcommandsFromTheirFirstLetter() throws Exception {
        assertThat(bashCompletes("portlens", "l")).containsExactlyInAnyOrder("ls", "lookup");
    }

    @Test
    void bashCompletesOptionsOfASubcommand() throws Exception {
        assertThat(bashCompletes("portlens", "ls", "--s")).containsExactlyInAnyOrder("--sort", "--scope");
    }

    @Test
    void bashCompletesTheNewInstallCommands() throws Exception {
        assertThat(bashCompletes("portlens", "ins")).containsExactly("install");
        assertThat(bashCompletes("portlens", "install", "--")).contains("--prefix", "--destdir");
    }

    @Test
    void zshFileIsACompdefFunctionThatLoadsTheBashScript() throws Exception {
        String zsh = Completions.zsh(Main.commandLine());
        assertThat(zsh.lines().findFirst()).hasValue("#compdef portlens");
        assertThat(zsh).contains("bashcompinit", "_complete_portlens");
        Needs.binary("zsh", "zsh", "/usr/bin/zsh"); // as root installed, else the syntax check skips
        Path f = Files.writeString(dir.resolve("_portlens"), zsh);
        Shell r = shell("zsh", "-n", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void fishScriptParsesAndCompletes() throws Exception {
        String fish = Completions.fish(Main.commandLine());
        assertThat(fish).contains("-a 'ls'", "-l 'sort'", "-a 'install'");
        // files where the option takes files, the choices where it has them, nothing else
        assertThat(fish.lines().filter(l -> l.contains("-l 'probes'"))).allMatch(l -> l.contains(" -r -F "));
        assertThat(fish.lines().filter(l -> l.contains("-l 'prefix'"))).allMatch(l -> l.contains(" -r -F "));
        assertThat(fish.lines().filter(l -> l.contains("-l 'sort'")))
                .singleElement()
                .asString()
                .contains("-x -a 'port pid");
        Needs.binary("fish", "fish", "/usr/bin/fish"); // as root installed, else fish's own checks skip
        Path f = Files.writeString(dir.resolve("portlens.fish"), fish);
        Shell syntax = shell("fish", "--no-config", "-n", f.toString());
        assertThat(syntax.code()).as(syntax.err()).isZero();
        Shell sub = shell("fish", "--no-config", "-c", "source " + f + "; complete -C 'portlens l'");
        assertThat(sub.out().lines().map(l -> l.split("\t")[0])).containsExactlyInAnyOrder("ls", "lookup");
        Shell opt = shell("fish", "--no-config", "-c", "source " + f + "; complete -C 'portlens ls --s'");
        assertThat(opt.out().lines().map(l -> l.split("\t")[0])).containsExactlyInAnyOrder("--sort", "--scope");
    }
}

package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every help screen, of portlens and of every command and subcommand at any depth, fits in 80
 * columns and breaks lines only between words: never inside a path, an option or a hyphenated name.
 */
class HelpTextTest {

    static final int WIDTH = 80;

    /** Every command's qualified name without "portlens", "" for portlens itself. */
    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        walk(Main.commandLine(), "", names);
        return names.stream();
    }

    private static void walk(CommandLine cl, String name, List<String> names) {
        names.add(name);
        for (var sub : cl.getSubcommands().entrySet()) {
            walk(sub.getValue(), (name + " " + sub.getKey()).strip(), names);
        }
    }

    /** The help of {@code command}, as {@code portlens help COMMAND} prints it, at the given width. */
    static String help(String command, int width) {
        CommandLine cl = Main.commandLine();
        for (String word : command.isEmpty() ? new String[0] : command.split(" ")) {
            cl = cl.getSubcommands().get(word);
        }
        cl.setUsageHelpWidth(width);
        return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    @ParameterizedTest(name = "portlens help {0}")
    @MethodSource("commands")
    void fitsEightyColumnsAndBreaksLinesOnlyBetweenWords(String command) {
        String text = help(command, WIDTH);
        // unwrapped, every word of the help is whole: these are the words no line may split
        Set<String> words = new HashSet<>(List.of(help(command, 1000).split("\\s+")));
        List<String> lines = text.lines().toList();
        assertThat(lines).isNotEmpty();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertThat(line.length())
                    .as("line %d is longer than %d columns:%n%s", i + 1, WIDTH, line)
                    .isLessThanOrEqualTo(WIDTH);
            if (i + 1 == lines.size() || line.isBlank() || lines.get(i + 1).isBlank()) {
                continue;
            }
            String next = lines.get(i + 1).strip();
            String last = line.substring(line.lastIndexOf(' ') + 1);
            String first = next.split("\\s+")[0];
            boolean brokenPath = (line.endsWith("/") || line.endsWith("-")) && Character.isLetter(next.charAt(0));
            boolean brokenWord = words.stream().anyMatch(w -> w.contains(last + first));
            assertThat(brokenPath || brokenWord)
                    .as(
                            "'%s' is broken across lines %d and %d:%n%s%n%s",
                            last + first, i + 1, i + 2, line, lines.get(i + 1))
                    .isFalse();
        }
    }
}

package org.portlens.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Run at build time (portlens-cli/pom.xml, exec plugin): writes the man pages and shell completions
 * generated from the picocli model into the classes directory, so they ship in the jar as resources
 * ({@code /man/portlens.1}, {@code /man/index}, {@code /completion/*}) and cannot drift from
 * {@code --help}. {@code portlens install} copies them out.
 */
final class BuildDocs {

    /** The resource listing the man pages, one file name a line. */
    static final String MAN_INDEX = "/man/index";

    static final String BASH = "/completion/portlens.bash";
    static final String ZSH = "/completion/_portlens";
    static final String FISH = "/completion/portlens.fish";

    private BuildDocs() {}

    /**
     * Writes the pages and scripts under the given directory.
     *
     * @param args the output directory (the classes directory) and the project's version
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: BuildDocs OUTPUT_DIR VERSION");
        }
        write(Path.of(args[0]), args[1]);
    }

    static void write(Path out, String version) throws IOException {
        CommandLine cmd = Main.commandLine();
        Path man = out.resolve("man");
        Files.createDirectories(man);
        List<String> index = new ArrayList<>();
        for (CommandSpec spec : ManPage.commands(cmd.getCommandSpec())) {
            String file = ManPage.name(spec) + ".1";
            Files.writeString(man.resolve(file), ManPage.render(spec, version), StandardCharsets.UTF_8);
            index.add(file);
        }
        Files.write(man.resolve("index"), index, StandardCharsets.UTF_8);
        Path completion = out.resolve("completion");
        Files.createDirectories(completion);
        Files.writeString(completion.resolve("portlens.bash"), Completions.bash(cmd), StandardCharsets.UTF_8);
        Files.writeString(completion.resolve("_portlens"), Completions.zsh(cmd), StandardCharsets.UTF_8);
        Files.writeString(completion.resolve("portlens.fish"), Completions.fish(cmd), StandardCharsets.UTF_8);
    }
}

package org.portlens.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class Common {

    @Option(names = "--json", description = "Print JSON (schema: docs/json.md) instead of text.")
    boolean json;

    @Option(names = "--no-color", description = "No colours, even on a terminal (NO_COLOR is honoured too).")
    boolean noColor;

    @Option(names = "--debug", description = "On an internal error, print the stack trace too.")
    boolean debug;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = {
                "Data directory (installed registry). Default:",
                "$PORTLENS_DATA_DIR, else $XDG_DATA_HOME/portlens,",
                "else ~/.local/share/portlens."
            })
    Path dataDir;

    Style style() {
        return new Style(!json && Style.colorWanted(noColor));
    }
}

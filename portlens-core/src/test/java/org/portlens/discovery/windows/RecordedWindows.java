package org.portlens.discovery.windows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.portlens.internal.Command;
import org.portlens.internal.CommandRunner;
import org.portlens.testkit.Fixtures;

/**
 * A Windows host that answers each tool with a recorded output (windows/README.md), and remembers what
 * ran. A tool given no recording is "not found", as where it is missing.
 */
final class RecordedWindows implements CommandRunner {

    final List<List<String>> ran = new ArrayList<>();
    private final Map<String, String> outputs;

    /** @param fixtures by tool: {@code powershell.exe}, {@code netstat}, {@code tasklist}, {@code tasklist-svc}, {@code netsh} */
    RecordedWindows(Map<String, String> fixtures) {
        this.outputs = fixtures;
    }

    @Override
    public Command.Result run(List<String> argv) throws IOException {
        ran.add(List.copyOf(argv));
        String tool = argv.get(0);
        if (tool.equals("tasklist") && argv.contains("/svc")) {
            tool = "tasklist-svc";
        }
        String file = outputs.get(tool);
        if (file == null) {
            throw new IOException("Cannot run program \"" + argv.get(0) + "\": CreateProcess error=2, The system cannot"
                    + " find the file specified");
        }
        if (file.startsWith("=")) { // an answer written in the test
            return new Command.Result(0, file.substring(1), "");
        }
        return new Command.Result(0, Fixtures.text("/org/portlens/discovery/windows/" + file), "");
    }
}

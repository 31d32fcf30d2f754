package org.portlens.discovery.macos;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.portlens.internal.Command;
import org.portlens.internal.CommandRunner;
import org.portlens.testkit.Fixtures;

/**
 * A Mac that answers each tool with a recorded output (macos/README.md), and remembers what ran. A tool
 * given no recording is "not found", as on a Mac without it.
 */
final class RecordedMac implements CommandRunner {

    final List<List<String>> ran = new ArrayList<>();
    private final Map<String, String> outputs;

    /** @param fixtures by tool ({@code lsof}, {@code netstat}, {@code ps-fields}, {@code ps-args}, …), a file in macos/ */
    RecordedMac(Map<String, String> fixtures) {
        this.outputs = fixtures;
    }

    static RecordedMac root() {
        return new RecordedMac(Map.of(
                "lsof", "lsof-root.bin",
                "netstat", "netstat-anl.txt",
                "ps-fields", "ps-fields.txt",
                "ps-args", "ps-args.txt",
                "launchctl", "launchctl-list.txt",
                "sysctl", "sysctl-portrange.txt"));
    }

    static RecordedMac alice() {
        return new RecordedMac(Map.of(
                "lsof", "lsof-user.bin",
                "netstat", "netstat-anl.txt",
                "ps-fields", "ps-fields.txt",
                "ps-args", "ps-args.txt",
                "launchctl", "launchctl-list-user.txt"));
    }

    @Override
    public Command.Result run(List<String> argv) throws IOException {
        ran.add(List.copyOf(argv));
        String tool = argv.get(0);
        if (tool.equals("ps")) {
            tool = argv.get(argv.size() - 1).contains("lstart") ? "ps-fields" : "ps-args";
        }
        String file = outputs.get(tool);
        if (file == null) {
            throw new IOException("Cannot run program \"" + argv.get(0) + "\": error=2, No such file or directory");
        }
        return new Command.Result(0, Fixtures.text("/org/portlens/discovery/macos/" + file), "");
    }
}

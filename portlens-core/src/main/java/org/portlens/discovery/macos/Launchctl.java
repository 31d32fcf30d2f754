package org.portlens.discovery.macos;

import java.util.LinkedHashMap;
import java.util.Map;
import org.portlens.discovery.command.Fields;

/**
 * Parses {@code launchctl list}: a header, then one job per line, {@code PID<TAB>Status<TAB>Label},
 * the pid {@code -} for a job not running. As root it lists the system's jobs (daemons); as a user,
 * that user's (agents). Pure; stateless; safe from any thread.
 */
final class Launchctl {

    private Launchctl() {}

    /**
     * @param output what it printed
     * @return the label of each running job, by pid
     */
    static Map<Integer, String> labels(String output) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (String line : output.split("\r?\n")) {
            String[] t = line.split("\t");
            if (t.length != 3) {
                continue;
            }
            int pid = Fields.number(t[0].strip());
            String label = t[2].strip();
            if (pid > 0 && !label.isEmpty()) {
                out.put(pid, label);
            }
        }
        return out;
    }
}

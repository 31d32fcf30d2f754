package org.portlens.cli;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.portlens.Untrusted;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Listener;
import org.portlens.model.ProcessInfo;
import org.portlens.policy.Baseline;
import org.portlens.policy.Expect;
import org.portlens.policy.Identity;
import org.portlens.policy.Ignore;
import org.portlens.policy.Netns;

/**
 * A baseline as a policy file a person can read and edit: a comment per entry saying which process
 * held it (its pid at the time, only in the comment), why it runs and since when. {@link PolicyReader}
 * reads it back to the same policy.
 */
final class BaselineWriter {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@+-]+");
    private static final List<String> YAML_WORDS =
            List.of("true", "false", "yes", "no", "on", "off", "null", "y", "n", "~");

    private BaselineWriter() {}

    static String write(
            List<Baseline.Entry> entries,
            List<Ignore> ignore,
            Optional<EphemeralRange> ephemeral,
            List<Listener> ignoredListeners,
            Instant now) {
        StringBuilder b = new StringBuilder();
        b.append("# portlens policy: the listeners seen on ")
                .append(TextView.utc(now))
                .append(" (portlens baseline).\n");
        b.append(
                "# Edit it freely; docs/policy.md describes every key. `portlens audit --policy FILE` checks the host\n");
        b.append("# against it. Listeners are matched by transport, port, bind, netns and owner, never by pid:\n");
        b.append("# the pids below are only what they were when the baseline was taken.\n");
        b.append("version: 1\n");
        if (entries.isEmpty()) {
            b.append("expect: []\n");
        } else {
            b.append("expect:\n");
        }
        for (Baseline.Entry e : entries) {
            comment(b, e);
            expect(b, e.expect());
        }
        if (!ignore.isEmpty()) {
            b.append("ignore:\n");
            for (Ignore i : ignore) {
                if (ephemeral.isPresent() && i.ports().equals(ephemeral.get().range())) {
                    b.append("  # UDP client sockets get their port from this host's ephemeral range (")
                            .append(comment(ephemeral.get().source()))
                            .append(").\n");
                    if (!ignoredListeners.isEmpty()) {
                        b.append("  # It covered: ")
                                .append(comment(ignoredListeners.stream()
                                        .map(l -> l.local().hostPort() + " " + who(l))
                                        .collect(Collectors.joining(", "))))
                                .append("\n");
                    }
                }
                b.append("  - transport: ")
                        .append(i.transport().map(t -> t.label()).orElse("tcp"))
                        .append('\n');
                b.append("    port: ").append(i.ports()).append('\n');
                if (!i.netns().equals(Netns.HOST)) {
                    b.append("    netns: ").append(scalar(i.netns().value())).append('\n');
                }
                if (!i.reason().isEmpty()) {
                    b.append("    reason: ").append(scalar(i.reason())).append('\n');
                }
            }
        }
        return b.toString();
    }

    private static String who(Listener l) {
        List<ProcessInfo> ps = l.processes();
        return ps.isEmpty()
                ? "(owner hidden)"
                : ps.get(0).name() + " pid " + ps.get(0).pid();
    }

    private static void comment(StringBuilder b, Baseline.Entry e) {
        List<ProcessInfo> ps = e.listeners().get(0).processes();
        String sockets =
                e.listeners().stream().map(l -> l.local().hostPort()).distinct().collect(Collectors.joining(", "));
        if (ps.isEmpty()) {
            b.append("  # owner not shown when the baseline was taken: ")
                    .append(comment(org.portlens.policy.AuditSentences.ownerReason(
                            e.listeners().get(0))))
                    .append('\n');
            b.append("  # sockets: ").append(comment(sockets)).append('\n');
            return;
        }
        ProcessInfo p = ps.get(0);
        b.append("  # ")
                .append(comment(p.command()))
                .append(" (pid ")
                .append(p.pid())
                .append(" at the time, user ")
                .append(comment(p.user()))
                .append(")\n");
        b.append("  # source: ")
                .append(comment(p.source().detail()))
                .append(" [")
                .append(p.source().kind().label())
                .append("]");
        if (p.startTime() != null) {
            b.append("; since ").append(TextView.utc(p.startTime()));
        }
        b.append('\n');
        b.append("  # sockets: ").append(comment(sockets)).append('\n');
    }

    private static void expect(StringBuilder b, Expect e) {
        b.append("  - transport: ").append(e.transport().label()).append('\n');
        b.append("    port: ").append(e.ports()).append('\n');
        e.bind()
                .ifPresent(bind ->
                        b.append("    bind: ").append(scalar(bind.label())).append('\n'));
        if (!e.netns().equals(Netns.HOST)) {
            b.append("    netns: ").append(scalar(e.netns().value())).append('\n');
        }
        Identity id = e.identity();
        id.executable()
                .ifPresent(v -> b.append("    executable: ").append(scalar(v)).append('\n'));
        id.unit().ifPresent(v -> b.append("    unit: ").append(scalar(v)).append('\n'));
        id.user().ifPresent(v -> b.append("    user: ").append(scalar(v)).append('\n'));
        id.image().ifPresent(v -> b.append("    image: ").append(scalar(v)).append('\n'));
        if (!e.required()) {
            b.append("    required: false\n");
        }
    }

    /** A comment's text on one line: control characters (a newline in a command line) escaped. */
    static String comment(String text) {
        return Untrusted.forTerminal(text);
    }

    /** A YAML scalar that reads back as exactly {@code v}: plain when safe, else double-quoted. */
    static String scalar(String v) {
        if (PLAIN.matcher(v).matches()
                && !YAML_WORDS.contains(v.toLowerCase(java.util.Locale.ROOT))
                && !v.startsWith("-")
                && !v.startsWith("@")) {
            return v;
        }
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                q.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else if ((c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
                // C1 controls, line separators and a BOM: YAML would fold or drop them; escaped, they read back
                q.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}

package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;

/** Untrusted text never reaches the terminal raw, and colour follows the rules. */
class StyleTest {

    @Test
    void escapesControlCharactersFromProcessNamesAndCommandLines() {
        ProcessInfo evil = new ProcessInfo(
                42,
                1,
                "ev\u001b[31mil",
                "/tmp/x\u0007",
                List.of("sh", "-c", "echo \u001b]0;pwned\u0007\r\nforged line"),
                0,
                "root",
                Instant.now(),
                "/tmp",
                List.of(),
                Source.unknown("test"),
                "",
                List.of());
        Listener l = new Listener(
                Transport.TCP,
                new Endpoint("127.0.0.1", 3640, false, BindScope.LOOPBACK, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                1,
                new NetNamespace(1, "", true),
                List.of(new Owner.Known(evil, 3)));
        StringWriter out = new StringWriter();
        Discovery d = new Discovery(List.of(l), 0, 0, new Coverage(true, 1, 0, 0, 0, 0, 0, List.of()));
        new ListenerTable(new Style(false), new PrintWriter(out)).table(List.of(l), d.coverage());
        new PrintWriter(out).flush();
        assertThat(out.toString())
                .doesNotContain("\u001b")
                .doesNotContain("\u0007")
                .doesNotContain("\r");
        assertThat(out.toString()).contains("ev\\x1b[31mil");
    }

    @Test
    void noColorWhenAskedNot() {
        assertThat(Style.colorWanted(true)).isFalse();
        assertThat(new Style(false).bold("x")).isEqualTo("x");
        assertThat(new Style(true).bold("x")).isEqualTo("\u001b[1mx\u001b[0m");
    }
}

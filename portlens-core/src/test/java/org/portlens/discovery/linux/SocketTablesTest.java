package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.discovery.Query;

/** {@link SocketTables} on a /proc tree written by the test: what a read does when processes exit during it. */
class SocketTablesTest {

    static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    @TempDir
    Path proc;

    /** A LISTEN line of /proc/net/tcp for 127.0.0.1:port. */
    static String listen(int port, long inode) {
        return String.format(
                "   0: 0100007F:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 %d 1"
                        + " 0000000000000000 100 0 0 10 0",
                port, inode);
    }

    void process(int pid, long netns, String... tcp) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.createDirectories(dir.resolve("ns"));
        Files.createSymbolicLink(dir.resolve("ns/net"), Path.of("net:[" + netns + "]"));
        Files.createDirectories(dir.resolve("net"));
        Files.writeString(dir.resolve("net/tcp"), HEADER + "\n" + String.join("\n", tcp) + "\n");
    }

    @Test
    void aNamespaceWhoseFirstProcessExitsIsReadThroughTheNext() throws IOException {
        process(4000, 100); // portlens itself, in namespace 100
        Files.createSymbolicLink(proc.resolve("self"), Path.of("4000"));
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/tcp"), HEADER + "\n");
        // two processes in namespace 555; the first exits between finding the namespace and reading it
        process(200, 555, listen(8080, 77));
        process(201, 555, listen(8080, 77));
        SocketTables tables = new SocketTables(new ProcRoot(proc), List.of());

        SocketTables.Namespaces namespaces = tables.namespaces(List.of(200, 201, 4000), true);
        try (Stream<Path> gone = Files.walk(proc.resolve("200"))) {
            gone.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        SocketTables.Tally tally = tables.tally(Query.all());
        for (SocketTables.Namespace n : namespaces.all()) {
            tally.readTables(n);
        }
        SocketTables.Result r = tally.result(List.of());

        assertThat(r.sockets()).singleElement().satisfies(f -> {
            assertThat(f.ns().inode()).isEqualTo(555);
            assertThat(f.entry().inode()).isEqualTo(77);
            assertThat(f.local().port()).isEqualTo(8080);
        });
    }
}

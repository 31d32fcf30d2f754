package org.portlens.packages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A usr-merged root with a dpkg database, built in a test's temporary directory from the fixtures
 * beside this class (see their README): {@code bin}, {@code sbin}, {@code lib} and {@code lib64} are
 * links into {@code usr}, as on Debian 12.
 */
final class FakeDpkg {

    static final List<String> LISTS = List.of(
            "dash.list",
            "nginx-core.list",
            "libc6:amd64.list",
            "libc6:i386.list",
            "python3.11-minimal.list",
            "linux-perf.list",
            "oldtool.list",
            "halfway.list");

    private FakeDpkg() {}

    static String fixture(String name) {
        try (InputStream in = FakeDpkg.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Debian 12 fixture database under {@code root}, usr-merged. */
    static Path bookworm(Path root) throws IOException {
        Path info = Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), fixture("status-bookworm.txt"));
        Files.writeString(root.resolve("var/lib/dpkg/diversions"), fixture("diversions-bookworm.txt"));
        for (String l : LISTS) {
            Files.writeString(info.resolve(l), fixture(l));
        }
        for (String d : List.of("bin", "sbin", "lib", "lib64")) {
            Files.createDirectories(root.resolve("usr").resolve(d));
            Files.createSymbolicLink(root.resolve(d), Path.of("usr", d));
        }
        return root;
    }
}

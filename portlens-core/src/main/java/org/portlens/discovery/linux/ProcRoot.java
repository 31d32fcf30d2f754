package org.portlens.discovery.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The root of a /proc tree: {@code /proc} on a live system, a fixture directory in tests. Every
 * read of /proc goes through here; parsing happens elsewhere. Immutable; safe from any thread.
 */
final class ProcRoot {

    private final Path root;

    ProcRoot(Path root) {
        this.root = root;
    }

    static ProcRoot system() {
        return new ProcRoot(Path.of("/proc"));
    }

    Path path() {
        return root;
    }

    /**
     * The file system this /proc belongs to, where the container runtimes keep their state: {@code /}
     * for {@code /proc}, the parent directory of a fake tree.
     */
    Path systemRoot() {
        Path parent = root.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    Path pidDir(int pid) {
        return root.resolve(Integer.toString(pid));
    }

    /**
     * The numeric entries of the root: the visible processes, lowest pid first (as /proc lists them; a
     * fake tree's directory order is sorted too), so that long-running daemons are read first.
     */
    List<Integer> pids() throws IOException {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && isDigits(name)) {
                    pids.add(Integer.parseInt(name));
                }
            }
        }
        Collections.sort(pids);
        return pids;
    }

    static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return s.length() <= 10;
    }

    /** A file under the root, as text (proc files are ASCII or the kernel's bytes; read as UTF-8). */
    String read(String relative) throws IOException {
        return new String(readAll(root.resolve(relative)), StandardCharsets.UTF_8);
    }

    /** A file under the root, as text, or empty when it cannot be read (a sysctl a kernel lacks). */
    String readOrEmpty(String relative) {
        try {
            return read(relative);
        } catch (IOException e) {
            return "";
        }
    }

    /** A file under a process's directory, as bytes (cmdline holds NULs). */
    byte[] readBytes(int pid, String name) throws IOException {
        return readAll(pidDir(pid).resolve(name));
    }

    /**
     * Reads to end of file by streaming. Not {@code Files.readAllBytes}: /proc and /proc/sys files
     * report a size of 0 or 4096, and trusting that size returns a cut-off file (seen: one byte of
     * ip_local_port_range).
     */
    static byte[] readAll(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readAllBytes();
        }
    }

    /** The target of a symlink under a process's directory ({@code exe}, {@code cwd}, {@code ns/net}). */
    String readLink(int pid, String name) throws IOException {
        return Files.readSymbolicLink(pidDir(pid).resolve(name)).toString();
    }
}

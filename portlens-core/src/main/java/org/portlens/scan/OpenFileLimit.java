package org.portlens.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many files this process may open (the soft limit of {@code RLIMIT_NOFILE}) and how many it has
 * open, from which the scanners size their in-flight window: every probe holds a socket.
 * {@link #read(Path)} reads {@code /proc}; {@link #parseSoftLimit(List)} only parses.
 *
 * @param soft     the soft limit, or {@link #UNLIMITED}
 * @param openNow  descriptors already open, 0 if unknown
 * @param source   where the numbers came from ({@code /proc/self/limits}, or why the fallback was used)
 */
record OpenFileLimit(long soft, int openNow, String source) {

    static final long UNLIMITED = Long.MAX_VALUE;
    /** The usual Linux default, assumed when the limit cannot be read (no /proc: macOS, Windows). */
    static final long FALLBACK = 1024;
    /** Descriptors kept free for everything else the process does while scanning. */
    static final int MARGIN = 64;

    /** The numbers of this process, from {@code /proc}; the fallback with its reason when they cannot be read. */
    static OpenFileLimit current() {
        return read(Path.of("/proc"));
    }

    /** Reads {@code self/limits} and counts {@code self/fd} under a proc root (a fixture tree in tests). */
    static OpenFileLimit read(Path procRoot) {
        Path limits = procRoot.resolve("self/limits");
        long soft;
        String source;
        try (InputStream in = Files.newInputStream(limits)) {
            // streamed, not Files.readAllLines on a size: /proc reports size 0
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            soft = parseSoftLimit(List.of(text.split("\n")));
            source = soft > 0 ? limits.toString() : "no 'Max open files' line in " + limits + ", assumed " + FALLBACK;
        } catch (IOException | RuntimeException e) {
            soft = -1;
            source = "cannot read " + limits + " (" + e.getClass().getSimpleName() + "), assumed " + FALLBACK;
        }
        return new OpenFileLimit(soft > 0 ? soft : FALLBACK, countOpen(procRoot.resolve("self/fd")), source);
    }

    /**
     * The soft "Max open files" value of a {@code /proc/<pid>/limits} text: a number, or
     * {@link #UNLIMITED}; -1 when the line is missing or malformed.
     */
    static long parseSoftLimit(List<String> lines) {
        for (String line : lines) {
            if (!line.startsWith("Max open files")) {
                continue;
            }
            // the first word after the name (no regex: java.util.regex costs ~15 ms of start-up)
            String rest = line.substring("Max open files".length()).strip();
            int space = 0;
            while (space < rest.length() && !Character.isWhitespace(rest.charAt(space))) {
                space++;
            }
            String soft = rest.substring(0, space);
            if (soft.isEmpty()) {
                return -1;
            }
            if (soft.equals("unlimited")) {
                return UNLIMITED;
            }
            try {
                long v = Long.parseLong(soft);
                return v > 0 ? v : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private static int countOpen(Path fdDir) {
        int n = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(fdDir)) {
            for (Path ignored : dir) {
                n++;
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return n;
    }

    /**
     * How many probes may be in flight: what the caller wants, but never more than the limit minus what
     * is open and a {@link #MARGIN}; at least 1.
     */
    int budget(int wanted) {
        long room = soft == UNLIMITED ? Integer.MAX_VALUE : soft - openNow - MARGIN;
        return (int) Math.max(1, Math.min(wanted, room));
    }
}

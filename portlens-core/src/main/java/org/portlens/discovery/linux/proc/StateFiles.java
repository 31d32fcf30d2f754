package org.portlens.discovery.linux.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.BoundedRead;
import org.portlens.internal.Json;

/**
 * Reads the runtimes' state files under a root, bounded in size and time, and turns every failure
 * into one line for a person, collected in {@link #notes()}: nothing here throws. One instance per
 * lookup, used from one thread.
 */
final class StateFiles {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Path root;
    private final List<String> notes = new ArrayList<>();

    StateFiles(Path root) {
        this.root = root;
    }

    /** What went wrong so far, one line each. */
    List<String> notes() {
        return notes;
    }

    void note(String line) {
        notes.add(line);
    }

    /** A path under the root, from a path written as the system knows it ("var/lib/lxc"). */
    Path under(String relative) {
        return root.resolve(relative);
    }

    /** {@code file} as the system names it: its path under the root, with a leading slash. */
    String shown(Path file) {
        return file.startsWith(root) ? "/" + root.relativize(file) : file.toString();
    }

    /** The file's text (UTF-8), or null with a note when it cannot be read. */
    @Nullable
    String text(Path file, long maxBytes) {
        try {
            return read(file, maxBytes);
        } catch (IOException e) {
            notes.add(unreadable(shown(file), e));
            return null;
        }
    }

    /**
     * The first of {@code files} that exists, as text; null with a note when none is there (naming
     * them all) or when the first one there cannot be read.
     */
    @Nullable
    Found first(List<Path> files, long maxBytes) {
        for (Path f : files) {
            try {
                return new Found(f, read(f, maxBytes));
            } catch (NoSuchFileException missing) {
                // the next place
            } catch (IOException e) {
                notes.add(unreadable(shown(f), e));
                return null;
            }
        }
        List<String> names = files.stream().map(this::shown).toList();
        notes.add(
                names.size() == 1
                        ? names.get(0) + " not found"
                        : names.size() == 2
                                ? "neither " + names.get(0) + " nor " + names.get(1) + " found"
                                : "none of " + String.join(", ", names) + " found");
        return null;
    }

    /** A file found, and its text. */
    record Found(Path file, String text) {}

    /** The file's JSON value, or null with a note when it cannot be read or is not JSON. */
    @Nullable
    Object json(Path file, long maxBytes) {
        String text = text(file, maxBytes);
        return text == null ? null : json(file, text);
    }

    /** {@code text} (read from {@code file}) as JSON, or null with a note when it is not JSON. */
    @Nullable
    Object json(Path file, String text) {
        try {
            return Json.parse(text, Json.DEFAULT_MAX_DEPTH, Integer.MAX_VALUE);
        } catch (Json.ParseException e) {
            notes.add(shown(file) + " is not valid JSON (" + e.getMessage() + ")");
            return null;
        }
    }

    private static String read(Path file, long maxBytes) throws IOException {
        return new String(BoundedRead.file(file, maxBytes, TIMEOUT), StandardCharsets.UTF_8);
    }

    /** One line saying why {@code shown} could not be read, and what would help. */
    static String unreadable(String shown, IOException e) {
        if (e instanceof NoSuchFileException) {
            return shown + " not found";
        }
        if (e instanceof AccessDeniedException) {
            return shown + " not readable: permission denied; run as root";
        }
        if (e instanceof BoundedRead.TooLarge || e instanceof BoundedRead.TooSlow) {
            return shown + " not read: " + e.getMessage();
        }
        String why = e.getMessage();
        return shown + " not readable: " + (why == null ? e.getClass().getSimpleName() : why);
    }
}

package org.portlens.discovery.linux.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.BoundedRead;

/**
 * User names by uid, from a passwd file; read once, on first use. Safe for concurrent use: the
 * first lookup reads the file under a lock.
 */
public final class UserDirectory {

    private final Path passwd;
    /** Null until the file is read. */
    private @Nullable Map<Integer, String> names;
    /** Null until the file is read. */
    private @Nullable Map<Integer, String> homes;

    /** A directory read from {@code passwd}; a missing or unreadable file names no one. */
    public UserDirectory(Path passwd) {
        this.passwd = passwd;
    }

    /** The system's users, from /etc/passwd. */
    public static UserDirectory system() {
        return new UserDirectory(Path.of("/etc/passwd"));
    }

    /** The name for {@code uid}, or the number as text when the passwd file does not list it. */
    public synchronized String name(int uid) {
        if (names == null) {
            names = load(0);
        }
        String n = names.get(uid);
        return n == null ? Integer.toString(uid) : n;
    }

    /**
     * The home directory of {@code uid}, as the passwd file gives it.
     *
     * @return the absolute path, or empty when the file does not list the uid or gives no absolute home
     */
    public synchronized Optional<String> home(int uid) {
        if (homes == null) {
            homes = load(5);
        }
        String h = homes.get(uid);
        return h == null || !h.startsWith("/") ? Optional.empty() : Optional.of(h);
    }

    private Map<Integer, String> load(int field) {
        try {
            return parse(
                    new String(BoundedRead.file(passwd, 16_000_000L, Duration.ofSeconds(5)), StandardCharsets.UTF_8),
                    field);
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Parses passwd lines ({@code name:x:uid:gid:...}); malformed lines are skipped. */
    static Map<Integer, String> parse(String text) {
        return parse(text, 0);
    }

    /** One field of passwd lines by uid: 0 the name, 5 the home; malformed lines are skipped. */
    static Map<Integer, String> parse(String text, int field) {
        Map<Integer, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && f.length > field && !f[0].isEmpty()) {
                try {
                    out.putIfAbsent(Integer.parseInt(f[2]), f[field]);
                } catch (NumberFormatException e) {
                    // skip
                }
            }
        }
        return out;
    }
}

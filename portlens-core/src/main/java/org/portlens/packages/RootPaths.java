package org.portlens.packages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Paths as they really are under a root: every directory symlink followed, the last name left as it is
 * (an executable's own symlink is a file of its package). {@code /bin/dash} under a usr-merged root is
 * {@code /usr/bin/dash}; an absolute link target means the same root, not the host's. One lstat per
 * directory, remembered. Not thread-safe: one per index build or lookup.
 */
final class RootPaths {

    private static final int MAX_LINKS = 32;

    private final Path root;
    private final Map<String, String> dirs = new HashMap<>();

    RootPaths(Path root) {
        this.root = root;
    }

    /** The path with its directories resolved; {@code path} itself when nothing is a link or it is not absolute. */
    String canonical(String path) {
        int slash = path.lastIndexOf('/');
        if (!path.startsWith("/") || slash == 0) {
            return path;
        }
        String parent = path.substring(0, slash);
        String dir = dirs.get(parent);
        if (dir == null) {
            dir = canonicalDir(plain(parent) ? parent : normalize(parent), 0);
            dirs.put(parent, dir);
        }
        if (dir.equals(parent)) {
            return path; // the common case: no link on the way
        }
        return (dir.equals("/") ? "" : dir) + path.substring(slash);
    }

    private String canonicalDir(String dir, int depth) {
        if (dir.equals("/")) {
            return dir;
        }
        String known = dirs.get(dir);
        if (known != null) {
            return known;
        }
        int slash = dir.lastIndexOf('/');
        String parent = slash == 0 ? "/" : canonicalDir(dir.substring(0, slash), depth);
        String here = (parent.equals("/") ? "" : parent) + "/" + dir.substring(slash + 1);
        String result = here;
        Path onDisk = root.resolve(here.substring(1));
        try {
            BasicFileAttributes a = Files.readAttributes(onDisk, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink() && depth < MAX_LINKS) {
                String target = Files.readSymbolicLink(onDisk).toString();
                String joined = target.startsWith("/") ? target : parent + "/" + target;
                result = canonicalDir(normalize(joined), depth + 1);
            }
        } catch (IOException | SecurityException e) {
            // missing or unreadable: the path as written is all there is
        }
        dirs.put(dir, result);
        return result;
    }

    /** Whether a path has no {@code .}, {@code ..} or empty name to remove. */
    private static boolean plain(String path) {
        return !path.contains("//") && !path.contains("/.") && !path.endsWith("/");
    }

    /** Removes {@code .}, {@code ..} and doubled slashes; never climbs above the root. */
    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
    }
}

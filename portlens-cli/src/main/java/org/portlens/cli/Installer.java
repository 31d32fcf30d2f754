package org.portlens.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code portlens install} writes under a prefix, and {@code uninstall} removes: the launcher and
 * the jar in {@code lib/portlens}, a {@code bin/portlens} symlink, man pages and completions, and a
 * manifest of all of it in {@code lib/portlens/install-manifest}.
 *
 * <p>Nothing is half-written: every file is first written to a temporary name of its own next to its
 * place (so two installs at once never rename each other's files), every directory it needs is made,
 * and every file it replaces is kept under another name; only when all of that worked are they renamed
 * into place. On a failure, staging or renaming, the renamed files get their previous versions back,
 * the temporary files, backups and directories made are removed, and the prefix is as it was.
 *
 * <p>Uninstall removes the files in the manifest and {@code lib/portlens}, never a directory other
 * programs share ({@code bin}, {@code share/man}, the prefix itself), even when install made it.
 */
final class Installer {

    static final String MANIFEST = "lib/portlens/install-manifest";
    /** The one directory that is portlens's alone; uninstall removes no other. */
    static final String OWN_DIR = "lib/portlens";

    private static final String TMP = ".portlens-install.tmp";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    /** One thing to install: a file with its bytes (or a file to copy), or a symlink. */
    record Entry(String path, byte[] content, Path copyOf, String linkTo, boolean exec) {
        static Entry file(String path, byte[] content, boolean exec) {
            return new Entry(path, content, null, null, exec);
        }

        static Entry copy(String path, Path source) {
            return new Entry(path, null, source, null, false);
        }

        static Entry link(String path, String target) {
            return new Entry(path, null, null, target, false);
        }
    }

    private Installer() {}

    /** The default prefix: {@code /usr/local} for root, {@code ~/.local} for anyone else. */
    static Path defaultPrefix() {
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/usr/local");
        }
        return Path.of(System.getProperty("user.home"), ".local");
    }

    /** A path the user gave for {@code --prefix} or {@code --destdir}: absolute, normalized. */
    static Path absolute(String option, Path p) {
        if (!p.isAbsolute()) {
            throw new InputException(option + " must be an absolute path, got '" + p + "'");
        }
        return p.normalize();
    }

    /** The directory the files go to: {@code DESTDIR/PREFIX}, or PREFIX without a destdir. */
    static Path root(Path prefix, Path destdir) {
        return destdir == null ? prefix : destdir.resolve(prefix.getRoot().relativize(prefix));
    }

    /** The jar this program runs from; install copies it. */
    static Path runningJar() {
        CodeSource source = Installer.class.getProtectionDomain().getCodeSource();
        Path jar = null;
        try {
            jar = source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            jar = null;
        }
        if (jar == null
                || !Files.isRegularFile(jar)
                || !jar.getFileName().toString().endsWith(".jar")) {
            throw new InputException("install copies the jar it runs from, and this is not a jar ("
                    + (jar == null ? "unknown location" : jar)
                    + "): build it with 'mvn -B -q -DskipTests package' and run portlens-cli/target/portlens.jar");
        }
        return jar;
    }

    /** Everything install writes, from the running jar and the resources built into it. */
    static List<Entry> plan(Path jar) {
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.file("lib/portlens/portlens", resource("/launcher/portlens"), true));
        entries.add(Entry.copy("lib/portlens/portlens.jar", jar));
        entries.add(Entry.link("bin/portlens", "../lib/portlens/portlens"));
        String index = new String(resource(BuildDocs.MAN_INDEX), StandardCharsets.UTF_8);
        for (String page : index.split("\n")) {
            if (!page.isBlank()) {
                entries.add(Entry.file("share/man/man1/" + page.strip(), resource("/man/" + page.strip()), false));
            }
        }
        entries.add(Entry.file("share/bash-completion/completions/portlens", resource(BuildDocs.BASH), false));
        entries.add(Entry.file("share/zsh/site-functions/_portlens", resource(BuildDocs.ZSH), false));
        entries.add(Entry.file("share/fish/vendor_completions.d/portlens.fish", resource(BuildDocs.FISH), false));
        return entries;
    }

    static byte[] resource(String name) {
        try (InputStream in = Installer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + name + " (built without BuildDocs?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Installs the entries under {@code root}, all or nothing, and writes the manifest.
     *
     * @param staging true under a {@code --destdir} (the manifest is the same either way: it names only
     *     {@code lib/portlens} as install's own directory)
     * @return the paths written, under root, manifest last
     */
    static List<Path> install(Path root, List<Entry> entries, boolean staging) {
        return install(root, entries, staging, () -> {});
    }

    /** {@link #install(Path, List, boolean)}, running {@code beforeRename} once all is staged (for tests). */
    static List<Path> install(Path root, List<Entry> entries, boolean staging, Runnable beforeRename) {
        Path manifestFile = root.resolve(MANIFEST);
        Manifest old = Manifest.read(manifestFile);
        List<String> created = new ArrayList<>();
        List<String> createdAbove = new ArrayList<>();
        // target -> its staged temporary file, and target -> a backup of the file it replaces
        Map<Path, Path> temps = new LinkedHashMap<>();
        Map<Path, Path> backups = new LinkedHashMap<>();
        try {
            for (Entry e : entries) {
                check(root, e, old);
            }
            for (Entry e : entries) {
                Path target = root.resolve(e.path());
                makeDirectories(root, target.getParent(), created, createdAbove);
                temps.put(target, writeTemp(target, e));
            }
            List<String> lines = new ArrayList<>();
            for (Entry e : entries) {
                lines.add((e.linkTo() != null ? "l " : "f ") + e.path());
            }
            // only portlens's own directory: bin, share/man, ~/.local and the like are shared with
            // other programs (and on the user's PATH), so uninstall leaves them even when install made them
            lines.add("d " + OWN_DIR);
            temps.put(
                    manifestFile,
                    writeTemp(
                            manifestFile,
                            Entry.file(
                                    MANIFEST,
                                    (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                                    false)));
            for (Path target : temps.keySet()) {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    backups.put(target, backup(target));
                }
            }
            beforeRename.run();
        } catch (IOException | RuntimeException e) {
            temps.values().forEach(Installer::deleteQuietly);
            backups.values().forEach(Installer::deleteQuietly);
            removeDirectories(root, created);
            removeDirectories(root, createdAbove);
            if (e instanceof InputException ie) {
                throw ie;
            }
            throw new InputException("cannot install into " + root + ": " + describe(e) + "; nothing was installed");
        }
        // all written: into place (a rename within one directory), the previous files kept until the end
        List<Path> renamed = new ArrayList<>();
        for (Map.Entry<Path, Path> t : temps.entrySet()) {
            try {
                Files.move(
                        t.getValue(), t.getKey(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                renamed.add(t.getKey());
            } catch (IOException e) {
                boolean restored = rollBack(renamed, temps, backups);
                removeDirectories(root, created);
                removeDirectories(root, createdAbove);
                throw new InputException("cannot install into " + root + ": cannot rename " + t.getValue() + " to "
                        + t.getKey() + " (" + describe(e) + "); "
                        + (!restored
                                ? "the previous install could not be fully restored: run portlens install again"
                                : old.files().isEmpty()
                                        ? "nothing was installed"
                                        : "the previous install is as it was"));
            }
        }
        backups.values().forEach(Installer::deleteQuietly);
        // what the previous install wrote and this one did not (a command that no longer exists)
        for (String stale : old.files()) {
            if (entries.stream().noneMatch(e -> e.path().equals(stale))) {
                deleteQuietly(root.resolve(stale));
            }
        }
        return List.copyOf(renamed);
    }

    /**
     * Undoes the renames done: each target gets its backup back, or goes if it is new; then the temporary
     * files and backups left are removed.
     *
     * @return false when a previous file could not be put back
     */
    private static boolean rollBack(List<Path> renamed, Map<Path, Path> temps, Map<Path, Path> backups) {
        boolean ok = true;
        for (int i = renamed.size() - 1; i >= 0; i--) {
            Path target = renamed.get(i);
            Path backup = backups.remove(target);
            try {
                if (backup != null) {
                    Files.move(backup, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.deleteIfExists(target);
                }
            } catch (IOException e) {
                ok = false;
            }
        }
        for (Map.Entry<Path, Path> t : temps.entrySet()) {
            if (!renamed.contains(t.getKey())) {
                deleteQuietly(t.getValue());
            }
        }
        backups.values().forEach(Installer::deleteQuietly);
        return ok;
    }

    /**
     * Removes what the manifest under {@code root} lists, the manifest, and {@code lib/portlens} when empty;
     * never a directory shared with other programs ({@code bin}, {@code share/man}, the prefix), even when
     * an older install's manifest names it.
     *
     * @return the paths removed
     */
    static List<Path> uninstall(Path root) {
        Path manifestFile = root.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            Path own = root.resolve(OWN_DIR);
            if (Files.exists(own, LinkOption.NOFOLLOW_LINKS)
                    || Files.exists(root.resolve("bin/portlens"), LinkOption.NOFOLLOW_LINKS)) {
                throw new InputException("no install-manifest under " + own
                        + ": not installed by 'portlens install' (a Debian package? use dpkg -r portlens)");
            }
            throw new InputException("nothing to uninstall in " + root + ": there is no " + manifestFile
                    + " (portlens install writes it)");
        }
        Manifest m = Manifest.read(manifestFile);
        List<Path> removed = new ArrayList<>();
        try {
            for (String f : m.files()) {
                Path p = root.resolve(f);
                if (Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            }
            Files.delete(manifestFile);
            removed.add(manifestFile);
        } catch (IOException e) {
            throw new InputException("cannot uninstall from " + root + ": " + describe(e));
        }
        removed.addAll(removeDirectories(
                root, m.dirs().stream().filter(Installer::isOwnDirectory).toList()));
        return removed;
    }

    /** True for {@code lib/portlens} and below: the only directories that are portlens's alone. */
    static boolean isOwnDirectory(String dir) {
        return Path.of(dir).normalize().startsWith(OWN_DIR) && !dir.startsWith("..");
    }

    /** Refuses a target that is a directory, or a file that a previous install did not write. */
    private static void check(Path root, Entry e, Manifest old) {
        Path target = root.resolve(e.path());
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new InputException(target + " is a directory; remove it or choose another --prefix");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !old.files().contains(e.path())) {
            throw new InputException(target + " exists and was not written by portlens install" + " (not in "
                    + root.resolve(MANIFEST) + "; a package's file? dpkg -S names its package);"
                    + " remove it or choose another --prefix");
        }
        Path existing = target.getParent();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new InputException("cannot install into " + root + ": " + existing + " is not a directory");
        }
        if (!Files.isWritable(existing) || !Files.isExecutable(existing)) {
            throw new InputException("cannot install into " + root + ": " + existing
                    + " is not writable (choose another --prefix, or run as a user who may write there)");
        }
    }

    private static void makeDirectories(Path root, Path dir, List<String> created, List<String> createdAbove)
            throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.exists(d, LinkOption.NOFOLLOW_LINKS); d = d.getParent()) {
            missing.add(0, d);
        }
        for (Path d : missing) {
            Files.createDirectory(d);
            Files.setPosixFilePermissions(d, EXECUTABLE);
            if (d.startsWith(root) && !d.equals(root)) {
                created.add(root.relativize(d).toString());
            } else {
                createdAbove.add(d.toString()); // the root or above: removed on failure only
            }
        }
    }

    /** A new hidden name next to target, unique to this run: {@code .NAME.RANDOM.portlens-install.tmp}. */
    private static Path uniqueSibling(Path target) {
        return target.resolveSibling(
                "." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + TMP);
    }

    /** Stages the entry under a name of its own next to target, so concurrent installs never share one. */
    private static Path writeTemp(Path target, Entry e) throws IOException {
        if (e.linkTo() != null) {
            while (true) {
                try {
                    return Files.createSymbolicLink(uniqueSibling(target), Path.of(e.linkTo()));
                } catch (FileAlreadyExistsException taken) {
                    // another run's name: try another
                }
            }
        }
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", TMP);
        try {
            if (e.copyOf() != null) {
                Files.copy(e.copyOf(), tmp, StandardCopyOption.REPLACE_EXISTING);
            } else if (e.content() != null) {
                Files.write(tmp, e.content());
            }
            Files.setPosixFilePermissions(tmp, e.exec() ? EXECUTABLE : READABLE);
        } catch (IOException | RuntimeException x) {
            deleteQuietly(tmp);
            throw x;
        }
        return tmp;
    }

    /**
     * A copy of the file or symlink at target under a name of its own (a hard link, or a copy where the
     * file system has none), to put back if the install fails after target was replaced.
     */
    private static Path backup(Path target) throws IOException {
        while (true) {
            Path b = uniqueSibling(target);
            try {
                if (Files.isSymbolicLink(target)) {
                    return Files.createSymbolicLink(b, Files.readSymbolicLink(target));
                }
                try {
                    return Files.createLink(b, target);
                } catch (UnsupportedOperationException | FileSystemException noLink) {
                    if (noLink instanceof FileAlreadyExistsException taken) {
                        throw taken;
                    }
                    return Files.copy(target, b, StandardCopyOption.COPY_ATTRIBUTES);
                }
            } catch (FileAlreadyExistsException taken) {
                // another run's name: try another
            }
        }
    }

    /** Removes the directories (relative to root, or absolute) that are empty, deepest first. */
    private static List<Path> removeDirectories(Path root, List<String> dirs) {
        List<Path> paths = new ArrayList<>();
        for (String d : dirs) {
            paths.add(root.resolve(d).normalize());
        }
        paths.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        List<Path> removed = new ArrayList<>();
        for (Path p : paths) {
            try {
                if (Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            } catch (DirectoryNotEmptyException e) {
                // something else lives there too: it stays
            } catch (IOException e) {
                // cannot remove it: it stays, and the uninstall is still complete for its files
            }
        }
        return removed;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort on the way out of a failed install
        }
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory: " + n.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof FileSystemException f) {
            return (f.getReason() == null ? "failed" : f.getReason()) + ": " + f.getFile();
        }
        return String.valueOf(e.getMessage());
    }

    /** The manifest: {@code f PATH} (a file or symlink) and {@code d PATH} (a directory install made). */
    record Manifest(List<String> files, List<String> dirs) {
        static Manifest read(Path file) {
            List<String> files = new ArrayList<>();
            List<String> dirs = new ArrayList<>();
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return new Manifest(files, dirs);
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InputException("cannot read " + file + ": " + describe(e));
            }
            for (String line : lines) {
                if (line.length() < 3 || line.charAt(1) != ' ') {
                    continue;
                }
                String path = line.substring(2);
                Path p = Path.of(path);
                boolean inside = !p.isAbsolute() && p.normalize().equals(p) && !path.startsWith("..");
                if (line.charAt(0) == 'd' && (inside || path.equals("."))) {
                    dirs.add(path);
                } else if ((line.charAt(0) == 'f' || line.charAt(0) == 'l') && inside) {
                    files.add(path);
                }
            }
            return new Manifest(List.copyOf(files), List.copyOf(dirs));
        }
    }
}

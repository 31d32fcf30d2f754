package org.portlens.packages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads dpkg's database under a root ({@code /} on a live system, a container's root, a fixture in
 * tests): {@code var/lib/dpkg/status}, {@code info/*.list} and {@code diversions}. Parsing is
 * {@link DpkgParser}'s. Static methods only; safe from any thread.
 */
final class DpkgDatabase {

    private DpkgDatabase() {}

    static Path dir(Path root) {
        return root.resolve("var/lib/dpkg");
    }

    /** Whether the root has a dpkg status file at all. */
    static boolean present(Path root) {
        return Files.isRegularFile(dir(root).resolve("status"));
    }

    /** The sizes and times of the files an index depends on. */
    static DpkgIndex.Stamp stamp(Path root) throws IOException {
        Path d = dir(root);
        BasicFileAttributes status = Files.readAttributes(d.resolve("status"), BasicFileAttributes.class);
        BasicFileAttributes info = Files.readAttributes(d.resolve("info"), BasicFileAttributes.class);
        long divSize = -1;
        long divTime = -1;
        try {
            BasicFileAttributes div = Files.readAttributes(d.resolve("diversions"), BasicFileAttributes.class);
            divSize = div.size();
            divTime = div.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        } catch (NoSuchFileException e) {
            // no diversions: the stamp says so with -1
        }
        return new DpkgIndex.Stamp(
                status.size(),
                status.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                info.size(),
                info.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                divSize,
                divTime);
    }

    /**
     * Reads and indexes the whole database. A list file that cannot be read is a note, not a failure.
     *
     * @throws IOException when the status file or the info directory cannot be read
     */
    static DpkgIndex index(Path root) throws IOException {
        Path d = dir(root);
        DpkgIndex.Stamp stamp = stamp(root);
        DpkgParser.Parsed<DpkgPackage> status = DpkgParser.status(read(d.resolve("status")));
        List<String> problems = new ArrayList<>();
        Map<String, DpkgParser.Parsed<String>> lists = new TreeMap<>();
        try (DirectoryStream<Path> info = Files.newDirectoryStream(d.resolve("info"), "*.list")) {
            for (Path l : info) {
                String name = l.getFileName().toString();
                try {
                    lists.put(name, DpkgParser.list(name, read(l)));
                } catch (IOException e) {
                    problems.add(name + " could not be read: " + e.getMessage());
                }
            }
        }
        DpkgParser.Parsed<DpkgParser.Diversion> diversions = new DpkgParser.Parsed<>(List.of(), List.of());
        Path div = d.resolve("diversions");
        if (Files.exists(div)) {
            try {
                diversions = DpkgParser.diversions(read(div));
            } catch (IOException e) {
                problems.add("diversions could not be read: " + e.getMessage());
            }
        }
        RootPaths paths = new RootPaths(root);
        return DpkgIndex.build(stamp, status, lists, diversions, paths::canonical, problems);
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}

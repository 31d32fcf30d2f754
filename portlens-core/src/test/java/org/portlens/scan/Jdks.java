package org.portlens.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a JDK for tests that must run on a newer Java than the build's (the native scan engine needs
 * 22+): {@code PORTLENS_TEST_JDK} if set, else the newest JDK under {@code /usr/lib/jvm} (Debian's
 * place, where the CI machine also has Temurin's). Versions come from each JDK's {@code release} file.
 * Public for the CLI's tests, which get it through portlens-core's test jar.
 */
public final class Jdks {

    private Jdks() {}

    /** The java launcher of a JDK of at least {@code feature}, or null when there is none. */
    public static Path javaOfAtLeast(int feature) throws IOException {
        String env = System.getenv("PORTLENS_TEST_JDK");
        if (env != null && !env.isEmpty()) {
            Path home = Path.of(env);
            if (featureOf(home) < feature) {
                throw new IllegalStateException("PORTLENS_TEST_JDK=" + env + " is not a JDK " + feature + "+");
            }
            return home.resolve("bin/java");
        }
        Path best = null;
        int bestFeature = -1;
        Path root = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            for (Path home : dir) {
                int f = featureOf(home);
                if (f >= feature && f > bestFeature && Files.isExecutable(home.resolve("bin/java"))) {
                    best = home;
                    bestFeature = f;
                }
            }
        }
        return best == null ? null : best.resolve("bin/java");
    }

    /** The feature version of the JDK at {@code home}, from its release file; -1 if it has none. */
    static int featureOf(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return -1;
        }
        try {
            return parseRelease(Files.readString(release, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return -1;
        }
    }

    /** The feature version in a release file's {@code JAVA_VERSION="25.0.3"} line (1.8 counts as 8); -1 if none. */
    static int parseRelease(String text) {
        for (String line : text.split("\n")) {
            line = line.strip();
            if (!line.startsWith("JAVA_VERSION=")) {
                continue;
            }
            String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
            String[] parts = v.split("[.+-]");
            try {
                int first = Integer.parseInt(parts[0]);
                return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}

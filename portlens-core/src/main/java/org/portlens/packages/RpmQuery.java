package org.portlens.packages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks {@code rpm -qf} which package holds a file, where rpm and an rpm database are present. Running
 * is here, parsing in {@link #parse}. Immutable; safe from any thread.
 */
final class RpmQuery {

    static final String FORMAT = "%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\n";
    private static final long TIMEOUT_SECONDS = 10;

    private final Path rpm;

    RpmQuery(Path rpm) {
        this.rpm = rpm;
    }

    /** rpm, when the host has the program and a database under one of its usual places. */
    static Optional<RpmQuery> find(Path root) {
        for (String bin : List.of("usr/bin/rpm", "bin/rpm")) {
            Path b = root.resolve(bin);
            if (Files.isExecutable(b) && database(root).isPresent()) {
                return Optional.of(new RpmQuery(b));
            }
        }
        return Optional.empty();
    }

    /** The rpm database directory, when it holds a database (sqlite, bdb or ndb). */
    static Optional<Path> database(Path root) {
        for (String d : List.of("var/lib/rpm", "usr/lib/sysimage/rpm")) {
            for (String f : List.of("rpmdb.sqlite", "Packages", "Packages.db")) {
                if (Files.isRegularFile(root.resolve(d).resolve(f))) {
                    return Optional.of(root.resolve(d));
                }
            }
        }
        return Optional.empty();
    }

    PackageOrigin query(String path) {
        try {
            Process p = new ProcessBuilder(rpm.toString(), "-qf", "--queryformat", FORMAT, "--", path)
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new PackageOrigin.Unknown("rpm -qf " + path + " took more than " + TIMEOUT_SECONDS + " s");
            }
            return parse(new String(out, StandardCharsets.UTF_8), p.exitValue(), path);
        } catch (IOException e) {
            return new PackageOrigin.Unknown("rpm -qf could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PackageOrigin.Unknown("interrupted while rpm -qf ran");
        }
    }

    /**
     * What {@code rpm -qf --queryformat FORMAT PATH} said: {@code name\tversion-release\tarch} lines (the
     * first taken when several packages share the file), or "file PATH is not owned by any package".
     */
    static PackageOrigin parse(String output, int exit, String path) {
        if (output.contains("is not owned by any package")) {
            return new PackageOrigin.NotPackaged(path, false, "");
        }
        String first = output.strip().split("\n", 2)[0];
        String[] f = first.split("\t", -1);
        if (exit != 0 || f.length != 3 || f[0].isEmpty()) {
            return new PackageOrigin.Unknown("rpm -qf " + path + " exited " + exit
                    + (first.isEmpty() ? "" : ": " + (first.length() > 120 ? first.substring(0, 120) + "…" : first)));
        }
        return new PackageOrigin.Installed(
                PackageOrigin.Manager.RPM, f[0], f[1], f[2].equals("(none)") ? "" : f[2], false);
    }
}

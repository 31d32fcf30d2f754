package org.portlens.cli;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portlens install}: the launcher, the jar, man pages and completions under a prefix. */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Install portlens under a prefix: launcher, jar, man pages, completions.",
        description = {
            "Writes PREFIX/lib/portlens/portlens (the launcher) and portlens.jar (this jar), the symlink PREFIX/bin/portlens, a man page per command in PREFIX/share/man/man1, and bash, zsh and fish completions under PREFIX/share. Prints what it wrote and, when PREFIX/bin is not on PATH, the line to add.",
            "",
            "All or nothing: on a failure nothing is left behind. PREFIX/lib/portlens/install-manifest lists what was written, for 'portlens uninstall'."
        })
final class InstallCommand implements Callable<Integer> {

    @Option(
            names = "--prefix",
            paramLabel = "DIR",
            description = {"Where to install (absolute).", "Default: ~/.local, or /usr/local for root."})
    Path prefix;

    @Option(
            names = "--destdir",
            paramLabel = "DIR",
            description =
                    "Stage the files under DIR (absolute) for packaging: they land in DIR/PREFIX and still refer to PREFIX.")
    Path destdir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path p = Installer.absolute("--prefix", prefix == null ? Installer.defaultPrefix() : prefix);
        Path d = destdir == null ? null : Installer.absolute("--destdir", destdir);
        List<Installer.Entry> entries = Installer.plan(Installer.runningJar());
        Path root = Installer.root(p, d);
        List<Path> written = Installer.install(root, entries, d != null);
        PrintWriter out = spec().commandLine().getOut();
        out.println("portlens " + Version.number() + " installed in " + p
                + (d == null ? "" : " (staged under " + d + ")") + ":");
        for (Path w : written) {
            out.println("  " + w);
        }
        if (d == null && !onPath(p.resolve("bin"), System.getenv("PATH"))) {
            out.println(p.resolve("bin") + " is not on your PATH; add this line to your shell's profile"
                    + " (~/.profile, ~/.bashrc or ~/.zshrc), then open a new shell:");
            out.println("  export PATH=\"" + p.resolve("bin") + ":$PATH\"");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }

    static boolean onPath(Path bin, String path) {
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()
                    && Path.of(dir).isAbsolute()
                    && Path.of(dir).normalize().equals(bin.normalize())) {
                return true;
            }
        }
        return false;
    }
}

package org.portlens.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portlens uninstall}: removes exactly what {@code portlens install} wrote under a prefix. */
@Command(
        name = "uninstall",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Remove what 'portlens install' wrote under a prefix.",
        description = {
            "Removes the files listed in PREFIX/lib/portlens/install-manifest, the manifest, and PREFIX/lib/portlens when empty. Directories other programs share (bin, share/man, the prefix itself) stay, even when install made them. Files without a manifest (a Debian package's: use dpkg -r portlens) are refused. Nothing else is touched (the class-data archives in ~/.cache/portlens stay: delete that directory by hand if you like)."
        })
final class UninstallCommand implements Callable<Integer> {

    @Option(
            names = "--prefix",
            paramLabel = "DIR",
            description = {"Where portlens was installed (absolute).", "Default: ~/.local, or /usr/local for root."})
    Path prefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path p = Installer.absolute("--prefix", prefix == null ? Installer.defaultPrefix() : prefix);
        List<Path> removed = Installer.uninstall(p);
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("portlens uninstalled from " + p + ":");
        for (Path r : removed) {
            out.println("  removed " + r);
        }
        out.flush();
        return ExitCodes.OK;
    }
}

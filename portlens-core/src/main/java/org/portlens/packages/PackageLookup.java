package org.portlens.packages;

import org.portlens.internal.OperatingSystem;
import org.portlens.model.ProcessInfo;

/**
 * Finds the installed package of a process's executable. {@link #system()} reads this host's dpkg
 * database itself (and asks {@code rpm -qf} where RPM is the package manager), caching an index on disk;
 * {@link #none()} looks nothing up.
 *
 * <p>Implementations are safe to call from any thread.
 */
public interface PackageLookup {

    /**
     * The package of the process's executable, or why none is named. Never throws.
     *
     * @param process a process read from this host
     * @return where its executable came from
     */
    PackageOrigin of(ProcessInfo process);

    /**
     * The lookup of this host: dpkg's database under {@code /var/lib/dpkg}, read directly, with an index
     * kept in {@code $XDG_CACHE_HOME/portlens} (else {@code ~/.cache/portlens}) when that directory is
     * the user's own; {@code rpm -qf} when there is no dpkg database but an rpm one. One shared instance.
     * On macOS and Windows no package manager is asked yet: each process's package is "not looked up",
     * with the reason.
     *
     * @return the system's lookup
     */
    static PackageLookup system() {
        OperatingSystem os = OperatingSystem.current();
        return os == OperatingSystem.LINUX ? LinuxPackageLookup.system() : new UnreadPackageLookup(os.label());
    }

    /**
     * The lookup that looks nothing up: an {@link org.portlens.Explainer} given it names no packages.
     *
     * @return the one lookup that is never asked
     */
    static PackageLookup none() {
        return NoPackageLookup.INSTANCE;
    }
}

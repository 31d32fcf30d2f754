package org.portlens.packages;

import org.portlens.model.ProcessInfo;

/**
 * The lookup of a system whose package managers portlens does not read yet (macOS's Homebrew, Windows'
 * winget): every answer says so. Immutable; safe from any thread.
 *
 * @param system the system's name, such as {@code macOS}
 */
record UnreadPackageLookup(String system) implements PackageLookup {
    @Override
    public PackageOrigin of(ProcessInfo process) {
        return new PackageOrigin.Unknown("packages are looked up on Linux only (dpkg, rpm), not on " + system + " yet");
    }
}

package org.portlens.packages;

/**
 * One package of dpkg's status file. Immutable.
 *
 * @param name         Package
 * @param architecture Architecture, or empty
 * @param version      Version, or empty
 * @param state        the third word of Status: installed, unpacked, half-configured, config-files, …
 */
record DpkgPackage(String name, String architecture, String version, String state) {

    /** Whether dpkg has put the package's files on disk: its list counts. */
    boolean filesOnDisk() {
        switch (state) {
            case "installed":
            case "triggers-pending":
            case "triggers-awaited":
            case "half-configured":
            case "unpacked":
                return true;
            default:
                return false; // not-installed, config-files, half-installed
        }
    }
}

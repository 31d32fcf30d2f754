package org.portlens.discovery;

import org.portlens.discovery.linux.LinuxProcessTable;
import org.portlens.discovery.linux.LinuxSocketTable;
import org.portlens.discovery.macos.MacProcessTable;
import org.portlens.discovery.macos.MacSocketTable;
import org.portlens.discovery.windows.WindowsProcessTable;
import org.portlens.discovery.windows.WindowsSocketTable;
import org.portlens.internal.OperatingSystem;

/**
 * The one place that picks the socket and process tables for an operating system, by its {@code
 * os.name}: tested with the names each JVM reports, so that a Mac or Windows JVM never reaches the
 * Linux readers and a Linux JVM never runs lsof or PowerShell. Building a table runs nothing; its
 * first read does. Stateless; safe from any thread.
 */
final class Platforms {

    private Platforms() {}

    static SocketTable socketTable(String osName) {
        switch (OperatingSystem.of(osName)) {
            case LINUX:
                return LinuxSocketTable.system();
            case MACOS:
                return MacSocketTable.system();
            case WINDOWS:
                return WindowsSocketTable.system();
            default:
                throw new UnsupportedPlatformException(unsupported("listing sockets", osName));
        }
    }

    static ProcessTable processTable(String osName) {
        switch (OperatingSystem.of(osName)) {
            case LINUX:
                return LinuxProcessTable.system();
            case MACOS:
                return MacProcessTable.system();
            case WINDOWS:
                return WindowsProcessTable.system();
            default:
                throw new UnsupportedPlatformException(unsupported("reading processes", osName));
        }
    }

    private static String unsupported(String what, String osName) {
        return what + " is implemented for Linux, macOS and Windows, not " + (osName.isBlank() ? "this system" : osName)
                + "; the registry commands (lookup, search, registry) and probes work everywhere";
    }
}

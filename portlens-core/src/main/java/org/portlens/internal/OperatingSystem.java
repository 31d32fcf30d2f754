package org.portlens.internal;

import java.util.Locale;

/**
 * Which operating system a JVM runs on, from its {@code os.name}: the one place that asks. {@link
 * org.portlens.discovery.SocketTable#system()} and the native scan engine choose by it, so that a Mac or
 * Windows JVM never reaches the Linux readers, and a Linux JVM never runs {@code lsof -F} or PowerShell.
 * Immutable; safe from any thread.
 */
public enum OperatingSystem {
    /** Linux: {@code /proc} and netlink. */
    LINUX("Linux"),
    /** macOS ({@code os.name} "Mac OS X", also "Darwin"): {@code lsof}, {@code netstat}, {@code ps}. */
    MACOS("macOS"),
    /** Windows, every edition ({@code os.name} "Windows 11", "Windows Server 2022", …). */
    WINDOWS("Windows"),
    /** Anything else: FreeBSD, Solaris, AIX. */
    OTHER("other");

    private final String label;

    OperatingSystem(String label) {
        this.label = label;
    }

    /**
     * How people name it.
     *
     * @return "Linux", "macOS", "Windows" or "other"
     */
    public String label() {
        return label;
    }

    /**
     * The system an {@code os.name} value names.
     *
     * @param osName such as "Linux", "Mac OS X", "Windows 10"; null or empty is {@link #OTHER}
     * @return the system
     */
    public static OperatingSystem of(String osName) {
        String os = osName == null ? "" : osName.strip().toLowerCase(Locale.ROOT);
        if (os.equals("linux")) {
            return LINUX;
        }
        if (os.startsWith("mac") || os.equals("darwin")) {
            return MACOS;
        }
        if (os.startsWith("windows")) {
            return WINDOWS;
        }
        return OTHER;
    }

    /**
     * The system this JVM runs on.
     *
     * @return the system {@code os.name} names
     */
    public static OperatingSystem current() {
        return of(System.getProperty("os.name", ""));
    }
}

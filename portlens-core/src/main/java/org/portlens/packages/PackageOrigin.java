package org.portlens.packages;

/**
 * Where an executable came from: the installed package that holds it, or why no package is named.
 * "Unknown" is never empty: each kind says why.
 *
 * <p>Every kind is an immutable record; safe to share between threads. Names, versions and paths come
 * from files other programs wrote: escape them before printing ({@link org.portlens.Untrusted}).
 */
public sealed interface PackageOrigin {

    /**
     * The origin in a few words, as the owner's {@code package} line shows it: {@code nginx-core
     * 1.22.1-9+deb12u1 (dpkg, amd64)}, {@code not from a package}, {@code not looked up: executable
     * deleted}. Not escaped.
     *
     * @return one line
     */
    String summary();

    /** The package manager whose database named the package. */
    enum Manager {
        /** Debian's dpkg, read from {@code /var/lib/dpkg}. */
        DPKG,
        /** RPM, asked with {@code rpm -qf}. */
        RPM;

        /**
         * The manager's name as its command is called.
         *
         * @return {@code dpkg} or {@code rpm}
         */
        public String label() {
            return this == DPKG ? "dpkg" : "rpm";
        }
    }

    /**
     * An installed package lists the executable.
     *
     * @param manager      dpkg or rpm
     * @param name         the package's name ({@code nginx-core})
     * @param version      its installed version ({@code 1.22.1-9+deb12u1})
     * @param architecture its architecture ({@code amd64}, {@code all}, {@code x86_64}), or empty when not known
     * @param otherRoot    the process runs in another root (a container or chroot), and this is that
     *                     root's package, not the host's
     */
    record Installed(Manager manager, String name, String version, String architecture, boolean otherRoot)
            implements PackageOrigin {
        @Override
        public String summary() {
            String where = manager.label() + (architecture.isEmpty() ? "" : ", " + architecture);
            return name + " " + version + " (" + where + ")" + (otherRoot ? " of the container's root" : "");
        }
    }

    /**
     * No installed package lists the executable: it was built, copied or unpacked by hand.
     *
     * @param path      the path looked up
     * @param otherRoot looked up in the process's own root (a container or chroot), not the host's
     * @param note      why, when there is more to say (a diversion moved the packaged file away), or empty
     */
    record NotPackaged(String path, boolean otherRoot, String note) implements PackageOrigin {
        @Override
        public String summary() {
            return "not from a package" + (otherRoot ? " of the container's root" : "")
                    + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    /**
     * The executable was deleted or replaced after the process started ({@code (deleted)} in
     * {@code /proc/PID/exe}); the file on disk now, if any, is not the one running, so it is not looked up.
     *
     * @param path the path it had
     */
    record Deleted(String path) implements PackageOrigin {
        @Override
        public String summary() {
            return "not looked up: executable deleted";
        }
    }

    /**
     * The process runs in another root (a container, a chroot, another mount namespace) whose package
     * database could not be read, so its path means nothing on this host's database.
     *
     * @param path   the executable's path inside that root
     * @param reason why that root's database could not be read
     */
    record OtherRoot(String path, String reason) implements PackageOrigin {
        @Override
        public String summary() {
            return "not looked up: inside a container or other root (" + reason + ")";
        }
    }

    /**
     * The executable's path could not be read.
     *
     * @param reason why, and what would help ("run as root")
     */
    record Hidden(String reason) implements PackageOrigin {
        @Override
        public String summary() {
            return "not looked up: executable unreadable (" + reason + ")";
        }
    }

    /**
     * The lookup itself failed or cannot answer: no package database, a damaged one, rpm failing.
     *
     * @param reason what went wrong, naming the file or command
     */
    record Unknown(String reason) implements PackageOrigin {
        @Override
        public String summary() {
            return "unknown: " + reason;
        }
    }
}

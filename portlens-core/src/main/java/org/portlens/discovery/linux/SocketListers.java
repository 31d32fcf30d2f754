package org.portlens.discovery.linux;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Chooses how this JVM lists sockets; chosen here and nowhere else. */
final class SocketListers {

    /**
     * Environment variable: {@code proc} lists sockets from the proc files only; {@code netlink} over
     * sock_diag netlink from the first read, where this JVM can (JDK 22+ with native access), else from the
     * proc files. Unset: where netlink is possible, netlink from the first read when the namespaces' sockstat
     * counters announce {@value WarmingLister#NETLINK_FROM} rows or more, else the proc files, then netlink
     * from a program's repeated reads on ({@link WarmingLister}); the proc files on JDK 17 to 21.
     */
    static final String ENVIRONMENT = "PORTLENS_SOCKETS";

    private SocketListers() {}

    /**
     * The best lister this JVM and host offer, as {@value #ENVIRONMENT} asks. Prints nothing.
     *
     * @param root      the /proc tree
     * @param netnsDirs directories of named network namespaces ({@code /run/netns})
     * @return the lister; {@link SocketLister#name()} says which lists now
     */
    static SocketLister best(ProcRoot root, List<Path> netnsDirs) {
        return choose(root, netnsDirs, System.getenv(ENVIRONMENT));
    }

    /**
     * The lister a value of {@value #ENVIRONMENT} asks for.
     *
     * @param root      the /proc tree
     * @param netnsDirs directories of named network namespaces ({@code /run/netns})
     * @param setting   {@code proc}, {@code netlink}, or null (unset) or anything else for the default
     * @return the lister
     */
    static SocketLister choose(ProcRoot root, List<Path> netnsDirs, @Nullable String setting) {
        SocketTables proc = new SocketTables(root, netnsDirs);
        if ("proc".equals(setting) || !NetlinkSupport.possible()) {
            return proc;
        }
        if ("netlink".equals(setting)) {
            Optional<NetlinkChannel.Opener> netlink = NetlinkSupport.opener();
            return netlink.isPresent() ? new NetlinkLister(root, proc, netlink.get()) : proc;
        }
        return new WarmingLister(root, proc);
    }
}

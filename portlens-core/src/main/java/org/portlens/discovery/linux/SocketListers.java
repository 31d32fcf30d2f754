package org.portlens.discovery.linux;

import java.nio.file.Path;
import java.util.List;

/** Chooses how this JVM lists sockets; chosen here and nowhere else. */
final class SocketListers {

    private SocketListers() {}

    /**
     * The best lister this JVM and host offer.
     *
     * @param root      the /proc tree
     * @param netnsDirs directories of named network namespaces ({@code /run/netns})
     * @return the proc-file lister
     */
    static SocketLister best(ProcRoot root, List<Path> netnsDirs) {
        return new SocketTables(root, netnsDirs);
    }
}

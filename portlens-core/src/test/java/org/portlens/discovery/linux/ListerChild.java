package org.portlens.discovery.linux;

import java.nio.file.Path;
import java.util.List;
import org.portlens.discovery.Query;

/**
 * A child JVM's main for {@link NetlinkListerIT}: chooses a lister as {@code PORTLENS_SOCKETS=ARG} would,
 * reads once, and prints the name of the lister it chose. Anything on stderr is the choice's fault.
 */
final class ListerChild {

    private ListerChild() {}

    public static void main(String[] args) throws Exception {
        ProcRoot root = ProcRoot.system();
        SocketLister lister = SocketListers.choose(root, List.of(Path.of("/run/netns")), args[0]);
        lister.read(root.pids(), Query.all(), false);
        System.out.println(lister.name());
    }
}

package org.portlens.discovery.windows;

import java.util.List;
import java.util.Optional;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.discovery.command.Assembler;
import org.portlens.discovery.command.Snapshot;
import org.portlens.model.Endpoint;
import org.portlens.model.EphemeralRange;
import org.portlens.model.PortRange;

/**
 * Windows' sockets and their owners, from its own tools: one PowerShell run gives the sockets with
 * their owning pids (every user's, without Administrator rights), the processes with their parents,
 * command lines and start times (other users' command lines need Administrator), and the services
 * each process runs; {@code netstat -ano} and {@code tasklist} stand in for a part PowerShell cannot
 * give. Safe for concurrent use: each read runs the tools afresh.
 */
public final class WindowsSocketTable implements SocketTable {

    private final WindowsTools tools;

    WindowsSocketTable(WindowsTools tools) {
        this.tools = tools;
    }

    /**
     * The live system, as the user running portlens sees it.
     *
     * @return the table of this Windows host
     */
    public static WindowsSocketTable system() {
        return new WindowsSocketTable(new WindowsTools(WindowsTools.SYSTEM));
    }

    @Override
    public Discovery read(Query query) {
        WindowsTools.Read r = tools.read(query.ports().orElse(new PortRange(1, 65535)), true);
        WindowsSources sources = new WindowsSources(r.services(), r.servicesRead());
        // every socket comes with its pid, so none is listed without an owner
        Snapshot snapshot = new Snapshot(
                r.sockets(),
                true,
                List.of(),
                r.processes(),
                r.admin(),
                "",
                r.notes(),
                r.malformed(),
                // Winsock's IPv6 sockets take no IPv4 unless the program turns IPV6_V6ONLY off, and no tool
                // shows which: not said
                Endpoint.DualStack.NOT_APPLICABLE);
        return Assembler.assemble(query, snapshot, sources::of);
    }

    /** From {@code netsh int ipv4 show dynamicport tcp}: quicker than a second PowerShell run. */
    @Override
    public Optional<EphemeralRange> ephemeralRange() {
        String out = tools.run(WindowsTools.NETSH_DYNAMIC, new java.util.ArrayList<>(), "");
        PortRange dynamic = out == null ? null : WindowsTools.dynamicPorts(out);
        return dynamic == null
                ? Optional.empty()
                : Optional.of(new EphemeralRange(dynamic, "netsh int ipv4 show dynamicport tcp"));
    }
}

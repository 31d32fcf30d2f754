package org.portlens.discovery.windows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portlens.discovery.command.ProcessRow;
import org.portlens.discovery.command.ShellNames;
import org.portlens.model.Source;

/**
 * Why a Windows process runs, from its ancestry and the services each process hosts: the kernel
 * (System, pid 4, whose sockets are drivers' such as http.sys), a service (its own or an ancestor's),
 * the Task Scheduler, a shell in a desktop session, Explorer. Pure; safe from any thread.
 */
final class WindowsSources {

    private final Map<Integer, List<Service>> byPid = new LinkedHashMap<>();
    private final boolean servicesRead;

    /**
     * @param services     the services and the processes they run in; empty when not read
     * @param servicesRead whether they could be read
     */
    WindowsSources(List<Service> services, boolean servicesRead) {
        for (Service s : services) {
            byPid.computeIfAbsent(s.pid(), p -> new ArrayList<>()).add(s);
        }
        this.servicesRead = servicesRead;
    }

    Source of(List<ProcessRow> chain) {
        if (chain.isEmpty()) {
            return Source.unknown("the process was not in the process list");
        }
        ProcessRow self = chain.get(0);
        if (self.pid() == 0) {
            return new Source(Source.Kind.KERNEL, self.name(), "the System Idle Process, the kernel");
        }
        if (self.pid() == 4) {
            return new Source(
                    Source.Kind.KERNEL,
                    self.name(),
                    "the Windows kernel (System, pid 4): a driver holds the socket, such as http.sys for a service"
                            + " that registered a URL with the HTTP Server API (netsh http show servicestate), or SMB");
        }
        List<Service> own = byPid.get(self.pid());
        if (own != null) {
            return new Source(Source.Kind.WINDOWS_SERVICE, names(own), service(own));
        }
        for (int i = 1; i < chain.size(); i++) {
            ProcessRow a = chain.get(i);
            String n = ShellNames.bare(a.name());
            List<Service> hosted = byPid.getOrDefault(a.pid(), List.of());
            if (n.equals("taskhostw")
                    || n.equals("taskeng")
                    || hosted.stream().anyMatch(s -> s.name().equals("Schedule"))) {
                return new Source(
                        Source.Kind.CRON,
                        "Task Scheduler",
                        "started by the Task Scheduler (" + a.name() + ", pid " + a.pid() + ")");
            }
        }
        for (ProcessRow a : chain) {
            if (ShellNames.shell(a.name()) && !a.terminal().isEmpty()) {
                String shell = ShellNames.bare(a.name());
                return new Source(
                        Source.Kind.SHELL,
                        shell,
                        "interactive " + shell + " in " + a.terminal() + " (" + a.name() + ", pid " + a.pid() + ")");
            }
        }
        for (int i = 1; i < chain.size(); i++) {
            ProcessRow a = chain.get(i);
            List<Service> hosted = byPid.get(a.pid());
            if (hosted != null) {
                return new Source(
                        Source.Kind.WINDOWS_SERVICE,
                        names(hosted),
                        service(hosted) + ", through its process " + a.name() + " (pid " + a.pid() + ")");
            }
            if (ShellNames.bare(a.name()).equals("explorer")) {
                String session = a.terminal().isEmpty() ? "the desktop session" : "desktop " + a.terminal();
                return new Source(
                        Source.Kind.SESSION, session, session + " (started from Explorer, pid " + a.pid() + ")");
            }
        }
        if (chain.size() > 1 && ShellNames.bare(chain.get(1).name()).equals("services")) {
            return Source.unknown("started by the Service Control Manager (services.exe), but "
                    + (servicesRead ? "no service names this process" : "the services could not be read"));
        }
        return Source.unknown("no service, scheduled task, shell or desktop session found in its ancestry");
    }

    /**
     * The source's name: the service, or the services of a shared process joined by commas ({@code
     * RpcEptMapper,RpcSs}): no one of them is the process's, so none is named alone (nor stopped alone).
     */
    private static String names(List<Service> services) {
        List<String> names = new ArrayList<>();
        services.forEach(s -> names.add(s.name()));
        return String.join(",", names);
    }

    /** "Windows service RpcSs (Remote Procedure Call (RPC))", or several in one process. */
    private static String service(List<Service> services) {
        Service first = services.get(0);
        if (services.size() == 1) {
            return "Windows service " + first.name()
                    + (first.displayName().isEmpty() ? "" : " (" + first.displayName() + ")");
        }
        List<String> names = new ArrayList<>();
        services.forEach(s -> names.add(s.name()));
        return "Windows services " + String.join(", ", names) + " (one shared process)";
    }
}

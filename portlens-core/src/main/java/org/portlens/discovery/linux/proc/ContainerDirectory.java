package org.portlens.discovery.linux.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.Command;
import org.portlens.internal.Json;
import org.portlens.internal.Text;
import org.portlens.model.Container;
import org.portlens.model.Container.Kubernetes;
import org.portlens.model.Container.PublishedPort;
import org.portlens.model.ContainerRuntime;
import org.portlens.model.Transport;

/**
 * The container a process runs in: the runtime and id from its cgroup ({@link Cgroups}), then the
 * name, image, Kubernetes pod, addresses and published ports from the runtime's state on disk under
 * a root ({@code /} on a live system, a fake tree in tests). Every source is tolerant: unknown fields
 * are ignored, and a missing, unreadable, malformed or truncated file leaves what it would have told
 * empty, with a note saying which file and why. Nothing it reads makes it throw.
 *
 * <p>Holds the root and which programs refused; safe from any thread.
 */
public final class ContainerDirectory {

    /** The most read of one container's state file. */
    static final long MAX_STATE_BYTES = 4_000_000L;
    /** The most read of Podman's list of every container. */
    static final long MAX_LIST_BYTES = 32_000_000L;
    /** LXC's static addresses: lxc.net.N.ipv4.address (LXC 3+), lxc.network.ipv4 (LXC 2). */
    private static final Pattern NET_ADDRESS =
            Pattern.compile("lxc\\.net\\.\\d+\\.ipv[46]\\.address|lxc\\.network\\.ipv[46]");
    /** The most containerd namespaces looked through for a container's bundle. */
    static final int MAX_NAMESPACES = 64;

    /** How long one {@code docker inspect} (or podman's, crictl's) may take. */
    static final Duration CLI_TIMEOUT = Duration.ofSeconds(3);
    /** The most read of one inspect's output. */
    static final long CLI_MAX_BYTES = 8_000_000L;

    /**
     * Runs a runtime's program ({@code docker inspect}, {@code podman inspect}, {@code crictl inspect}):
     * the fallback when the state on disk does not name a container. Implementations must be safe from
     * any thread.
     */
    @FunctionalInterface
    public interface Cli {
        /** Runs the programs for real, within {@link #CLI_TIMEOUT} and {@link #CLI_MAX_BYTES}. */
        Cli SYSTEM = argv -> Command.run(argv, CLI_TIMEOUT, CLI_MAX_BYTES);

        /**
         * Runs {@code argv} to its end.
         *
         * @param argv the program and its arguments
         * @return its exit status and output
         * @throws IOException when it cannot start (not installed), takes too long or says too much
         */
        Command.Result run(List<String> argv) throws IOException;
    }

    private final Path root;
    private final @Nullable Cli cli;
    /** The programs that could not run or refused, with why: asked once per directory, not per container. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    /** A directory that reads the runtimes' state under {@code root}, and runs no program. */
    public ContainerDirectory(Path root) {
        this(root, null);
    }

    /**
     * A directory that reads the runtimes' state under {@code root}, and asks the runtime's program
     * through {@code cli} when that state does not name a container.
     *
     * @param root the root the state is under
     * @param cli  runs docker, podman or crictl; null to run none (a recorded tree)
     */
    public ContainerDirectory(Path root, @Nullable Cli cli) {
        this.root = root;
        this.cli = cli;
    }

    /** The live system's container runtimes: state under {@code /}, and their programs as a fallback. */
    public static ContainerDirectory system() {
        return new ContainerDirectory(Path.of("/"), Cli.SYSTEM);
    }

    /**
     * The container of a process, from the text of its {@code /proc/PID/cgroup}.
     *
     * @param cgroup the text; null or blank when it could not be read
     * @param home   the home directory of the process's owner, where rootless Podman and Docker keep
     *               their state; null when unknown (rootless state is then not looked for)
     * @return the container, or empty when the cgroup names none
     */
    public Optional<Container> forCgroup(@Nullable String cgroup, @Nullable Path home) {
        Cgroups.ContainerRef ref = Cgroups.container(cgroup);
        return ref == null ? Optional.empty() : Optional.of(lookup(ref, home));
    }

    /**
     * The container of a process: the one its cgroup names, or for a conmon process the one it
     * monitors (its command line's {@code -c ID}).
     *
     * @param cgroup  the text of its {@code /proc/PID/cgroup}; null or blank when it could not be read
     * @param comm    its name
     * @param command its command line, the arguments joined by spaces
     * @param home    the home directory of the process's owner (rootless state); null when unknown
     * @return the container, or empty when neither names one
     */
    public Optional<Container> forProcess(@Nullable String cgroup, String comm, String command, @Nullable Path home) {
        Cgroups.ContainerRef ref = Cgroups.container(cgroup);
        if (ref == null) {
            ref = Cgroups.conmon(comm, command);
        }
        return ref == null ? Optional.empty() : Optional.of(lookup(ref, home));
    }

    /** The container {@code ref} names, with what its runtime's state tells. */
    Container lookup(Cgroups.ContainerRef ref, @Nullable Path home) {
        StateFiles files = new StateFiles(root);
        String id = ref.id();
        if (id.isEmpty() || id.equals(".") || id.equals("..") || id.indexOf('\0') >= 0) {
            files.note("the cgroup path names no usable container id ('" + id + "')");
            return finish(Container.unnamed(ref.runtime(), id, List.of()), ref, files);
        }
        Container c = switch (ref.runtime()) {
            case DOCKER -> docker(id, home, files);
            case PODMAN -> podman(id, home, files);
            case CONTAINERD -> containerd(id, files);
            case CRI_O -> crio(id, files);
            case LXC -> lxc(id, files);
            case SYSTEMD_NSPAWN -> nspawn(id, files);
            case UNKNOWN -> kubernetesOfUnknownRuntime(id, home, files);
        };
        if (c.name().isEmpty() && c.kubernetes() == null && cli != null) {
            c = inspect(c, ref, files);
        }
        return finish(c, ref, files);
    }

    // The programs, as a fallback: docker inspect and podman inspect print a JSON array whose element has
    // Docker's config.v2.json fields (Name, Config.Image, Config.Labels, Image, NetworkSettings; Podman adds
    // ImageName); crictl inspect prints {"status": {"metadata": {"name"}, "image": {"image"}, "labels"}}.

    /** The container named by its runtime's program, or {@code c} as it was with a note on why not. */
    private Container inspect(Container c, Cgroups.ContainerRef ref, StateFiles files) {
        Cli run = Objects.requireNonNull(cli);
        String id = c.id();
        List<String> argv = switch (c.runtime()) {
            case DOCKER -> List.of("docker", "inspect", "--type", "container", id);
            case PODMAN -> List.of("podman", "inspect", "--type", "container", id);
            case CONTAINERD, CRI_O, UNKNOWN -> ref.kubernetes() ? List.of("crictl", "inspect", id) : List.of();
            default -> List.of();
        };
        if (argv.isEmpty()) {
            return c;
        }
        String shown = argv.get(0) + " inspect";
        String before = refused.get(argv.get(0));
        if (before != null) {
            if (!before.isEmpty()) {
                files.note(before);
            }
            return c;
        }
        Command.Result r;
        try {
            r = run.run(argv);
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage());
            // not installed: nothing to say
            String note =
                    why.contains("error=2") || why.contains("No such file") ? "" : shown + " could not run: " + why;
            refused.put(argv.get(0), note);
            if (!note.isEmpty()) {
                files.note(note);
            }
            return c;
        }
        if (r.exit() != 0) {
            String note = shown + " exited " + r.exit() + ": " + r.firstLine();
            if (!r.stderr().contains("No such") && !r.stderr().contains("no such")) {
                refused.put(argv.get(0), note); // a refusal (permission denied, no daemon) holds for every container
            }
            files.note(note);
            return c;
        }
        Object parsed;
        try {
            parsed = Json.parse(r.stdout(), 64, (int) CLI_MAX_BYTES);
        } catch (Json.ParseException e) {
            files.note(shown + " printed no JSON: " + e.getMessage());
            return c;
        }
        Container named;
        if (argv.get(0).equals("crictl")) {
            named = crictl(c, parsed);
        } else {
            Object first = parsed instanceof List<?> list && !list.isEmpty() ? list.get(0) : parsed;
            if (first == null) {
                files.note(shown + " printed null");
                return c;
            }
            named = dockerFrom(c.runtime(), id, first, files, shown);
            if (named.image().isEmpty()) {
                String image = Json.string(first, "ImageName").orElse("");
                named = new Container(
                        named.runtime(),
                        id,
                        named.name(),
                        image,
                        named.imageId(),
                        named.kubernetes(),
                        named.addresses(),
                        named.published(),
                        named.notes());
            }
        }
        if (named.name().isEmpty() && named.kubernetes() == null) {
            files.note(shown + " did not name it");
            return c;
        }
        files.note("named by " + shown + " (the state on disk did not name it)");
        List<String> notes = new ArrayList<>(c.notes());
        notes.addAll(named.notes());
        return new Container(
                named.runtime(),
                id,
                named.name(),
                named.image(),
                named.imageId(),
                named.kubernetes(),
                named.addresses(),
                named.published(),
                notes);
    }

    /** A Kubernetes container from {@code crictl inspect}'s status: its name, image, and pod labels. */
    private static Container crictl(Container c, Object inspect) {
        Map<String, Object> labels = Json.object(inspect, "status", "labels");
        String pod = label(labels, "io.kubernetes.pod.name");
        String name = Json.string(inspect, "status", "metadata", "name").orElse("");
        Kubernetes k = pod.isEmpty()
                ? null
                : new Kubernetes(
                        pod,
                        label(labels, "io.kubernetes.pod.namespace"),
                        label(labels, "io.kubernetes.container.name").isEmpty()
                                ? name
                                : label(labels, "io.kubernetes.container.name"),
                        label(labels, "io.kubernetes.pod.uid"));
        return new Container(
                c.runtime(),
                c.id(),
                k == null ? name : "",
                Json.string(inspect, "status", "image", "image").orElse(""),
                Json.string(inspect, "status", "imageRef").orElse(""),
                k,
                List.of(),
                List.of(),
                List.of());
    }

    /** The notes added, and the pod's UID from the cgroup for a Kubernetes container. */
    private static Container finish(Container c, Cgroups.ContainerRef ref, StateFiles files) {
        Kubernetes k = c.kubernetes();
        if (ref.kubernetes()) {
            k = k == null
                    ? new Kubernetes("", "", "", ref.podUid())
                    : k.podUid().isEmpty() ? new Kubernetes(k.pod(), k.namespace(), k.container(), ref.podUid()) : k;
        }
        List<String> notes = new ArrayList<>(c.notes());
        notes.addAll(files.notes());
        return new Container(
                c.runtime(), c.id(), c.name(), c.image(), c.imageId(), k, c.addresses(), c.published(), notes);
    }

    // Docker: /var/lib/docker/containers/ID/config.v2.json and hostconfig.json (rootless: under
    // ~/.local/share/docker).

    private Container docker(String id, @Nullable Path home, StateFiles files) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(files.under("var/lib/docker/containers").resolve(id));
        if (home != null) {
            dirs.add(home.resolve(".local/share/docker/containers").resolve(id));
        }
        List<Path> configs = dirs.stream().map(d -> d.resolve("config.v2.json")).toList();
        StateFiles.Found found = files.first(configs, MAX_STATE_BYTES);
        if (found == null) {
            return Container.unnamed(ContainerRuntime.DOCKER, id, List.of());
        }
        Path dir = dirs.get(configs.indexOf(found.file()));
        Object config = files.json(found.file(), found.text());
        if (config == null) {
            List<PublishedPort> ports = dockerHostConfigPorts(dir, files);
            return new Container(ContainerRuntime.DOCKER, id, "", "", "", null, List.of(), ports, List.of());
        }
        Container c = dockerFrom(ContainerRuntime.DOCKER, id, config, files, files.shown(found.file()));
        if (c.published().isEmpty()) { // not running, or a version that keeps them only in hostconfig.json
            c = new Container(
                    c.runtime(),
                    id,
                    c.name(),
                    c.image(),
                    c.imageId(),
                    c.kubernetes(),
                    c.addresses(),
                    dockerHostConfigPorts(dir, files),
                    c.notes());
        }
        return c;
    }

    /** A container from Docker's config fields: config.v2.json, or an element of docker/podman inspect. */
    private static Container dockerFrom(
            ContainerRuntime runtime, String id, Object config, StateFiles files, String source) {
        String name = Json.string(config, "Name").orElse("");
        name = name.startsWith("/") ? name.substring(1) : name;
        Map<String, Object> labels = Json.object(config, "Config", "Labels");
        Kubernetes k = null;
        String pod = label(labels, "io.kubernetes.pod.name");
        if (!pod.isEmpty()) { // dockershim
            String container = "podsandbox".equals(label(labels, "io.kubernetes.docker.type"))
                    ? ""
                    : label(labels, "io.kubernetes.container.name");
            k = new Kubernetes(
                    pod,
                    label(labels, "io.kubernetes.pod.namespace"),
                    container,
                    label(labels, "io.kubernetes.pod.uid"));
        }
        Set<String> addresses = new LinkedHashSet<>();
        for (Object network : Json.object(config, "NetworkSettings", "Networks").values()) {
            Json.string(network, "IPAddress").filter(a -> !a.isEmpty()).ifPresent(addresses::add);
            Json.string(network, "GlobalIPv6Address").filter(a -> !a.isEmpty()).ifPresent(addresses::add);
        }
        List<PublishedPort> ports = dockerPorts(Json.object(config, "NetworkSettings", "Ports"), files, source);
        return new Container(
                runtime,
                id,
                name,
                Json.string(config, "Config", "Image").orElse(""),
                Json.string(config, "Image").orElse(""),
                k,
                List.copyOf(addresses),
                ports,
                List.of());
    }

    private List<PublishedPort> dockerHostConfigPorts(Path dir, StateFiles files) {
        Path hostConfig = dir.resolve("hostconfig.json");
        Object hc = files.json(hostConfig, MAX_STATE_BYTES);
        return hc == null ? List.of() : dockerPorts(Json.object(hc, "PortBindings"), files, files.shown(hostConfig));
    }

    /**
     * Docker's port map: {@code {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}], "53/udp": null}}.
     * A host port that is empty or a range ("8000-8010") is one Docker picks when the container starts: 0.
     */
    private static List<PublishedPort> dockerPorts(Map<String, Object> map, StateFiles files, String source) {
        List<PublishedPort> out = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String[] key = e.getKey().split("/", 2);
            int containerPort = port(key[0]);
            Transport transport = key.length == 2 ? transport(key[1]) : Transport.TCP;
            if (containerPort < 1 || transport == null) {
                skipped++;
                continue;
            }
            for (Object binding : Json.array(e.getValue())) {
                String hostPort = Json.string(binding, "HostPort").orElse("");
                int hp = hostPort.isEmpty() || hostPort.contains("-") ? 0 : port(hostPort);
                if (hp < 0) {
                    skipped++;
                    continue;
                }
                PublishedPort p = new PublishedPort(
                        transport, Json.string(binding, "HostIp").orElse(""), hp, containerPort);
                if (!out.contains(p)) {
                    out.add(p);
                }
            }
        }
        if (skipped > 0) {
            files.note(skipped + (skipped == 1 ? " port binding" : " port bindings") + " in " + source
                    + " not understood");
        }
        return out;
    }

    private static String label(Map<String, Object> labels, String key) {
        return labels.get(key) instanceof String s ? s : "";
    }

    /** 0-65535 from decimal text, else -1. */
    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int p = Integer.parseInt(s);
        return p > 65535 ? -1 : p;
    }

    private static @Nullable Transport transport(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Transport.TCP;
            case "udp" -> Transport.UDP;
            case "sctp" -> Transport.SCTP;
            default -> null;
        };
    }

    // Podman: STORE/overlay-containers/containers.json (containers/storage's list: id, names, image,
    // metadata as a JSON string) and STORE/overlay-containers/ID/userdata/config.json (the OCI spec);
    // STORE is /var/lib/containers/storage, or ~/.local/share/containers/storage when rootless.

    private Container podman(String id, @Nullable Path home, StateFiles files) {
        List<Path> stores = new ArrayList<>();
        stores.add(files.under("var/lib/containers/storage"));
        if (home != null) {
            stores.add(home.resolve(".local/share/containers/storage"));
        }
        for (Path store : stores) {
            for (String driver : List.of("overlay", "vfs")) {
                Path containers = store.resolve(driver + "-containers");
                if (!Files.exists(containers.resolve(id))) {
                    continue; // not this store's container (or a store this user cannot see)
                }
                return podmanIn(containers, id, files);
            }
        }
        // nothing found: read the first list anyway, for the reason (absent, or not readable)
        Path first = stores.get(0).resolve("overlay-containers").resolve("containers.json");
        Object list = files.json(first, MAX_LIST_BYTES);
        if (list != null) {
            files.note("container " + id.substring(0, Math.min(12, id.length())) + " not in " + files.shown(first)
                    + (home == null ? " (a rootless container's state is under its owner's home, not given)" : ""));
        }
        return Container.unnamed(ContainerRuntime.PODMAN, id, List.of());
    }

    private Container podmanIn(Path containers, String id, StateFiles files) {
        Path list = containers.resolve("containers.json");
        String name = "";
        String image = "";
        String imageId = "";
        Object all = files.json(list, MAX_LIST_BYTES);
        if (all != null) {
            Object entry = null;
            for (Object e : Json.array(all)) {
                if (id.equals(Json.string(e, "id").orElse(""))) {
                    entry = e;
                    break;
                }
            }
            if (!(all instanceof List<?>)) {
                files.note(files.shown(list) + " is not a list of containers");
            } else if (entry == null) {
                files.note("container " + id.substring(0, 12) + " not in " + files.shown(list));
            } else {
                imageId = Json.string(entry, "image").orElse("");
                List<Object> names = Json.array(entry, "names");
                name = !names.isEmpty() && names.get(0) instanceof String s ? s : "";
                // metadata is JSON inside a string: {"image-name": ..., "image-id": ..., "name": ...}
                String metadata = Json.string(entry, "metadata").orElse("");
                if (!metadata.isEmpty()) {
                    try {
                        Object m = Json.parse(metadata);
                        image = Json.string(m, "image-name").orElse("");
                        name = name.isEmpty() ? Json.string(m, "name").orElse("") : name;
                    } catch (Json.ParseException e) {
                        files.note("the metadata of container " + id.substring(0, 12) + " in " + files.shown(list)
                                + " is not valid JSON (" + e.getMessage() + ")");
                    }
                }
            }
        }
        Path spec = containers.resolve(id).resolve("userdata").resolve("config.json");
        Object config = files.json(spec, MAX_STATE_BYTES);
        if (config != null) {
            String manager =
                    Json.string(config, "annotations", "io.container.manager").orElse("");
            if (!manager.isEmpty() && !manager.equals("libpod")) {
                files.note(files.shown(spec) + " says the container is managed by '" + manager + "', not Podman");
            }
        }
        return new Container(ContainerRuntime.PODMAN, id, name, image, imageId, null, List.of(), List.of(), List.of());
    }

    // containerd: /run/containerd/io.containerd.runtime.v2.task/NAMESPACE/ID/config.json, the OCI spec
    // of the bundle; for Kubernetes its CRI plugin's io.kubernetes.cri.* annotations.

    private Container containerd(String id, StateFiles files) {
        Path tasks = files.under("run/containerd/io.containerd.runtime.v2.task");
        List<String> namespaces = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
            for (Path ns : dirs) {
                if (namespaces.size() >= MAX_NAMESPACES) {
                    break;
                }
                namespaces.add(tasks.relativize(ns).toString());
            }
        } catch (NoSuchFileException e) {
            files.note(files.shown(tasks) + " not found (containerd not running, or a version before runtime v2)");
            return Container.unnamed(ContainerRuntime.CONTAINERD, id, List.of());
        } catch (IOException e) {
            files.note(StateFiles.unreadable(files.shown(tasks), e));
            return Container.unnamed(ContainerRuntime.CONTAINERD, id, List.of());
        }
        if (namespaces.isEmpty()) {
            files.note(files.shown(tasks) + " holds no namespace");
            return Container.unnamed(ContainerRuntime.CONTAINERD, id, List.of());
        }
        namespaces.sort(null); // the same order on every run
        List<Path> candidates = namespaces.stream()
                .map(ns -> tasks.resolve(ns).resolve(id).resolve("config.json"))
                .toList();
        StateFiles.Found found = files.first(candidates, MAX_STATE_BYTES);
        Object config = found == null ? null : files.json(found.file(), found.text());
        if (found == null || config == null) {
            return Container.unnamed(ContainerRuntime.CONTAINERD, id, List.of());
        }
        Map<String, Object> a = Json.object(config, "annotations");
        String type = label(a, "io.kubernetes.cri.container-type");
        if (type.isEmpty()) {
            files.note("not a Kubernetes container: containerd keeps its name and image in its metadata"
                    + " database, which portlens does not read (namespace "
                    + namespaces.get(candidates.indexOf(found.file())) + ")");
            return Container.unnamed(ContainerRuntime.CONTAINERD, id, List.of());
        }
        boolean sandbox = type.equals("sandbox");
        String container = sandbox ? "" : label(a, "io.kubernetes.cri.container-name");
        Kubernetes k = new Kubernetes(
                label(a, "io.kubernetes.cri.sandbox-name"),
                label(a, "io.kubernetes.cri.sandbox-namespace"),
                container,
                label(a, "io.kubernetes.cri.sandbox-uid"));
        return new Container(
                ContainerRuntime.CONTAINERD,
                id,
                sandbox ? "POD" : container,
                label(a, "io.kubernetes.cri.image-name"),
                "",
                k,
                List.of(),
                List.of(),
                List.of());
    }

    // CRI-O: /run/containers/storage/overlay-containers/ID/userdata/config.json (the OCI spec, with
    // io.kubernetes.* and io.kubernetes.cri-o.* annotations); /var/lib/containers/storage's copy if not.

    private Container crio(String id, StateFiles files) {
        StateFiles.Found found = files.first(
                List.of(
                        files.under("run/containers/storage/overlay-containers/" + id + "/userdata/config.json"),
                        files.under("var/lib/containers/storage/overlay-containers/" + id + "/userdata/config.json")),
                MAX_STATE_BYTES);
        Object config = found == null ? null : files.json(found.file(), found.text());
        if (found == null || config == null) {
            return Container.unnamed(ContainerRuntime.CRI_O, id, List.of());
        }
        Map<String, Object> a = Json.object(config, "annotations");
        boolean sandbox = "sandbox".equals(label(a, "io.kubernetes.cri-o.ContainerType"));
        String container = sandbox ? "" : label(a, "io.kubernetes.container.name");
        String pod = label(a, "io.kubernetes.pod.name");
        Kubernetes k = pod.isEmpty()
                ? null
                : new Kubernetes(
                        pod, label(a, "io.kubernetes.pod.namespace"), container, label(a, "io.kubernetes.pod.uid"));
        if (k == null) {
            files.note(files.shown(found.file()) + " names no pod (no io.kubernetes.pod.name annotation)");
        }
        return new Container(
                ContainerRuntime.CRI_O,
                id,
                sandbox ? "POD" : container,
                label(a, "io.kubernetes.cri-o.ImageName"),
                "",
                k,
                List.of(),
                List.of(),
                List.of());
    }

    /** A kubepods cgroup that names no runtime (cgroupfs driver): whichever runtime has its state. */
    private Container kubernetesOfUnknownRuntime(String id, @Nullable Path home, StateFiles files) {
        if (Files.isDirectory(
                files.under("run/containers/storage/overlay-containers").resolve(id))) {
            return crio(id, files);
        }
        if (Files.isDirectory(files.under("var/lib/docker/containers").resolve(id))) {
            return docker(id, home, files);
        }
        Path tasks = files.under("run/containerd/io.containerd.runtime.v2.task");
        try (DirectoryStream<Path> namespaces = Files.newDirectoryStream(tasks)) {
            for (Path ns : namespaces) {
                if (Files.isDirectory(ns.resolve(id))) {
                    return containerd(id, files);
                }
            }
        } catch (IOException | RuntimeException e) {
            // absent, or not readable: the note below says so
        }
        files.note("the cgroup names no runtime, and neither containerd's, CRI-O's nor Docker's state holds container "
                + id.substring(0, Math.min(12, id.length())) + " (or it is not readable: run as root)");
        return Container.unnamed(ContainerRuntime.UNKNOWN, id, List.of());
    }

    // LXC: /var/lib/lxc/NAME/config, "key = value" lines (LXC 3+ keys, and the LXC 2 ones before them).

    private Container lxc(String name, StateFiles files) {
        Path config = files.under("var/lib/lxc").resolve(name).resolve("config");
        String text = files.text(config, MAX_STATE_BYTES);
        if (text == null) {
            files.note("an LXD or Incus instance keeps its configuration in its own database, not read");
            return Container.unnamed(ContainerRuntime.LXC, name, List.of());
        }
        String uts = "";
        String rootfs = "";
        Set<String> addresses = new LinkedHashSet<>();
        for (String[] kv : keyValues(text, config, files)) {
            String key = kv[0];
            String value = kv[1];
            if (key.equals("lxc.uts.name") || key.equals("lxc.utsname")) {
                uts = value;
            } else if (key.equals("lxc.rootfs.path") || key.equals("lxc.rootfs")) {
                rootfs = value;
            } else if (NET_ADDRESS.matcher(key).matches()) {
                int slash = value.indexOf('/');
                String a = (slash < 0 ? value : value.substring(0, slash)).strip();
                if (!a.isEmpty()) {
                    addresses.add(a);
                }
            }
        }
        return new Container(
                ContainerRuntime.LXC,
                name,
                uts.isEmpty() ? name : uts,
                rootfs,
                "",
                null,
                List.copyOf(addresses),
                List.of(),
                List.of());
    }

    // systemd-nspawn: /run/systemd/machines/NAME, machined's KEY=VALUE record of the machine.

    private Container nspawn(String name, StateFiles files) {
        Path machine = files.under("run/systemd/machines").resolve(name);
        String text = files.text(machine, MAX_STATE_BYTES);
        if (text == null) {
            return Container.unnamed(ContainerRuntime.SYSTEMD_NSPAWN, name, List.of());
        }
        String rootDir = "";
        String cls = "";
        String service = "";
        for (String[] kv : keyValues(text, machine, files)) {
            switch (kv[0]) {
                case "ROOT" -> rootDir = kv[1];
                case "CLASS" -> cls = kv[1];
                case "SERVICE" -> service = kv[1];
                default -> {}
            }
        }
        if (cls.equals("vm")) {
            files.note("systemd-machined lists " + name + " as a virtual machine (CLASS=vm), not a container");
        } else if (!service.isEmpty() && !service.equals("systemd-nspawn")) {
            files.note(name + " was registered with systemd-machined by " + service + ", not systemd-nspawn");
        }
        return new Container(
                ContainerRuntime.SYSTEMD_NSPAWN, name, name, rootDir, "", null, List.of(), List.of(), List.of());
    }

    /**
     * The {@code key = value} lines of a text (spaces around both stripped; blank lines and
     * {@code #} comments skipped). Lines without a key are counted in a note; a last line without
     * its newline is dropped with a note (the file was cut short, or is being written).
     */
    private static List<String[]> keyValues(String text, Path file, StateFiles files) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        String last = lines.remove(lines.size() - 1); // after the final newline: empty, unless truncated
        if (!last.isEmpty()) {
            files.note(files.shown(file) + " does not end with a newline: truncated? Its last line, '"
                    + Text.escapeControls(last.length() > 40 ? last.substring(0, 40) + "…" : last) + "', is ignored");
        }
        List<String[]> out = new ArrayList<>();
        int malformed = 0;
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 1) {
                malformed++;
                continue;
            }
            out.add(new String[] {
                l.substring(0, eq).strip(), l.substring(eq + 1).strip()
            });
        }
        if (malformed > 0) {
            files.note(
                    malformed + (malformed == 1 ? " line" : " lines") + " of " + files.shown(file) + " not understood");
        }
        return out;
    }
}

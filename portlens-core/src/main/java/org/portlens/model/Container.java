package org.portlens.model;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A container a process runs in, as far as its cgroup and its runtime's state on disk tell. What
 * could not be read is empty, and {@link #notes()} says what and why ("… not readable: permission
 * denied; run as root").
 *
 * <p>Immutable; safe from any thread.
 *
 * @param runtime    the runtime that made it
 * @param id         the runtime's id: 64 hex digits for Docker, Podman, containerd and CRI-O; the
 *                   name for LXC and systemd-nspawn
 * @param name       the container's name ({@code web-1}), or empty when unknown
 * @param image      the image as the user named it ({@code nginx:1.27}); for LXC and systemd-nspawn
 *                   the root file system; empty when unknown
 * @param imageId    the image's content id ({@code sha256:…}), or empty when unknown
 * @param kubernetes the pod it belongs to, or null when it is not a Kubernetes container
 * @param addresses  the container's own IP addresses, as the runtime recorded them, in RFC 5952 text
 * @param published  the ports its runtime says it publishes on the host
 * @param notes      what could not be read and why, one line each; empty when everything was read
 */
public record Container(
        ContainerRuntime runtime,
        String id,
        String name,
        String image,
        String imageId,
        @Nullable Kubernetes kubernetes,
        List<String> addresses,
        List<PublishedPort> published,
        List<String> notes) {

    /**
     * The Kubernetes pod of a container. Empty strings are what could not be read. Immutable; safe
     * from any thread.
     *
     * @param pod       the pod's name
     * @param namespace the pod's namespace
     * @param container the container's name in the pod spec; empty for the pod's sandbox (pause) container
     * @param podUid    the pod's UID
     */
    public record Kubernetes(String pod, String namespace, String container, String podUid) {
        /**
         * Checks that no value is null.
         *
         * @param pod       the pod's name
         * @param namespace the pod's namespace
         * @param container the container's name in the pod spec
         * @param podUid    the pod's UID
         */
        public Kubernetes {
            Objects.requireNonNull(pod, "pod");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(podUid, "podUid");
        }
    }

    /**
     * A port the runtime publishes on the host: connections to {@code hostAddress:hostPort} reach the
     * container's {@code containerPort}. Immutable; safe from any thread.
     *
     * @param transport     TCP or UDP
     * @param hostAddress   the host address it is published on; empty for every address
     * @param hostPort      the host port; 0 when the runtime picks one when the container starts
     * @param containerPort the port inside the container
     */
    public record PublishedPort(Transport transport, String hostAddress, int hostPort, int containerPort) {
        /**
         * Checks the ports.
         *
         * @param transport     TCP or UDP
         * @param hostAddress   the host address, or empty for every address
         * @param hostPort      0-65535
         * @param containerPort 1-65535
         * @throws IllegalArgumentException for a port out of range
         */
        public PublishedPort {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(hostAddress, "hostAddress");
            if (hostPort < 0 || hostPort > PortRange.MAX_PORT) {
                throw new IllegalArgumentException("host port must be 0-65535, got " + hostPort);
            }
            if (containerPort < 1 || containerPort > PortRange.MAX_PORT) {
                throw new IllegalArgumentException("container port must be 1-65535, got " + containerPort);
            }
        }
    }

    /**
     * Copies the lists; checks that nothing else is null.
     *
     * @param runtime    the runtime
     * @param id         the runtime's id
     * @param name       the name, or empty
     * @param image      the image, or empty
     * @param imageId    the image's id, or empty
     * @param kubernetes the pod, or null
     * @param addresses  the container's addresses
     * @param published  the ports it publishes
     * @param notes      what could not be read and why
     */
    public Container {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageId, "imageId");
        addresses = List.copyOf(addresses);
        published = List.copyOf(published);
        notes = List.copyOf(notes);
    }

    /**
     * A container known only by its runtime and id, with the reasons nothing more is known.
     *
     * @param runtime the runtime
     * @param id      the runtime's id
     * @param notes   what could not be read and why
     * @return a container with an empty name and image
     */
    public static Container unnamed(ContainerRuntime runtime, String id, List<String> notes) {
        return new Container(runtime, id, "", "", "", null, List.of(), List.of(), notes);
    }

    /**
     * The id as people read it: the first 12 hex digits of a 64-digit id, else the id as it is.
     *
     * @return such as {@code 3f2a9c1d5e6b} or {@code web01}
     */
    public String shortId() {
        return id.length() == 64 && id.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? id.substring(0, 12) : id;
    }

    /**
     * The runtime's label, and for a Kubernetes container the orchestrator with it.
     *
     * @return such as {@code docker} or {@code kubernetes-via-containerd}
     */
    public String runtimeLabel() {
        return kubernetes == null ? runtime.label() : "kubernetes-via-" + runtime.label();
    }
}

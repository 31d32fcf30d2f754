package org.portlens.testkit;

import java.time.Instant;
import java.util.List;
import org.portlens.discovery.Discovery;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;

/** Fabricated listeners, processes and socket tables, for tests of pure functions over them. */
public final class Fixtures {

    public static final NetNamespace HOST = new NetNamespace(4026531840L, "", true);
    public static final NetNamespace BLUE = new NetNamespace(4026532345L, "blue", false);
    public static final Source SSH_UNIT =
            new Source(Source.Kind.SYSTEMD_UNIT, "ssh.service", "systemd unit ssh.service");
    public static final Source SHELL = new Source(Source.Kind.SHELL, "bash", "interactive shell bash on pts/0");
    public static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");

    private Fixtures() {}

    /** A process of {@code exe}, child of init, started at {@link #STARTED}. */
    public static ProcessInfo process(int pid, String exe, String user, Source source) {
        return process(pid, 1, exe, user, source, STARTED);
    }

    /** A process with its parent and start time. */
    public static ProcessInfo process(int pid, int ppid, String exe, String user, Source source, Instant started) {
        String name = exe.substring(exe.lastIndexOf('/') + 1);
        return new ProcessInfo(
                pid,
                ppid,
                name,
                exe,
                List.of(exe),
                user.equals("root") ? 0 : 1000,
                user,
                started,
                "/",
                List.of(),
                source,
                "",
                List.of());
    }

    /** A TCP listener in the host namespace; its inode is 1000 + port. */
    public static Listener tcp(String address, int port, BindScope scope, boolean ipv6, Owner... owners) {
        return new Listener(
                Transport.TCP,
                new Endpoint(address, port, ipv6, scope, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                1000L + port,
                HOST,
                List.of(owners));
    }

    /** An unconnected UDP socket on all addresses in {@code ns}; its inode is 2000 + port. */
    public static Listener udp(String address, int port, NetNamespace ns, Owner... owners) {
        return new Listener(
                Transport.UDP,
                new Endpoint(address, port, false, BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.UNCONN,
                0,
                "root",
                2000L + port,
                ns,
                List.of(owners));
    }

    /** A read that found these listeners; owners hidden are counted in its coverage. */
    public static Discovery table(Listener... listeners) {
        int hidden = (int) List.of(listeners).stream()
                .filter(l -> l.owners().stream().anyMatch(o -> o instanceof Owner.Hidden))
                .count();
        return new Discovery(List.of(listeners), 0, 0, new Coverage(false, 10, hidden, 0, hidden, 0, 0, List.of()));
    }

    /** The process as an owner holding the socket on fd 3. */
    public static Owner.Known owner(ProcessInfo p) {
        return new Owner.Known(p, 3);
    }

    /**
     * A recorded output beside the tests, as UTF-8 text (bytes that are not UTF-8 become U+FFFD, as
     * {@link org.portlens.internal.Command} decodes a program's output).
     *
     * @param resource its path on the class path, such as {@code /org/portlens/discovery/lsof/x.bin}
     * @return its text
     */
    public static String text(String resource) {
        return new String(bytes(resource), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A recorded output beside the tests, as bytes.
     *
     * @param resource its path on the class path
     * @return its bytes
     */
    public static byte[] bytes(String resource) {
        try (java.io.InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

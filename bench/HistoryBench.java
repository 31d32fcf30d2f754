import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.portlens.model.BindScope;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.store.History;
import org.portlens.store.HistoryQuery;
import org.portlens.store.HistoryStore;
import org.portlens.store.OpenPeriod;
import org.portlens.watch.WatchEvent;

/**
 * bench/history.sh's Java side, compiled against portlens.jar:
 *
 *   fill DATA_DIR EVENTS HOST PORT   a SQLite history of EVENTS events (5 hosts, 2,000 ports, 85 days), PORT hot on HOST
 *   query DATA_DIR HOST PORT ROUNDS  times open + history(PORT) + openSince(PORT) in this JVM: first call and median
 *   opensince DATA_DIR PORT          "open since" through SQLite: exists(), open read-only, openSince, close
 *   sync DATA_DIR HOST               opens a writer and closes it: rewrites the open-places files
 *   opensince-file DATA_DIR PORT     "open since" from the open-places file (what portlens PORT is meant to use)
 */
public final class HistoryBench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "fill" -> fill(Path.of(args[1]), Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]));
            case "query" -> query(Path.of(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "opensince" -> openSince(Path.of(args[1]), Integer.parseInt(args[2]));
            case "sync" -> HistoryStore.open(null, Path.of(args[1]), args[2]).close(); // rewrites open-places/
            case "opensince-file" -> org.portlens.store.OpenPlaces.since(Path.of(args[1]), Transport.TCP, Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("fill, query or opensince, got " + args[0]);
        }
    }

    static final String[][] PROGRAMS = {
        {"nginx", "/usr/sbin/nginx", "nginx.service"},
        {"sshd", "/usr/sbin/sshd", "ssh.service"},
        {"postgres", "/usr/lib/postgresql/15/bin/postgres", "postgresql@15-main.service"},
        {"redis-server", "/usr/bin/redis-server", "redis-server.service"},
        {"python3", "/usr/bin/python3.11", ""},
        {"java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "app.service"},
        {"node", "/usr/bin/node", ""},
        {"dnsmasq", "/usr/sbin/dnsmasq", "dnsmasq.service"},
    };

    static void fill(Path dataDir, int total, String thisHost, int hotPort) {
        Random rnd = new Random(3640);
        String[] hosts = {thisHost, "web-1", "web-2", "db-1", "ci-runner"};
        int[] ports = new int[2000];
        int[] wellKnown = {22, 53, 80, 443, 3000, 3306, 5000, 5432, 6379, 8000, 8080, 8443, 9090, 9100, 11211, 27017};
        for (int i = 0; i < ports.length; i++) {
            ports[i] = i < wellKnown.length ? wellKnown[i] : 1024 + rnd.nextInt(64000);
        }
        ports[ports.length - 1] = hotPort;
        Instant start = Instant.now().minus(Duration.ofDays(85));
        long spanMs = Duration.ofDays(84).toMillis();
        Map<String, Listener> open = new HashMap<>();
        long inode = 100000;
        int written = 0;
        int runs = 10;
        long t0 = System.nanoTime();
        for (int run = 0; run < runs; run++) {
            // one writer per host, as many watchers writing to one database would
            Map<String, HistoryStore> writers = new HashMap<>();
            Map<String, List<WatchEvent>> batches = new HashMap<>();
            for (String h : hosts) {
                writers.put(h, HistoryStore.open(null, dataDir, h));
                batches.put(h, new ArrayList<>());
            }
            int perRun = total / runs;
            for (int i = 0; i < perRun; i++) {
                long at = start.toEpochMilli() + (spanMs * (long) (written + i)) / total;
                String host;
                int port;
                if (rnd.nextInt(200) == 0) { // the hot port: about 5,000 events of the million, on this host
                    host = thisHost;
                    port = hotPort;
                } else {
                    host = hosts[rnd.nextInt(hosts.length)];
                    // skewed: low indexes (the well-known ports) far more often than the tail
                    port = ports[(int) Math.min(ports.length - 2, Math.abs(rnd.nextGaussian()) * 300)];
                }
                Transport t = rnd.nextInt(10) == 0 ? Transport.UDP : Transport.TCP;
                String address = rnd.nextInt(3) == 0 ? "127.0.0.1" : "0.0.0.0";
                String key = host + "/" + t + "/" + address + "/" + port;
                Listener before = open.get(key);
                String[] prog = PROGRAMS[Math.floorMod(key.hashCode(), PROGRAMS.length)];
                int pid = 1000 + rnd.nextInt(60000);
                WatchEvent e;
                if (before == null) {
                    Listener l = listener(t, address, port, inode++, process(pid, prog, at));
                    open.put(key, l);
                    e = rnd.nextInt(5) == 0
                            ? new WatchEvent.Present(Instant.ofEpochMilli(at), l)
                            : new WatchEvent.Opened(Instant.ofEpochMilli(at), l);
                } else {
                    int r = rnd.nextInt(10);
                    if (r < 4) {
                        open.remove(key);
                        e = new WatchEvent.Closed(Instant.ofEpochMilli(at), before);
                    } else if (r < 6) {
                        Listener now = listener(t, address, port, before.inode(), process(pid, prog, at));
                        open.put(key, now);
                        e = new WatchEvent.OwnerChanged(Instant.ofEpochMilli(at), now, before);
                    } else {
                        e = new WatchEvent.Present(Instant.ofEpochMilli(at), before);
                    }
                }
                List<WatchEvent> batch = batches.get(host);
                batch.add(e);
                if (batch.size() == 1000) {
                    writers.get(host).record(List.copyOf(batch));
                    batch.clear();
                }
            }
            for (String h : hosts) {
                writers.get(h).record(List.copyOf(batches.get(h)));
                writers.get(h).close();
            }
            written += perRun;
        }
        System.out.printf("filled %d events in %.1f s%n", written, (System.nanoTime() - t0) / 1e9);
    }

    static Listener listener(Transport t, String address, int port, long inode, ProcessInfo p) {
        return new Listener(
                t,
                new Endpoint(address, port, false, address.startsWith("127") ? BindScope.LOOPBACK : BindScope.ALL,
                        Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.of(t),
                0,
                "root",
                inode,
                new NetNamespace(4026531840L, "", true),
                List.of(new Owner.Known(p, 3)));
    }

    static ProcessInfo process(int pid, String[] prog, long at) {
        return new ProcessInfo(
                pid,
                1,
                prog[0],
                prog[1],
                List.of(prog[1], "--config", "/etc/" + prog[0] + "/" + prog[0] + ".conf"),
                0,
                "root",
                Instant.ofEpochMilli(at - 1000),
                "/",
                List.of(),
                prog[2].isEmpty()
                        ? Source.unknown("no unit")
                        : new Source(Source.Kind.SYSTEMD_UNIT, prog[2], "systemd unit " + prog[2]),
                "",
                List.of());
    }

    static void query(Path dataDir, String host, int port, int rounds) {
        double[] open = new double[rounds];
        double[] hist = new double[rounds];
        double[] since = new double[rounds];
        int events = 0;
        int periods = 0;
        for (int i = 0; i < rounds; i++) {
            long a = System.nanoTime();
            try (HistoryStore s = HistoryStore.openReadOnly(null, dataDir, host).orElseThrow()) {
                long b = System.nanoTime();
                History h = s.history(HistoryQuery.port(port));
                long c = System.nanoTime();
                List<OpenPeriod> p = s.openSince(Transport.TCP, port);
                long d = System.nanoTime();
                open[i] = (b - a) / 1e6;
                hist[i] = (c - b) / 1e6;
                since[i] = (d - c) / 1e6;
                events = h.events().size();
                periods = p.size();
            }
        }
        System.out.printf("raw query, port %d on %s: %d events returned (limit %d), %d open place(s)%n",
                port, host, events, HistoryQuery.DEFAULT_LIMIT, periods);
        System.out.printf("  open read-only   first %7.2f ms   median of %d %7.2f ms%n", open[0], rounds, median(open));
        System.out.printf("  history(port)    first %7.2f ms   median of %d %7.2f ms%n", hist[0], rounds, median(hist));
        System.out.printf("  openSince(port)  first %7.2f ms   median of %d %7.2f ms%n", since[0], rounds, median(since));
    }

    static void openSince(Path dataDir, int port) {
        if (!HistoryStore.exists(dataDir)) {
            return;
        }
        try (HistoryStore s = HistoryStore.openReadOnly(null, dataDir, HistoryStore.localHost()).orElseThrow()) {
            s.openSince(Transport.TCP, port);
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}

package org.portlens.findings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portlens.model.BindScope;
import org.portlens.model.Owner;
import org.portlens.model.OwnerIdentity;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.registry.KnownUse;
import org.portlens.registry.KnownUses;

/**
 * A known use explains a listener only when its owner is the use's software by identity (executable,
 * package, unit, or what it runs in an interpreter or JVM), never by a shared word: a table of
 * owner/port pairs against the bundled known uses, look-alikes next to the real thing.
 */
class KnownUseVerdictTest {

    static final KnownUses BUNDLED = KnownUses.bundled();

    /** An owner as the process table reads it: exe path, comm, argv, and the unit that runs it ("" for none). */
    static OwnerIdentity owner(String exe, String comm, String unit, String... argv) {
        return new OwnerIdentity(exe, comm, unit, Set.of(), List.of(argv));
    }

    static Arguments row(int port, OwnerIdentity owner, String explainedBy) {
        return Arguments.of(port, owner, explainedBy);
    }

    static final String NONE = "";

    static Stream<Arguments> table() {
        return Stream.of(
                // the issue: Apache httpd on the Spark history server's port
                row(18080, owner("httpd", "httpd", "httpd.service", "/usr/sbin/httpd", "-DFOREGROUND"), NONE),
                row(18080, owner("apache2", "apache2", "apache2.service", "/usr/sbin/apache2", "-k", "start"), NONE),
                row(
                        18080,
                        owner(
                                "java",
                                "java",
                                "",
                                "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                                "-cp",
                                "/opt/spark/conf/:/opt/spark/jars/*",
                                "-Xmx1g",
                                "org.apache.spark.deploy.history.HistoryServer"),
                        "Apache Spark"),
                // a shell script or binary called spark is not Spark; a unit named for it is not either
                row(18080, owner("bash", "spark", "", "/bin/bash", "/usr/local/bin/spark"), NONE),
                row(18080, owner("spark", "spark", "", "/usr/local/bin/spark"), NONE),
                row(18080, owner("nginx", "nginx", "spark-history.service", "nginx: master process"), NONE),
                row(18080, owner("monerod", "monerod", "", "/usr/bin/monerod", "--detach"), "Monero"),
                // a java process running Spark's master against one running Jenkins, on 8080
                row(
                        8080,
                        owner(
                                "java",
                                "java",
                                "",
                                "/usr/bin/java",
                                "-cp",
                                "/opt/spark/jars/*",
                                "-Xmx1g",
                                "org.apache.spark.deploy.master.Master",
                                "--host",
                                "h1"),
                        "Apache Spark"),
                row(
                        8080,
                        owner(
                                "java",
                                "java",
                                "jenkins.service",
                                "/usr/bin/java",
                                "-Djava.awt.headless=true",
                                "-jar",
                                "/usr/share/java/jenkins.war",
                                "--webroot=/var/cache/jenkins/war",
                                "--httpPort=8080"),
                        "Jenkins"),
                row(
                        8080,
                        owner("java", "java", "", "/usr/bin/java", "-jar", "/srv/jenkins.war", "--httpPort=8080"),
                        "Jenkins"),
                // a main class on the worker's port is not the worker; an option's value is not a main class
                row(8081, owner("java", "java", "", "java", "-cp", "x", "org.apache.spark.deploy.master.Master"), NONE),
                row(
                        8080,
                        owner("java", "java", "", "java", "-cp", "org.apache.spark.deploy.master.Master", "app.Main"),
                        NONE),
                // the Spark master's class in a process that is no JVM
                row(7077, owner("python3.11", "python3", "", "python3", "org.apache.spark.deploy.master.Master"), NONE),
                // Python: http.server on its port, and on Jupyter's; Django and Jupyter themselves
                row(8000, owner("python3.11", "python3", "", "python3", "-m", "http.server"), "Python http.server"),
                row(8888, owner("python3.11", "python3", "", "python3", "-m", "http.server", "8888"), NONE),
                row(
                        8888,
                        owner("python3.11", "jupyter-lab", "", "/usr/bin/python3", "/usr/local/bin/jupyter-lab"),
                        "Jupyter Server"),
                row(
                        8888,
                        owner("python3.11", "python3", "", "python3", "-m", "jupyterlab", "--no-browser"),
                        "Jupyter Server"),
                row(8888, owner("python3.11", "python3", "", "python3", "jupyter_helper.py"), NONE),
                row(8888, owner("python3.11", "python3", "", "python3", "-c", "import jupyterlab"), NONE),
                row(
                        8000,
                        owner("python3.11", "python3", "", "python3", "manage.py", "runserver", "0.0.0.0:8000"),
                        "Django"),
                row(
                        8000,
                        owner("python3.11", "python3", "", "python3", "-u", "/srv/site/manage.py", "runserver"),
                        "Django"),
                row(8000, owner("python3.11", "python3", "", "python3", "app.py"), NONE),
                // a copied interpreter named like a server is not that server
                row(8888, owner("jupyter-lab", "jupyter-lab", "", "/tmp/jupyter-lab", "-m", "http.server"), NONE),
                // Node.js on 3000: a plain program is not Express, Grafana or Next.js; next dev is Next.js
                row(3000, owner("node", "node", "", "node", "server.js"), NONE),
                row(3000, owner("node", "node", "", "node", "/app/node_modules/.bin/next", "dev"), "Next.js"),
                row(3000, owner("node", "node", "", "node", "/app/node_modules/.bin/nextra", "dev"), NONE),
                row(
                        3000,
                        owner("node", "node", "", "node", "/app/node_modules/react-scripts/scripts/start.js"),
                        "Create React App"),
                row(3000, owner("node", "node", "", "node", "/app/scripts/start.js"), NONE),
                // Grafana on 3000, by its executable or its unit; Grafana's name in another program is not it
                row(
                        3000,
                        owner(
                                "grafana",
                                "grafana",
                                "grafana-server.service",
                                "/usr/share/grafana/bin/grafana",
                                "server",
                                "--config=/etc/grafana/grafana.ini"),
                        "Grafana"),
                row(3000, owner("grafana-server", "grafana-server", "", "/usr/sbin/grafana-server"), "Grafana"),
                row(3000, owner("grafana-agent", "grafana-agent", "", "/usr/bin/grafana-agent"), NONE),
                row(3100, owner("grafana", "grafana", "", "/usr/share/grafana/bin/grafana", "server"), NONE),
                // Prometheus against node_exporter on 9100, and the other way round on 9090
                row(9100, owner("prometheus", "prometheus", "prometheus.service", "/usr/bin/prometheus"), NONE),
                row(
                        9100,
                        owner(
                                "prometheus-node-exporter",
                                "prometheus-node",
                                "prometheus-node-exporter.service",
                                "/usr/bin/prometheus-node-exporter"),
                        "Prometheus node_exporter"),
                row(9100, owner("node_exporter", "node_exporter", "", "./node_exporter"), "Prometheus node_exporter"),
                row(9090, owner("node_exporter", "node_exporter", "", "./node_exporter"), NONE),
                row(9090, owner("prometheus", "prometheus", "", "./prometheus"), "Prometheus"),
                // redis-server is not Ray on 6379, redis-commander is not the Redis exporter
                row(6379, owner("redis-server", "redis-server", "redis-server.service", "/usr/bin/redis-server"), NONE),
                row(9121, owner("node", "node", "", "node", "/usr/bin/redis-commander"), NONE),
                row(9121, owner("redis-commander", "redis-commander", "", "/usr/bin/redis-commander"), NONE),
                row(9121, owner("redis_exporter", "redis_exporter", "", "/usr/bin/redis_exporter"), "Redis exporter"),
                // nginx is not Nginx Proxy Manager (which has no identity), nor Kong
                row(81, owner("nginx", "nginx", "nginx.service", "nginx: master process /usr/sbin/nginx"), NONE),
                row(8000, owner("nginx", "nginx", "nginx.service", "nginx: master process"), NONE),
                // the same name only in a unit: the unit must be the software's own, whole
                row(2379, owner("sleep", "sleep", "etcd.service", "sleep", "infinity"), "etcd"),
                row(2379, owner("myapp", "myapp", "etcd-backup.service", "/usr/bin/myapp"), NONE),
                row(2379, owner("myapp", "myapp", "my-etcd.service", "/usr/bin/myapp"), NONE),
                // case is kept: units, executables and classes are case-sensitive
                row(2379, owner("ETCD", "ETCD", "", "/opt/ETCD"), NONE),
                row(2379, owner("etcd", "etcd", "", "/usr/bin/etcd"), "etcd"),
                // instances of a template unit
                row(9050, owner("tor", "tor", "tor@default.service", "/usr/bin/tor"), "Tor"),
                row(9050, owner("x", "x", "tor@.service", "/usr/bin/x"), NONE),
                // the executable hidden: the kernel's short name, whole or cut at 15 characters
                row(
                        9100,
                        owner("", "prometheus-node", "", "/usr/bin/prometheus-node-exporter"),
                        "Prometheus node_exporter"),
                row(9100, owner("", "prometheus-nod", "", "x"), NONE),
                // a known use without identity never explains a listener
                row(5000, owner("python3.11", "python3", "", "python3", "app.py"), NONE),
                row(81, owner("node", "node", "", "node", "index.js"), NONE));
    }

    @ParameterizedTest(name = "{0}/tcp {1} -> {2}")
    @MethodSource("table")
    void aKnownUseExplainsAListenerOnlyByIdentity(int port, OwnerIdentity owner, String explainedBy) {
        Optional<KnownUses.Recognition> r =
                KnownUses.recognise(BUNDLED.overlapping(PortRange.of(port)), Transport.TCP, port, owner);
        if (explainedBy.isEmpty()) {
            assertThat(r).as("no known use explains it").isEmpty();
        } else {
            assertThat(r).hasValueSatisfying(x -> assertThat(x.use().software()).isEqualTo(explainedBy));
        }
    }

    @Test
    void theKnownUseMustBeOnTheListenersPortAndTransport() {
        OwnerIdentity etcd = owner("etcd", "etcd", "", "/usr/bin/etcd");
        List<KnownUse> uses = BUNDLED.overlapping(new PortRange(2379, 2380));
        assertThat(KnownUses.recognise(uses, Transport.TCP, 2380, etcd)).isPresent();
        assertThat(KnownUses.recognise(uses, Transport.UDP, 2379, etcd)).isEmpty();
        assertThat(KnownUses.recognise(uses, Transport.TCP, 2381, etcd)).isEmpty();
    }

    @Test
    void aPackagePlugsIn() {
        // the package that owns the executable identifies it, whatever the file is called
        OwnerIdentity renamed =
                new OwnerIdentity("exporter", "exporter", "", Set.of("prometheus-node-exporter"), List.of("exporter"));
        assertThat(KnownUses.recognise(BUNDLED.overlapping(PortRange.of(9100)), Transport.TCP, 9100, renamed))
                .hasValueSatisfying(r -> assertThat(r.mark().describe()).isEqualTo("package prometheus-node-exporter"));
        OwnerIdentity lookAlike =
                new OwnerIdentity("exporter", "exporter", "", Set.of("prometheus-node-exporter-collectors"), List.of());
        assertThat(KnownUses.recognise(BUNDLED.overlapping(PortRange.of(9100)), Transport.TCP, 9100, lookAlike))
                .isEmpty();
    }

    static ProcessInfo process(String exe, List<String> argv, Source source) {
        return FindingsTest.process(1234, exe, argv, source);
    }

    @Test
    void httpdOnTheSparkHistoryPortIsNotSaidToBeSpark() {
        ProcessInfo httpd = new ProcessInfo(
                812,
                1,
                "httpd",
                "/usr/sbin/httpd",
                List.of("/usr/sbin/httpd", "-DFOREGROUND"),
                48,
                "apache",
                null,
                "/",
                List.of(),
                new Source(Source.Kind.SYSTEMD_UNIT, "httpd.service", "systemd unit httpd.service"),
                "",
                List.of());
        List<Finding> f = FindingsTest.findings(
                18080,
                FindingsTest.listener(18080, BindScope.ALL, "0.0.0.0", FindingsTest.HOST, new Owner.Known(httpd, 4)));
        assertThat(f.get(0)).isNotInstanceOf(Finding.KnownUseMatch.class);
        String sentence = Sentences.of(f.get(0));
        assertThat(sentence)
                .doesNotContain("a known use does")
                .contains("the port is known for Apache Spark and Monero, but its owner is none of these")
                .contains("httpd (pid 812, user apache) run by systemd unit httpd.service");
        List<String> knownUses = f.get(0) instanceof Finding.LabelMismatch m
                ? m.knownUses()
                : ((Finding.NoRegisteredName) f.get(0)).knownUses();
        assertThat(knownUses).containsExactly("Apache Spark", "Monero");
    }

    @Test
    void theSparkHistoryServerIsSaidToBeSparkWithTheMarkThatShowsIt() {
        ProcessInfo spark = process(
                "java",
                List.of(
                        "/usr/bin/java",
                        "-cp",
                        "/opt/spark/conf/:/opt/spark/jars/*",
                        "org.apache.spark.deploy.history.HistoryServer"),
                Source.unknown("x"));
        List<Finding> f = FindingsTest.findings(
                18080,
                FindingsTest.listener(18080, BindScope.ALL, "0.0.0.0", FindingsTest.HOST, new Owner.Known(spark, 4)));
        assertThat(f.get(0)).isInstanceOfSatisfying(Finding.KnownUseMatch.class, k -> {
            assertThat(k.software()).isEqualTo("Apache Spark");
            assertThat(k.matchedBy()).isEqualTo("Java main class org.apache.spark.deploy.history.HistoryServer");
        });
        assertThat(Sentences.of(f.get(0)))
                .contains("but a known use does (Apache Spark, by its Java main class"
                        + " org.apache.spark.deploy.history.HistoryServer): a Java program");
    }

    @Test
    void oneKnownUseThatIsNotTheOwnerIsNamedAlone() {
        ProcessInfo redis =
                process("redis-server", List.of("/usr/bin/redis-server", "127.0.0.1:6379"), Source.unknown("x"));
        List<Finding> f = FindingsTest.findings(
                6379,
                FindingsTest.listener(
                        6379, BindScope.LOOPBACK, "127.0.0.1", FindingsTest.HOST, new Owner.Known(redis, 6)));
        // IANA names 6379 redis: the registered service, whatever the known use says
        assertThat(f.get(0)).isInstanceOf(Finding.RegisteredService.class);
        ProcessInfo other = process("keydb-server", List.of("keydb-server"), Source.unknown("x"));
        Finding g = FindingsTest.findings(
                        6379,
                        FindingsTest.listener(
                                6379, BindScope.LOOPBACK, "127.0.0.1", FindingsTest.HOST, new Owner.Known(other, 6)))
                .get(0);
        assertThat(Sentences.of(g))
                .contains("the port is known for Ray, but its owner is not that software: keydb-server");
    }

    @Test
    void manyKnownUsesAreCountedAfterTheFirstThree() {
        ProcessInfo node = process("node", List.of("node", "server.js"), Source.unknown("x"));
        Finding f = FindingsTest.findings(
                        3000,
                        FindingsTest.listener(
                                3000, BindScope.LOOPBACK, "127.0.0.1", FindingsTest.HOST, new Owner.Known(node, 6)))
                .get(0);
        assertThat(Sentences.of(f))
                .contains("the port is known for AdGuard Home, Bun, Create React App and 9 more, but its owner is none"
                        + " of these: a Node.js program (server.js)");
    }

    @Test
    void theOwnersIdentityIsReadFromTheProcess() {
        ProcessInfo p = new ProcessInfo(
                7,
                1,
                "prometheus",
                "/usr/bin/prometheus (deleted)",
                List.of("/usr/bin/prometheus", "--config.file=/etc/prometheus/prometheus.yml"),
                0,
                "root",
                null,
                null,
                List.of(),
                new Source(Source.Kind.SYSTEMD_UNIT, "prometheus.service", "systemd unit prometheus.service"),
                "",
                List.of());
        assertThat(OwnerIdentity.of(p))
                .isEqualTo(new OwnerIdentity(
                        "prometheus",
                        "prometheus",
                        "prometheus.service",
                        Set.of(),
                        List.of("/usr/bin/prometheus", "--config.file=/etc/prometheus/prometheus.yml")));
        ProcessInfo fromShell = process("x", List.of("x"), new Source(Source.Kind.SHELL, "bash", "bash on pts/1"));
        assertThat(OwnerIdentity.of(fromShell).unit()).isEmpty();
        assertThat(OwnerIdentity.of(fromShell, Set.of("x-pkg")).packages()).containsExactly("x-pkg");
    }
}

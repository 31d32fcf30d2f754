package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.portlens.model.OwnerIdentity;

/** The identity column: read strictly, and each kind of mark compared whole, with case. */
class SoftwareIdentityTest {

    static OwnerIdentity owner(String exe, String unit, String... argv) {
        return new OwnerIdentity(exe, exe.isEmpty() ? "" : exe, unit, Set.of(), List.of(argv));
    }

    static boolean matches(String identity, OwnerIdentity o) {
        return SoftwareIdentity.parse(identity).match(o).isPresent();
    }

    @Test
    void readsMarksAndWritesThemBack() {
        SoftwareIdentity id = SoftwareIdentity.parse("exe:etcd,pkg:etcd-server,unit:etcd.service");
        assertThat(id.marks())
                .containsExactly(
                        new SoftwareIdentity.Mark(SoftwareIdentity.Kind.EXE, "etcd"),
                        new SoftwareIdentity.Mark(SoftwareIdentity.Kind.PKG, "etcd-server"),
                        new SoftwareIdentity.Mark(SoftwareIdentity.Kind.UNIT, "etcd.service"));
        assertThat(id).hasToString("exe:etcd,pkg:etcd-server,unit:etcd.service");
        assertThat(SoftwareIdentity.parse("-")).isEqualTo(SoftwareIdentity.NONE);
        assertThat(SoftwareIdentity.parse("exe:Plex Media Server")
                        .marks()
                        .get(0)
                        .describe())
                .isEqualTo("executable Plex Media Server");
    }

    @Test
    void rejectsMalformedMarksNamingThem() {
        assertThatThrownBy(() -> SoftwareIdentity.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty identity: write - for none");
        assertThatThrownBy(() -> SoftwareIdentity.parse("etcd")).hasMessage("identity mark 'etcd' is not KIND:VALUE");
        assertThatThrownBy(() -> SoftwareIdentity.parse("exe:etcd,")).hasMessage("identity mark '' is not KIND:VALUE");
        assertThatThrownBy(() -> SoftwareIdentity.parse("exe:etcd,exe:etcd"))
                .hasMessage("identity mark 'exe:etcd' is given twice");
        assertThatThrownBy(() -> SoftwareIdentity.parse("exe:")).hasMessage("bad exe value in identity mark 'exe:'");
        assertThatThrownBy(() -> SoftwareIdentity.parse("exe:/usr/bin/etcd"))
                .hasMessage("bad exe value in identity mark 'exe:/usr/bin/etcd'");
        assertThatThrownBy(() -> SoftwareIdentity.parse("pkg:Etcd"))
                .hasMessage("bad pkg value in identity mark 'pkg:Etcd': package names are lower case");
        assertThatThrownBy(() -> SoftwareIdentity.parse("java:org.x..Main"))
                .hasMessage("bad java value in identity mark 'java:org.x..Main'");
        assertThatThrownBy(() -> SoftwareIdentity.parse("jar:a-*-*.jar"))
                .hasMessage("bad jar value in identity mark 'jar:a-*-*.jar': an archive ends in .jar or .war,"
                        + " with at most one *");
        assertThatThrownBy(() -> SoftwareIdentity.parse("script:../x.js"))
                .hasMessage("bad script value in identity mark 'script:../x.js'");
    }

    @Test
    void anExecutableIsItsWholeFileNameWithCase() {
        assertThat(matches("exe:redis-server", owner("redis-server", ""))).isTrue();
        assertThat(matches("exe:redis-server", owner("redis-server2", ""))).isFalse();
        assertThat(matches("exe:redis-server", owner("Redis-Server", ""))).isFalse();
        assertThat(matches("exe:redis", owner("redis-server", ""))).isFalse();
        // the short name counts only when the executable is hidden, and it is not what the process runs
        assertThat(matches("exe:redis-server", new OwnerIdentity("python3", "redis-server", "", Set.of(), List.of())))
                .isFalse();
        assertThat(matches("exe:redis-server", new OwnerIdentity("", "redis-server", "", Set.of(), List.of())))
                .isTrue();
    }

    @Test
    void aJavaMainClassIsReadPastTheJvmsOptions() {
        String master = "java:org.apache.spark.deploy.master.Master";
        assertThat(matches(
                        master,
                        owner(
                                "java",
                                "",
                                "java",
                                "-Xmx1g",
                                "--add-opens",
                                "java.base/java.lang=ALL-UNNAMED",
                                "-cp",
                                "/opt/spark/jars/*",
                                "org.apache.spark.deploy.master.Master",
                                "--port",
                                "7077")))
                .isTrue();
        assertThat(matches(master, owner("java", "", "java", "-cp", "x", "org.apache.spark.deploy.master.MasterUI")))
                .isFalse();
        assertThat(matches(master, owner("java", "", "java", "-jar", "org.apache.spark.deploy.master.Master")))
                .isFalse();
        assertThat(matches(
                        "java:org.elasticsearch.bootstrap.Elasticsearch",
                        owner(
                                "java",
                                "",
                                "java",
                                "--module-path",
                                "/usr/share/elasticsearch/lib",
                                "-m",
                                "org.elasticsearch.server/org.elasticsearch.bootstrap.Elasticsearch")))
                .isTrue();
    }

    @Test
    void anArchiveMayCarryAVersionWhereTheStarIs() {
        String selenium = "jar:selenium-server-*.jar";
        assertThat(matches(selenium, owner("java", "", "java", "-jar", "/opt/selenium-server-4.21.0.jar", "hub")))
                .isTrue();
        assertThat(matches(selenium, owner("java", "", "java", "-jar", "selenium-server-.jar")))
                .isFalse();
        assertThat(matches(selenium, owner("java", "", "java", "-jar", "selenium-server-latest.jar")))
                .isFalse();
        assertThat(matches("jar:jenkins.war", owner("java", "", "java", "-jar", "/usr/share/java/jenkins.war")))
                .isTrue();
        assertThat(matches("jar:jenkins.war", owner("java", "", "java", "-jar", "/srv/jenkins.war.bak")))
                .isFalse();
    }

    @Test
    void aPythonModuleOrAnInterpretersScript() {
        assertThat(matches("module:http.server", owner("python3.12", "", "python3", "-m", "http.server", "8000")))
                .isTrue();
        assertThat(matches("module:http.server", owner("python3.12", "", "python3", "-mhttp.server")))
                .isTrue();
        assertThat(matches("module:http.server", owner("python3.12", "", "python3", "-m", "http.server.extra")))
                .isFalse();
        assertThat(matches("module:http.server", owner("python3.12", "", "python3", "serve.py", "-m", "http.server")))
                .isFalse();
        assertThat(matches("script:uvicorn", owner("python3.12", "", "python3", "-X", "dev", "/venv/bin/uvicorn")))
                .isTrue();
        assertThat(matches("script:uvicorn", owner("python3.12", "", "python3", "-m", "uvicorn")))
                .isFalse();
        assertThat(matches("script:vite", owner("node", "", "node", "--require", "x.js", "node_modules/.bin/vite")))
                .isTrue();
        assertThat(matches("script:vite", owner("node", "", "node", "-e", "vite")))
                .isFalse();
        assertThat(matches("script:vite", owner("vite", "", "vite"))).isFalse();
        assertThat(matches(
                        "script:Illuminate/Foundation/resources/server.php",
                        owner(
                                "php8.2",
                                "",
                                "php",
                                "-S",
                                "127.0.0.1:8000",
                                "/app/vendor/laravel/framework/src/Illuminate/Foundation/resources/server.php")))
                .isTrue();
        assertThat(matches(
                        "script:react-scripts/scripts/start.js",
                        owner("node", "", "node", "my-react-scripts/scripts/start.js")))
                .isFalse();
    }

    @Test
    void aUnitIsWholeOrAnInstanceOfATemplate() {
        assertThat(matches("unit:grafana-server.service", owner("x", "grafana-server.service")))
                .isTrue();
        assertThat(matches("unit:grafana-server.service", owner("x", "grafana-server2.service")))
                .isFalse();
        assertThat(matches("unit:grafana-server.service", owner("x", ""))).isFalse();
        assertThat(matches("unit:ceph-mon@.service", owner("x", "ceph-mon@node1.service")))
                .isTrue();
        assertThat(matches("unit:ceph-mon@.service", owner("x", "ceph-mon.service")))
                .isFalse();
    }

    @Test
    void noneMatchesNothing() {
        assertThat(SoftwareIdentity.NONE.match(owner("anything", "anything.service", "anything")))
                .isEmpty();
        assertThat(SoftwareIdentity.NONE.none()).isTrue();
    }
}

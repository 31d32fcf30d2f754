package org.portlens.packages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** rpm -qf's answers as rpm 4.16 (Fedora 38, Rocky 9) prints them with {@link RpmQuery#FORMAT}. */
class RpmQueryTest {

    @Test
    void readsNameVersionReleaseAndArch() {
        assertThat(RpmQuery.parse("nginx-core\t1.22.1-4.el9\tx86_64\n", 0, "/usr/sbin/nginx"))
                .isEqualTo(new PackageOrigin.Installed(
                        PackageOrigin.Manager.RPM, "nginx-core", "1.22.1-4.el9", "x86_64", false));
    }

    @Test
    void aFileOfNoPackageIsNotPackaged() {
        assertThat(RpmQuery.parse("file /opt/x/server is not owned by any package\n", 1, "/opt/x/server"))
                .isEqualTo(new PackageOrigin.NotPackaged("/opt/x/server", false, ""));
    }

    @Test
    void anythingElseIsUnknownWithWhatRpmSaid() {
        assertThat(RpmQuery.parse("error: rpmdb: BDB0113 Thread/process 123 failed\n", 1, "/usr/sbin/nginx")
                        .summary())
                .isEqualTo(
                        "unknown: rpm -qf /usr/sbin/nginx exited 1: error: rpmdb: BDB0113 Thread/process 123 failed");
    }
}

package org.portlens.discovery.linux.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.model.Transport.TCP;
import static org.portlens.model.Transport.UDP;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portlens.discovery.linux.forward.Forwarder.PortForward;
import org.portlens.discovery.linux.forward.Forwarder.Program;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * Command lines as /proc/PID/cmdline holds them (NUL-separated; written here with '|' for NUL), in the shapes Docker 24-28
 * starts docker-proxy, Podman 4 starts rootlessport and slirp4netns, and Podman 5 starts pasta.
 */
class ForwarderCommandLineTest {

    private static Forwarder parse(String cmdline) {
        return ForwarderCommandLine.parse(Arrays.asList(cmdline.split("\\|", -1)))
                .orElseThrow();
    }

    private static PortForward f(Transport t, String listen, int lo, int hi, String target, int tlo, int thi) {
        return new PortForward(t, listen, new PortRange(lo, hi), target, new PortRange(tlo, thi));
    }

    @Test
    void readsDockerProxysArguments() {
        Forwarder d = parse("/usr/bin/docker-proxy|-proto|tcp|-host-ip|0.0.0.0|-host-port|8080|"
                + "-container-ip|172.17.0.2|-container-port|80|-use-listen-fd");
        assertThat(d.program()).isEqualTo(Program.DOCKER_PROXY);
        assertThat(d.forwards()).containsExactly(f(TCP, "", 8080, 8080, "172.17.0.2", 80, 80));
        assertThat(d.notes()).isEmpty();
    }

    @Test
    void readsDockerProxyFlagsWithTwoDashesAndEquals() {
        Forwarder d = parse("docker-proxy|--proto=udp|--host-ip=127.0.0.1|--host-port|5353|"
                + "-container-ip=172.17.0.3|--container-port=53|--some-future-flag|x");
        assertThat(d.forwards()).containsExactly(f(UDP, "127.0.0.1", 5353, 5353, "172.17.0.3", 53, 53));
    }

    @Test
    void givesNoForwardAndNotesForAMalformedDockerProxy() {
        Forwarder d =
                parse("/usr/libexec/docker/docker-proxy|-proto|quic|-host-port|eighty|-container-port|" + "70000");
        assertThat(d.forwards()).isEmpty();
        assertThat(d.notes())
                .containsExactly(
                        "docker-proxy -proto 'quic' is not tcp, udp or sctp",
                        "docker-proxy -host-port 'eighty' is not a port",
                        "docker-proxy -container-port '70000' is not a port",
                        "docker-proxy has no -container-ip");
        assertThat(parse("docker-proxy").notes()).contains("docker-proxy -host-port missing is not a port");
    }

    @Test
    void readsPastasForwardsAsPodmanStartsIt() {
        Forwarder p = parse("/usr/bin/pasta|--config-net|-t|8080-8080:80-80|-t|127.0.0.1/9090:90|"
                + "--dns-forward|169.254.1.1|-u|none|-T|none|-U|none|--no-map-gw|--quiet|--netns|"
                + "/run/user/1000/netns/netns-5b6c|--map-guest-addr|169.254.1.2");
        assertThat(p.program()).isEqualTo(Program.PASTA);
        assertThat(p.forwards())
                .containsExactly(f(TCP, "", 8080, 8080, "", 80, 80), f(TCP, "127.0.0.1", 9090, 9090, "", 90, 90));
        assertThat(p.automatic()).isEmpty();
        assertThat(p.notes()).isEmpty();
    }

    @Test
    void readsPastaRangesListsExclusionsAndAuto() {
        Forwarder p = parse("pasta.avx2|-t|auto|--udp-ports=8000-8010,~8005|-t2222:22|--tcp-ports|"
                + "[::1]%lo/3000-3002:4000-4002|-u|~1-60000");
        assertThat(p.automatic()).containsExactly(TCP);
        assertThat(p.forwards())
                .containsExactly(
                        f(UDP, "", 8000, 8004, "", 8000, 8004),
                        f(UDP, "", 8006, 8010, "", 8006, 8010),
                        f(TCP, "", 2222, 2222, "", 22, 22),
                        f(TCP, "::1%lo", 3000, 3002, "", 4000, 4002),
                        f(UDP, "", 60001, 65535, "", 60001, 65535));
    }

    @Test
    void readsPasstsAll() {
        Forwarder p = parse("/usr/bin/passt|-t|all|-u|none");
        assertThat(p.program()).isEqualTo(Program.PASST);
        assertThat(p.forwards()).containsExactly(f(TCP, "", 1, 65535, "", 1, 65535));
    }

    @ParameterizedTest
    @ValueSource(strings = {"80:", "8000-8010:80", "0", "abc", "80-70", "", "1.2.3.4/", "~x", "65535:65534-65535"})
    void notesAPastaSpecItDoesNotUnderstand(String spec) {
        Forwarder p = parse("pasta|-t|" + spec + "|-t|443");
        assertThat(p.forwards()).containsExactly(f(TCP, "", 443, 443, "", 443, 443));
        assertThat(p.notes()).containsExactly("pasta -t " + spec + " not understood");
    }

    @Test
    void saysRootlessportsForwardsAreNotOnItsCommandLine() {
        Forwarder r = parse("rootlessport");
        assertThat(r.program()).isEqualTo(Program.ROOTLESSPORT);
        assertThat(r.forwards()).isEmpty();
        assertThat(r.notes()).singleElement().asString().contains("not on its command line");
    }

    @Test
    void namesSlirp4netnssApiSocket() {
        Forwarder s = parse("/usr/bin/slirp4netns|--disable-host-loopback|--mtu=65520|--enable-sandbox|"
                + "--enable-seccomp|--enable-ipv6|-c|-r|3|-e|4|--netns-type=path|"
                + "/run/user/1000/netns/netns-1a2b|tap0|--api-socket|/run/user/1000/libpod/tmp/abc.net");
        assertThat(s.program()).isEqualTo(Program.SLIRP4NETNS);
        assertThat(s.apiSocket()).isEqualTo("/run/user/1000/libpod/tmp/abc.net");
        assertThat(s.notes())
                .containsExactly("slirp4netns is given its port forwards over its API socket"
                        + " /run/user/1000/libpod/tmp/abc.net (add_hostfwd) after it starts, not on its command line");
        assertThat(parse("slirp4netns|-c|1234|tap0").notes())
                .containsExactly("slirp4netns runs without --api-socket: nothing can add port forwards to it");
    }

    @Test
    void recognisesNoOtherProgram() {
        assertThat(ForwarderCommandLine.parse(List.of("/usr/sbin/nginx", "-g", "daemon off;")))
                .isEmpty();
        assertThat(ForwarderCommandLine.parse(List.of())).isEmpty();
        assertThat(ForwarderCommandLine.parse(List.of("/opt/docker-proxy-like")))
                .isEmpty();
    }
}

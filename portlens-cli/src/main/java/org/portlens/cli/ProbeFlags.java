package org.portlens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.portlens.probe.NmapProbes;
import org.portlens.probe.ProbeOptions;
import org.portlens.probe.Prober;
import org.portlens.probe.Signature;
import org.portlens.probe.SignatureFile;
import org.portlens.probe.SignatureFormatException;
import picocli.CommandLine.Option;

/** The probe options shared by {@code portlens PORT}, {@code probe} and {@code scan --identify}. */
final class ProbeFlags {

    @Option(
            names = "--probe-timeout",
            paramLabel = "MS",
            description = "Wait this long for each probe's answer (default: 700; 250 for this host's listeners).")
    Integer probeTimeout;

    @Option(
            names = "--connect-timeout",
            paramLabel = "MS",
            description = "Wait this long for a TCP connect (default: 1000; 300 for this host's listeners).")
    Integer connectTimeout;

    @Option(
            names = "--banner-wait",
            paramLabel = "MS",
            description =
                    "Wait this long for a server that speaks first (default: 300; 150 for this host's listeners).")
    Integer bannerWait;

    @Option(
            names = "--probe-connections",
            paramLabel = "N",
            description =
                    "Run the probes side by side on at most N connections at once, each probe once (default: 1, one after another, for other hosts; 48 for this host's listeners: more than the built-in probes, so all go at once).")
    Integer probeConnections;

    @Option(
            names = "--probes",
            paramLabel = "FILE",
            description = "Extra signatures (docs/probes.md), tried before the built-in ones; may repeat.")
    List<Path> probeFiles = new ArrayList<>();

    @Option(
            names = "--nmap-probes",
            paramLabel = "FILE",
            arity = "0..1",
            fallbackValue = "/usr/share/nmap/nmap-service-probes",
            description = {
                "Also run nmap's service probes from FILE (your nmap install's), after the built-in ones.",
                "Default: ${FALLBACK-VALUE}"
            })
    Path nmapProbes;

    @Option(
            names = "--nmap-rarity",
            paramLabel = "N",
            defaultValue = "7",
            description = "With --nmap-probes: only probes of rarity N or less, 1-9 (default: ${DEFAULT-VALUE}).")
    int nmapRarity = 7;

    /** For any host. */
    Prober prober() {
        return prober(ProbeOptions.defaults());
    }

    /** For this host's own listeners: shorter defaults (flags still win). */
    Prober loopbackProber() {
        return prober(ProbeOptions.loopback());
    }

    private Prober prober(ProbeOptions d) {
        ProbeOptions options = d;
        try {
            if (connectTimeout != null) {
                options = options.withConnectTimeout(millis("--connect-timeout", connectTimeout));
            }
            if (bannerWait != null) {
                options = options.withBannerWait(millis("--banner-wait", bannerWait));
            }
            if (probeTimeout != null) {
                options = options.withProbeTimeout(millis("--probe-timeout", probeTimeout));
            }
            if (probeConnections != null) {
                if (probeConnections < 1 || probeConnections > ProbeOptions.MAX_CONNECTIONS) {
                    throw new InputException("--probe-connections must be 1-" + ProbeOptions.MAX_CONNECTIONS + ", got "
                            + probeConnections);
                }
                options = options.withConnections(probeConnections);
            }
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        List<Signature> extra = new ArrayList<>();
        for (Path f : probeFiles) {
            try {
                extra.addAll(SignatureFile.read(f)); // bounded: at most SignatureFile.MAX_BYTES, in 10 s
            } catch (NoSuchFileException e) {
                throw new InputException("no such probes file: " + f);
            } catch (IOException e) {
                throw new InputException("cannot read probes file " + f + ": " + e.getMessage());
            } catch (SignatureFormatException e) {
                List<String> problems = e.problems();
                throw new InputException(problems.get(0)
                        + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
            }
        }
        List<Signature> fallback = new ArrayList<>();
        if (nmapProbes != null) {
            if (nmapRarity < 1 || nmapRarity > 9) {
                throw new InputException("--nmap-rarity must be 1-9, got " + nmapRarity);
            }
            if (!Files.isRegularFile(nmapProbes)) {
                throw new InputException("no nmap service probes at " + nmapProbes
                        + " (install nmap, or give the file: --nmap-probes=FILE)");
            }
            try {
                fallback.addAll(NmapProbes.load(nmapProbes, nmapRarity).signatures());
            } catch (IOException e) {
                throw new InputException("cannot read " + nmapProbes + ": " + e.getMessage());
            }
        }
        try {
            return Prober.builder()
                    .options(options)
                    .extraSignatures(extra)
                    .fallbackSignatures(fallback)
                    .build();
        } catch (IllegalArgumentException e) {
            // a user's tls probe that runs an unknown probe inside: the file is at fault, not portlens
            throw new InputException(e.getMessage());
        }
    }

    private static Duration millis(String flag, int ms) {
        if (ms < 1 || ms > 600_000) {
            throw new InputException(flag + " must be 1-600000 milliseconds, got " + ms);
        }
        return Duration.ofMillis(ms);
    }
}

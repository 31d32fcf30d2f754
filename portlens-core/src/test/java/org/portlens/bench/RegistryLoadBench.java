package org.portlens.bench;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.portlens.registry.Registry;

/**
 * How long loading the whole bundled registry takes in-process: cold (the first load in a fresh
 * JVM, class loading included; several fresh JVMs) and warm (later loads in one JVM). Run by
 * bench/run.sh; not a test. Target: ≤ 10 ms.
 */
public final class RegistryLoadBench {

    private RegistryLoadBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--once") || args[0].equals("--once-after-io"))) {
            if (args[0].equals("--once-after-io")) {
                // What a real run has done before the registry loads: the JDK's resource and file I/O
                // are initialised (reading another resource does that), so only portlens's own work is timed.
                try (InputStream in =
                        RegistryLoadBench.class.getResourceAsStream("/org/portlens/registry/known-uses.tsv")) {
                    in.readAllBytes();
                }
            }
            long t0 = System.nanoTime();
            Registry r = Registry.bundled();
            long t1 = System.nanoTime();
            r.byPort(3640); // one lookup, so nothing is left lazy that a real run would pay for
            long t2 = System.nanoTime();
            System.out.println((t1 - t0) + " " + (t2 - t1));
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        int coldRuns = 7;
        double[] cold = new double[coldRuns];
        double[] afterIo = new double[coldRuns];
        double[] lookup = new double[coldRuns];
        for (int i = 0; i < coldRuns; i++) {
            String[] f = once(java, cp, "--once");
            cold[i] = Long.parseLong(f[0]) / 1e6;
            lookup[i] = Long.parseLong(f[1]) / 1e6;
            afterIo[i] = Long.parseLong(once(java, cp, "--once-after-io")[0]) / 1e6;
        }
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long t0 = System.nanoTime();
            Registry.bundled();
            warm.add((System.nanoTime() - t0) / 1e6);
        }
        double[] w = warm.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf(
                "registry load, cold (fresh JVM, first load, %d JVMs): median %.1f ms, min %.1f ms%n",
                coldRuns, median(cold), Arrays.stream(cold).min().orElse(0));
        System.out.printf(
                "registry load, first in a JVM whose I/O is initialised: median %.1f ms, min %.1f ms%n",
                median(afterIo), Arrays.stream(afterIo).min().orElse(0));
        System.out.printf("first lookup after a cold load (byPort 3640):    median %.2f ms%n", median(lookup));
        System.out.printf(
                "registry load, warm (same JVM, 50 loads):        median %.2f ms, min %.2f ms%n",
                median(w), Arrays.stream(w).min().orElse(0));
        System.out.printf(
                "target: <= 10 ms -> fresh JVM %s, I/O initialised %s, warm %s%n",
                median(cold) <= 10 ? "PASS" : "MISS",
                median(afterIo) <= 10 ? "PASS" : "MISS",
                median(w) <= 10 ? "PASS" : "MISS");
    }

    private static String[] once(String java, String cp, String mode) throws Exception {
        Process p = new ProcessBuilder(
                        java,
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        cp,
                        RegistryLoadBench.class.getName(),
                        mode)
                .redirectErrorStream(true)
                .start();
        String[] f = new String(p.getInputStream().readAllBytes()).strip().split(" ");
        p.waitFor();
        return f;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

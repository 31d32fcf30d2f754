package org.portlens.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Build step: turns IANA's XML into the compact resource bundled in the jar.
 * Usage: {@code RegistryCompiler SOURCE.xml OUTPUT.bin ORIGIN-URL}.
 */
final class RegistryCompiler {

    private RegistryCompiler() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: RegistryCompiler SOURCE.xml OUTPUT.bin ORIGIN-URL");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        Path output = Path.of(args[1]);
        byte[] raw = Files.readAllBytes(source);
        RegistryUpdate.Candidate candidate = RegistryUpdate.prepare(raw, args[2], List.of(), "");
        Files.createDirectories(output.getParent());
        Files.write(output, candidate.compact());
        System.out.println("portlens registry: " + candidate.info().records() + " records, "
                + candidate.info().people() + " people, updated "
                + candidate.info().updated() + " -> " + output);
    }
}

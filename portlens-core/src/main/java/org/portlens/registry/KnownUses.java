package org.portlens.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.portlens.model.OwnerIdentity;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * The bundled list of known (unofficial) port uses, {@code known-uses.tsv}.
 *
 * <p>Immutable once loaded; safe to share between threads.
 */
public final class KnownUses {

    static final String RESOURCE = "/org/portlens/registry/known-uses.tsv";
    private final List<KnownUse> uses;

    KnownUses(List<KnownUse> uses) {
        this.uses = List.copyOf(uses);
    }

    /**
     * The list shipped with portlens.
     *
     * @return the bundled known uses, parsed anew on each call
     * @throws UncheckedIOException  when the bundled list cannot be read
     * @throws IllegalStateException when the bundled list is missing from the jar
     */
    public static KnownUses bundled() {
        try (InputStream in = KnownUses.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled known-uses list " + RESOURCE + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses the TSV: {@code PORT TRANSPORTS SOFTWARE USE URL IDENTITY}, {@code #} comments. The
     * identity is {@code -} or marks as {@link SoftwareIdentity#parse} reads them.
     *
     * @param tsv  the whole file's text
     * @param file the file's name, for messages only
     * @return the known uses in the file's order
     * @throws IllegalArgumentException naming the file and line of a malformed row
     */
    public static KnownUses parse(String tsv, String file) {
        List<KnownUse> out = new ArrayList<>();
        String[] lines = tsv.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 6) {
                throw new IllegalArgumentException(
                        file + ":" + (i + 1) + ": expected 6 tab-separated fields, got " + f.length);
            }
            try {
                List<Transport> transports = new ArrayList<>();
                for (String t : f[1].split(",")) {
                    transports.add(Transport.parse(t.strip()));
                }
                out.add(new KnownUse(
                        PortRange.parse(f[0]),
                        transports,
                        f[2].strip(),
                        f[3].strip(),
                        f[4].strip(),
                        SoftwareIdentity.parse(f[5].strip())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new KnownUses(out);
    }

    /**
     * Known uses whose ports overlap {@code range}, any transport.
     *
     * @param range the ports to look up
     * @return the known uses in the list's order; empty when none overlaps
     */
    public List<KnownUse> overlapping(PortRange range) {
        return overlapping(range, Optional.empty());
    }

    /**
     * Known uses whose ports overlap {@code range}, for one transport.
     *
     * @param range     the ports to look up
     * @param transport a transport the known use must list
     * @return the known uses in the list's order; empty when none overlaps
     */
    public List<KnownUse> overlapping(PortRange range, Transport transport) {
        return overlapping(range, Optional.of(transport));
    }

    /**
     * Known uses whose ports overlap {@code range}, for one transport or (empty) any.
     *
     * @param range     the ports to look up
     * @param transport a transport the known use must list, or empty for any
     * @return the known uses in the list's order; empty when none overlaps
     */
    public List<KnownUse> overlapping(PortRange range, Optional<Transport> transport) {
        List<KnownUse> out = new ArrayList<>();
        for (KnownUse u : uses) {
            if (u.ports().overlaps(range)
                    && (transport.isEmpty() || u.transports().contains(transport.get()))) {
                out.add(u);
            }
        }
        return out;
    }

    /**
     * The first known use that explains a listener: one on the listener's port and transport whose
     * software the owner is, by a mark of its identity (never by a word of its name). A pure function.
     *
     * @param uses      the known uses to try, in order
     * @param transport the listener's transport
     * @param port      the listener's port
     * @param owner     the identity of the process that holds the listener
     * @return the known use and the mark the owner carries, or empty when none explains the listener
     */
    public static Optional<Recognition> recognise(
            List<KnownUse> uses, Transport transport, int port, OwnerIdentity owner) {
        for (KnownUse u : uses) {
            Optional<SoftwareIdentity.Mark> m = u.explains(transport, port, owner);
            if (m.isPresent()) {
                return Optional.of(new Recognition(u, m.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * A known use that explains a listener, and the mark of its software the owner carries.
     *
     * <p>Immutable; safe to share between threads.
     *
     * @param use  the known use
     * @param mark the mark that identifies the owner as the use's software
     */
    public record Recognition(KnownUse use, SoftwareIdentity.Mark mark) {}

    /**
     * Every known use.
     *
     * @return the known uses in the list's order, unmodifiable
     */
    public List<KnownUse> all() {
        return uses;
    }
}

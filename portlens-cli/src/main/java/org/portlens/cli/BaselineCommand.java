package org.portlens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Listener;
import org.portlens.model.Transport;
import org.portlens.policy.Baseline;
import org.portlens.policy.Identity;
import org.portlens.policy.Ignore;
import org.portlens.policy.Netns;
import org.portlens.policy.PolicyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portlens baseline}: today's listeners as a policy file. */
@Command(
        name = "baseline",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes today's listeners as a policy file, to check later with 'portlens audit'.",
            "",
            "One entry per listener (transport, port, bind, network namespace, executable, unit, user; never the pid), with a comment saying which process held it, why it runs and since when. UDP sockets in this host's ephemeral range (clients) get an ignore rule instead. The format: docs/policy.md.",
            "",
            "Without -o it prints the policy; with -o it writes the file atomically, and never over an existing one without --force."
        })
final class BaselineCommand implements Callable<Integer> {

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description =
                    "Write the policy to FILE (default: print it). The usual place is ~/.config/portlens/policy.yaml.")
    Path output;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (common.json) {
            throw new InputException("baseline writes a YAML policy file; --json is not an output of it");
        }
        if (output != null && Files.exists(output) && !force) {
            throw new InputException(output + " exists: give --force to replace it, or another -o FILE");
        }
        SocketTable table = SocketTable.system();
        Discovery d = table.read(new Query(EnumSet.of(Transport.TCP, Transport.UDP), Optional.empty()));
        Optional<EphemeralRange> ephemeral = table.ephemeralRange();
        List<Ignore> ignore = ephemeral
                .map(e -> List.of(new Ignore(
                        Optional.of(Transport.UDP),
                        e.range(),
                        Optional.empty(),
                        Netns.HOST,
                        Identity.ANY,
                        "UDP client sockets")))
                .orElse(List.of());
        List<Listener> ignored = d.listeners().stream()
                .filter(l -> ignore.stream().anyMatch(i -> i.matches(l)))
                .toList();
        List<Baseline.Entry> entries = Baseline.entries(d, ignore);
        String text = BaselineWriter.write(entries, ignore, ephemeral, ignored, Instant.now());
        if (text.getBytes(StandardCharsets.UTF_8).length > PolicyFile.MAX_BYTES) {
            // never write a policy that audit would refuse
            throw new InputException("the baseline of this host takes more than " + PolicyFile.MAX_BYTES / 1_000_000
                    + " MB, the limit for a policy file: narrow it (ignore rules, --tcp or --udp) or write it by hand");
        }
        if (output == null) {
            out.print(text);
            out.flush();
        } else {
            write(output, text, force);
            err.println("portlens: wrote " + entries.size() + " expected listener(s) to " + output);
            err.flush();
        }
        return Flags.partial(d, err);
    }

    /** Writes through a temporary file in the same directory and a rename: never half a file. */
    static void write(Path file, String text, boolean force) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InputException("no directory " + dir + " for " + file + ": create it first");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".portlens-baseline.tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true); // on disk before the name points at it
            }
            if (force) {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // a link fails when the name exists, so a file written meanwhile is never replaced
                try {
                    Files.createLink(file, tmp);
                    Files.delete(tmp);
                } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                    if (e instanceof FileAlreadyExistsException exists) {
                        throw exists;
                    }
                    if (Files.exists(file)) {
                        throw new FileAlreadyExistsException(file.toString());
                    }
                    // no hard links here (some file systems): a rename, after the check above
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw new InputException(file + " exists: give --force to replace it, or another -o FILE");
        } catch (IOException e) {
            throw new InputException("cannot write " + file + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignoredToo) {
                    // the temporary file stays; nothing else was touched
                }
            }
        }
    }
}

package org.portlens.discovery.linux.forward;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.portlens.internal.BoundedRead;
import org.portlens.internal.Command;
import org.portlens.internal.CommandRunner;

/**
 * Reads a network namespace's NAT rules by running {@code nft -j list ruleset}, and {@code
 * iptables-save -t nat} when nft is missing or fails, or when iptables-nft rules hide their DNAT
 * targets from nft. Running is here, parsing in {@link NftRuleset} and {@link IptablesSave}. A
 * missing program, a refusal (not root) or a timeout becomes a note, never an exception. Immutable;
 * safe from any thread when its runner is.
 */
public final class NatRuleReader {

    /**
     * Runs nft and iptables-save for real: 10 s each, and up to 64 MB of output (a ruleset of tens of
     * thousands of rules, kube-proxy's on a big cluster).
     */
    public static final CommandRunner SYSTEM = CommandRunner.within(Duration.ofSeconds(10), 64_000_000L);

    private final CommandRunner runner;
    private final List<String> prefix;

    /**
     * A reader that runs the programs through {@code runner}, each command line after {@code prefix}.
     *
     * @param prefix what runs the programs in the namespace to read, such as {@code ip netns exec
     *               NAME}; empty for the namespace portlens runs in
     */
    public NatRuleReader(CommandRunner runner, List<String> prefix) {
        this.runner = runner;
        this.prefix = List.copyOf(prefix);
    }

    /** The rules of the namespace portlens runs in, read by running the programs for real. */
    public static NatRuleReader system() {
        return new NatRuleReader(SYSTEM, List.of());
    }

    /** The forwards of the namespace's NAT rules, with notes on what could not be read. */
    public NatRules read() {
        List<String> notes = new ArrayList<>();
        Command.Result nft = run(List.of("nft", "-j", "list", "ruleset"), "nftables", notes);
        if (nft != null && nft.exit() == 0) {
            NftRuleset.Parsed parsed = NftRuleset.parse(nft.stdout());
            if (!parsed.hasIptablesTargets()) {
                return parsed.rules();
            }
            NatRules iptables = readIptables(notes);
            List<NatForward> forwards = new ArrayList<>(parsed.rules().forwards());
            forwards.addAll(iptables.forwards());
            List<String> all = new ArrayList<>(parsed.rules().notes());
            all.addAll(iptables.notes());
            return new NatRules(forwards, all);
        }
        if (nft != null) {
            notes.add("nft -j list ruleset exited " + nft.exit() + ": " + nft.firstLine() + refusal(nft));
        }
        return readIptables(notes);
    }

    /** The forwards of {@code iptables-save -t nat} alone, after {@code notes}. */
    NatRules readIptables(List<String> notes) {
        Command.Result save = run(List.of("iptables-save", "-t", "nat"), "iptables", notes);
        if (save == null) {
            return new NatRules(List.of(), notes);
        }
        if (save.exit() != 0) {
            notes.add("iptables-save -t nat exited " + save.exit() + ": " + save.firstLine() + refusal(save));
            return new NatRules(List.of(), notes);
        }
        NatRules parsed = IptablesSave.parse(save.stdout());
        List<String> all = new ArrayList<>(notes);
        all.addAll(parsed.notes());
        return new NatRules(parsed.forwards(), all);
    }

    /** The program's result, or null with a note when it could not run to its end. */
    private Command.@Nullable Result run(List<String> command, String debianPackage, List<String> notes) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(command);
        String name = String.join(" ", command);
        try {
            Command.Result r = runner.run(argv);
            if (r.exit() == 127
                    || (r.exit() != 0
                            && r.stderr().contains("No such file or directory")
                            && r.stderr().contains(command.get(0)))) {
                // the prefix (ip netns exec) ran, the program was not there
                notes.add(command.get(0) + " not found: apt-get install " + debianPackage);
                return null;
            }
            return r;
        } catch (BoundedRead.TooLarge | BoundedRead.TooSlow e) {
            notes.add(name + " not read: " + e.getMessage());
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage());
            notes.add(
                    why.contains("error=2") || why.contains("No such file")
                            ? argv.get(0) + " not found: apt-get install "
                                    + (argv.get(0).equals(command.get(0)) ? debianPackage : "it")
                            : name + " could not run: " + why);
        }
        return null;
    }

    /** What would help when the program refused. */
    private static String refusal(Command.Result r) {
        String text = (r.stderr() + r.stdout()).toLowerCase(Locale.ROOT);
        return text.contains("permission denied") || text.contains("not permitted") || text.contains("must be root")
                ? " (reading NAT rules needs root, or CAP_NET_ADMIN)"
                : "";
    }
}

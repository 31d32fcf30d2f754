package org.portlens.cli;

import java.io.PrintWriter;
import java.util.Optional;
import org.portlens.discovery.Discovery;
import org.portlens.model.Transport;

/** Small rules shared by the commands. */
final class Flags {

    private Flags() {}

    /** Combines a transport from {@code PORT/PROTO} with --tcp/--udp; conflicting choices are an input error. */
    static Transport transport(Transport fromSpec, boolean tcp, boolean udp) {
        Transport flag = tcp && udp ? null : tcp ? Transport.TCP : udp ? Transport.UDP : null;
        if (fromSpec != null && flag != null && fromSpec != flag) {
            throw new InputException(
                    "the port says /" + fromSpec.label() + " but --" + flag.label() + " was given: choose one");
        }
        return fromSpec != null ? fromSpec : flag;
    }

    /** Exit code 3 and a line on stderr when part of the answer was hidden; 0 otherwise. */
    static int partial(Optional<Discovery> discovery, PrintWriter err) {
        return discovery.isPresent() ? partial(discovery.get(), err) : ExitCodes.OK;
    }

    /** Exit code 3 and a line on stderr when part of the answer was hidden; 0 otherwise. */
    static int partial(Discovery d, PrintWriter err) {
        if (d.coverage().partial()) {
            if (d.coverage().ownersHidden() > 0) {
                err.println("portlens: partial answer: " + d.coverage().ownersHidden() + " socket owner(s) hidden"
                        + (d.coverage().privileged()
                                ? ": their processes could not be read even as root (see the notes)"
                                : " (processes of other users); run as root to see them"));
            }
            if (d.coverage().ownersGone() > 0) {
                err.println("portlens: partial answer: " + d.coverage().ownersGone()
                        + " owner process(es) exited during the scan; run again for a full answer");
            }
            err.flush();
            return ExitCodes.PARTIAL;
        }
        return ExitCodes.OK;
    }
}

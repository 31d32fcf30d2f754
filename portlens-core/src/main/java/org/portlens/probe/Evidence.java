package org.portlens.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.portlens.probe.Exchange.Response;
import org.portlens.probe.Matching.Identification;

/**
 * What one identification has seen so far, and the {@link Wire} it comes to: the exchanges report
 * each step tried, each answer (matched or not), each silence, close and failure here, and this
 * decides between a confident match, a soft one, unknown bytes and nothing. One per
 * {@link Prober#probe} call; thread-safe, since the probes of one call may run side by side.
 */
final class Evidence {

    private final long start;
    private final Duration probeTimeout;
    private final List<String> tried = new ArrayList<>();
    private @Nullable Identification soft;
    private @Nullable Response softResponse;
    private @Nullable Response evidence;
    private String evidenceProbe = "";
    private String lastError = "";
    private long budgetSpentMillis = -1;
    private int closed;
    private int silent;
    private List<ResponseMatcher> answerMatchers = List.of();

    /**
     * @param start        when the identification started (nanoTime), for the elapsed time
     * @param probeTimeout the wait for each answer, named when probes went unanswered
     */
    Evidence(long start, Duration probeTimeout) {
        this.start = start;
        this.probeTimeout = probeTimeout;
    }

    /**
     * The matchers an answer that matches nothing else is tried against, to describe it: nmap's match
     * lines when they were loaded ({@link ProbePlan#answerMatchers}). None by default.
     */
    synchronized void answerMatchers(List<ResponseMatcher> matchers) {
        answerMatchers = List.copyOf(matchers);
    }

    /** A step ("banner", a probe's name) is being tried. */
    synchronized void tried(String step) {
        tried.add(step);
    }

    synchronized int triedCount() {
        return tried.size();
    }

    /** The protocol of the first soft match, which only steps that can confirm it may follow. */
    synchronized Optional<String> softProtocol() {
        return soft == null ? Optional.empty() : Optional.of(soft.protocol());
    }

    /** Whether any connection has had an answer, a close or a soft match yet. */
    synchronized boolean heardAnything() {
        return evidence != null || soft != null || closed > 0;
    }

    /**
     * Nothing can answer: every connection still waits in the listener's accept queue, which
     * holds {@code waiting}.
     */
    synchronized Wire notAccepting(int waiting, int connections) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("accept-queue", waiting + " connections waiting, " + connections + " of them portlens's");
        return new Wire(
                Wire.Outcome.NONE,
                "",
                "",
                "",
                d,
                null,
                false,
                0,
                "",
                tried,
                elapsedMillis(),
                "not accepting connections: the process has not taken portlens's " + connections
                        + " from its accept queue (" + waiting
                        + " waiting); it is busy, stopped or hung, so no probe can be answered");
    }

    /** The connection was closed by the server without data. */
    synchronized void closed() {
        closed++;
    }

    /** A probe went unanswered within the probe timeout. */
    synchronized void silent() {
        silent++;
    }

    /** Counts an empty answer as a close or a silence. */
    synchronized void count(Response r) {
        if (r.empty()) {
            if (r.eof()) {
                closed++;
            } else {
                silent++;
            }
        }
    }

    /** The latest failure, replacing an earlier one ("connection reset"). */
    synchronized void lastError(String error) {
        lastError = error;
    }

    synchronized String lastError() {
        return lastError;
    }

    /** The time budget of {@code millis} ran out before every step was tried. */
    synchronized void budgetSpent(long millis) {
        budgetSpentMillis = millis;
    }

    /**
     * Records an answer to {@code probe} and what the matchers made of it ({@code id}, null for
     * nothing). Returns the final result for a confident match, else null to go on.
     */
    @Nullable
    synchronized Wire consider(@Nullable Identification id, Response r, String probe) {
        if (!r.empty() && evidence == null) {
            evidence = r;
            evidenceProbe = probe;
        }
        if (id == null) {
            return null;
        }
        if (id.soft()) {
            if (soft == null) {
                soft = id;
                softResponse = r;
            }
            return null;
        }
        Identification fin = soft != null && soft.protocol().equals(id.protocol()) ? id.over(soft) : id;
        return result(fin, null, r, r.length());
    }

    /** The result once no step is left: the soft match, the unknown answer, or why there was none. */
    synchronized Wire finish() {
        Identification s = soft;
        Response sr = softResponse;
        if (s != null && sr != null) {
            return result(s, null, sr, sr.length());
        }
        Response evidence = this.evidence;
        if (evidence != null) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("received", evidence.length() + " bytes");
            d.put("probe", evidenceProbe);
            return new Wire(
                    Wire.Outcome.UNKNOWN,
                    "",
                    "",
                    "",
                    d,
                    null,
                    false,
                    evidence.length(),
                    Matching.firstBytes(evidence.data(), evidence.length()),
                    tried,
                    elapsedMillis(),
                    "",
                    Optional.empty(),
                    Optional.of(Answer.describe(
                            evidence.data(), evidence.length(), nmap(evidence.data(), evidence.length()))));
        }
        StringBuilder why = new StringBuilder("no response to any probe (" + tried.size() + " tried)");
        if (budgetSpentMillis >= 0) {
            why.append("; stopped at the time budget of ")
                    .append(budgetSpentMillis)
                    .append(" ms");
        } else if (!lastError.isEmpty() && tried.isEmpty()) {
            return none(lastError);
        }
        Map<String, String> d = new LinkedHashMap<>();
        if (closed > 0) {
            d.put("closed", closed + " connections closed by the server without data");
        }
        if (silent > 0) {
            d.put("silent", silent + " probes unanswered within " + probeTimeout.toMillis() + " ms");
        }
        if (!lastError.isEmpty()) {
            d.put("last-error", lastError);
        }
        return new Wire(Wire.Outcome.NONE, "", "", "", d, null, false, 0, "", tried, elapsedMillis(), why.toString());
    }

    /** What the first of the answer matchers that fits makes of the bytes, for people; empty for none. */
    private String nmap(byte[] data, int length) {
        Identification id = Matching.identify(answerMatchers, data, length);
        if (id == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(id.protocol());
        if (!id.product().isEmpty()) {
            sb.append(" (").append(id.product());
            sb.append(id.version().isEmpty() ? "" : " " + id.version()).append(')');
        }
        if (id.soft()) {
            sb.append(", soft");
        }
        return sb.append(" by ").append(id.origin()).toString();
    }

    /**
     * An identified result.
     *
     * @param tls   what the handshake showed, or null when the port did not speak TLS
     * @param r     the answer that decided it, for its first bytes
     * @param bytes how many bytes that exchange received
     */
    synchronized Wire result(Identification id, @Nullable TlsInfo tls, Response r, int bytes) {
        if ((id.protocol().equals("http") || id.protocol().equals("https"))
                && id.product().isEmpty()) {
            Optional<String> guess = HttpFingerprint.guess(r.data(), r.length());
            if (guess.isPresent()) {
                Map<String, String> d = new LinkedHashMap<>(id.details());
                d.put("fingerprint", guess.get());
                id = new Identification(id.protocol(), "", id.version(), d, id.soft(), id.origin());
            }
        }
        return new Wire(
                Wire.Outcome.IDENTIFIED,
                id.protocol(),
                id.product(),
                id.version(),
                id.details(),
                tls,
                !id.soft(),
                bytes,
                Matching.firstBytes(r.data(), r.length()),
                tried,
                elapsedMillis(),
                "");
    }

    /** Nothing could be exchanged, for {@code error}. */
    synchronized Wire none(String error) {
        return new Wire(Wire.Outcome.NONE, "", "", "", Map.of(), null, false, 0, "", tried, elapsedMillis(), error);
    }

    /** No connection could be made at all: {@code why}, in words {@code error}. */
    synchronized Wire noConnection(Wire.ConnectFailure why, String error) {
        return new Wire(
                Wire.Outcome.NONE,
                "",
                "",
                "",
                Map.of(),
                null,
                false,
                0,
                "",
                tried,
                elapsedMillis(),
                error,
                Optional.of(why));
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}

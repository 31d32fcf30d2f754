package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portlens.discovery.ListenerFilter;
import org.portlens.model.BindScope;
import org.portlens.model.Transport;
import org.portlens.registry.Registry;
import picocli.CommandLine;

/** The command line as a user types it: output, errors and exit codes. Registry-only commands here; listeners in LiveIT. */
class CliTest {

    @TempDir
    Path data;

    record Run(int code, String out, String err) {}

    /** The same command line through picocli alone, as with PORTLENS_NO_QUICKSTART set. */
    Run runPicocli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] withData = new String[args.length];
        System.arraycopy(args, 0, withData, 0, args.length);
        int code = Main.run(withData, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "[{0}] is rejected: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "70000|port must be 0-65535, got 70000",
                "-1|port must be 0-65535, got -1",
                "abc|not a port or service name: 'abc'",
                "''|empty port",
                "3640/xyz|unknown transport 'xyz': expected tcp, udp, sctp or dccp",
                "3640/|missing transport after '/'",
                "5-3|port range must run low to high, got 5-3",
                "--frobnicate|unknown option '--frobnicate' (see 'portlens --help')",
            })
    void badPortInputGivesOneLineErrorAndExitTwo(String arg, String message) {
        Run r = run(arg, "--no-listeners");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownFlagOnSubcommandIsUsageError() {
        Run r = run("ls", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("portlens: unknown option '--bogus' for ls (see 'portlens ls --help')\n");
    }

    @Test
    void explainsThe3640CaseFromTheRegistry() {
        Run r = run("3640", "--no-listeners", "--no-color");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("3640/tcp", "3640/udp", "netplay-port1", "Netplay Port 1")
                .contains("registered, no reference and no known software")
                .contains("User Ports")
                .contains("Check by hand")
                .contains("sudo ss -ltunp 'sport = :3640'")
                .contains("netstat -ano | findstr :3640");
        // the seed page's order: registry, range, known uses, listeners, verdict, checks
        int iana = r.out().indexOf("What IANA says");
        int range = r.out().indexOf("Range");
        int uses = r.out().indexOf("Known uses");
        int listening = r.out().indexOf("Listening here");
        int verdict = r.out().indexOf("Verdict");
        int checks = r.out().indexOf("Check by hand");
        assertThat(iana).isLessThan(range);
        assertThat(range).isLessThan(uses);
        assertThat(uses).isLessThan(listening);
        assertThat(listening).isLessThan(verdict);
        assertThat(verdict).isLessThan(checks);
    }

    @Test
    void sctpIsFineForTheRegistryAndSaysDiscoveryCoversTcpAndUdp() {
        Run r = run("3868/sctp", "--no-color");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("3868/sctp").contains("discovery covers tcp and udp");
    }

    @ParameterizedTest(name = "3640/{0} says IANA assigns 3640 for tcp and udp")
    @CsvSource({"sctp, SCTP", "dccp, DCCP"})
    void aTransportWithoutARecordSaysWhichTransportsHaveOne(String transport, String upper) throws Exception {
        Run text = run("3640/" + transport, "--no-color");
        assertThat(text.code()).isZero();
        String sentence = "No " + upper + " record for 3640 (IANA assigns it for tcp, udp).";
        assertThat(text.out()).contains("What IANA says\n  " + sentence).doesNotContain("has not assigned");
        assertThat(text.out()).contains("Status: unassigned for " + transport);

        JsonNode j =
                new ObjectMapper().readTree(run("3640/" + transport, "--json").out());
        assertThat(j.get("registry").get("status").asText()).isEqualTo("unassigned");
        JsonNode f = j.get("findings").get(0);
        assertThat(f.get("kind").asText()).isEqualTo("no-record-for-transport");
        assertThat(f.get("text").asText()).isEqualTo(sentence);
        assertThat(f.get("transport").asText()).isEqualTo(transport);
        assertThat(f.get("ports").asText()).isEqualTo("3640");
        assertThat(f.get("assignedFor").toString()).isEqualTo("[\"tcp\",\"udp\"]");
    }

    @Test
    void udpOnATcpOnlyPortSaysIanaAssignsItForTcp() throws Exception {
        Registry registry = Registry.bundled();
        int port = -1;
        for (int p = 1024; p < 49152 && port < 0; p++) {
            boolean tcp = registry.byPort(p, Transport.TCP).stream()
                    .anyMatch(r -> !r.serviceName().isEmpty());
            boolean other = registry.byPort(p).stream()
                    .anyMatch(r -> !r.serviceName().isEmpty() && r.transport() != Transport.TCP);
            if (tcp && !other) {
                port = p;
            }
        }
        assertThat(port).as("a registered port with only a tcp record").isPositive();
        Run r = run(port + "/udp", "--no-listeners", "--no-color");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("No UDP record for " + port + " (IANA assigns it for tcp).");
        // and a transport that has the record says nothing of the kind
        assertThat(run(port + "/tcp", "--no-listeners", "--no-color").out()).doesNotContain("record for");
        assertThat(run("3640/tcp", "--no-listeners", "--json").out()).doesNotContain("no-record-for-transport");
    }

    @Test
    void aPortNoTransportHasIsStillUnassigned() {
        Registry registry = Registry.bundled();
        int port = 1024;
        while (registry.byPort(port).stream().anyMatch(r -> !r.serviceName().isEmpty())) {
            port++;
        }
        Run r = run(port + "/sctp", "--no-color");
        assertThat(r.out()).contains("IANA has not assigned " + port).doesNotContain("record for");
    }

    @Test
    void rangesAreSupported() throws Exception {
        Run r = run("3000-3005", "--no-listeners", "--json");
        assertThat(r.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("ports").asText()).isEqualTo("3000-3005");
        assertThat(j.get("registry").get("records")).hasSizeGreaterThan(6);
        for (JsonNode rec : j.get("registry").get("records")) {
            assertThat(rec.get("port").asInt()).isBetween(3000, 3005);
        }
    }

    @Test
    void serviceNameResolvesToItsPort() {
        Run r = run("netplay-port1", "--no-listeners", "--no-color");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Port 3640");
    }

    @Test
    void nameOnlyServiceIsFoundByLookupAndExplainedAsHavingNoPort() {
        Run lookup = run("lookup", "argus", "--no-color");
        assertThat(lookup.code()).isZero();
        assertThat(lookup.out()).contains("argus", "ARGUS Protocol");
        Run explain = run("argus", "--no-listeners");
        assertThat(explain.code()).isEqualTo(2);
        assertThat(explain.err()).contains("service 'argus' is registered without a port number");
    }

    @Test
    void lookupByNameIsCaseInsensitiveAndGivesBothTransports() throws Exception {
        Run r = run("lookup", "NetPlay-Port1", "--json");
        assertThat(r.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("schema").asText()).isEqualTo("portlens/2");
        assertThat(j.get("records")).hasSize(2);
        assertThat(j.get("records").findValuesAsText("transport")).containsExactlyInAnyOrder("tcp", "udp");
        assertThat(j.get("records").findValuesAsText("port")).containsOnly("3640");
    }

    @Test
    void lookupShowsEveryFieldIncludingPeople() {
        Run r = run("lookup", "80/tcp", "--no-color");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("http", "World Wide Web HTTP", "assignee", "contact", "reference");
    }

    @Test
    void lookupOfUnknownNameIsInputError() {
        Run r = run("lookup", "no-such-service-xyz");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no service named 'no-such-service-xyz'");
    }

    @Test
    void searchRanksNameMatchesFirst() {
        Run r = run("search", "netplay", "--no-color");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().findFirst().orElse("")).contains("netplay-port");
    }

    @Test
    void searchRejectsZeroLimit() {
        Run r = run("search", "http", "--limit", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--limit must be at least 1, got 0");
    }

    @Test
    void knownUsesAreShownApartAndLabelled() throws Exception {
        Run r = run("6443", "--no-listeners", "--json");
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("knownUses").findValuesAsText("software")).anyMatch(s -> s.contains("kube"));
        Run text = run("6443", "--no-listeners", "--no-color");
        assertThat(text.out()).contains("not IANA's word");
    }

    @Test
    void registryInfoSaysDateSourceAndCounts() throws Exception {
        Run r = run("registry", "info", "--json", "--data-dir", data.toString());
        assertThat(r.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("updated").asText()).isEqualTo("2026-08-17");
        assertThat(j.get("records").asInt()).isEqualTo(14533);
        assertThat(j.get("inUse").asText()).isEqualTo("bundled");
        assertThat(j.get("sha256").asText()).hasSize(64);
    }

    @Test
    void registryUpdateFromMissingFileFailsAndChangesNothing() {
        Run r = run("registry", "update", "--from", data.resolve("nope.xml").toString(), "--data-dir", data.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no such file").contains("unchanged");
        assertThat(data.resolve("registry")).doesNotExist();
    }

    @Test
    void registryUpdateFromTheBundledXmlInstallsIt() {
        Path xml = Path.of("../portlens-core/src/main/iana/service-names-port-numbers.xml");
        Run r = run("registry", "update", "--from", xml.toString(), "--data-dir", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(data.resolve("registry/iana.bin")).exists();
        Run info = run("registry", "info", "--data-dir", data.toString(), "--no-color");
        assertThat(info.out()).contains(data.resolve("registry/iana.bin").toString());
    }

    @Test
    void versionAndHelpWork() {
        assertThat(run("--version").out()).startsWith("portlens ");
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Exit codes", "ls", "lookup", "search", "registry");
    }

    @Test
    void noArgumentsPrintsAShortUsageOnStderrAndExitsTwo() {
        Run r = run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .contains("Usage: portlens PORT | COMMAND")
                .contains("portlens 3640", "portlens ls", "portlens probe 127.0.0.1:8080")
                .contains("portlens help for all commands");
        assertThat(r.err().lines().count()).isBetween(3L, 8L);
    }

    @Test
    void helpPrintsTheTopUsageOnStdout() {
        Run help = run("help");
        assertThat(help.code()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out())
                .contains("Usage: portlens", "Commands:", "Exit codes")
                .isEqualTo(run("--help").out());
    }

    @ParameterizedTest(name = "portlens help {0}")
    @CsvSource({"scan", "ls", "lookup", "registry", "registry update", "generate-completion", "help"})
    void helpOfACommandIsThatCommandsHelp(String command) {
        Run help = run(("help " + command).split(" "));
        assertThat(help.code()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out())
                .startsWith("Usage: portlens " + command)
                .isEqualTo(run((command + " --help").split(" ")).out());
    }

    @Test
    void helpOfAnUnknownCommandNamesItAndTheCommands() {
        Run r = run("help", "nosuch");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err())
                .startsWith("portlens: unknown command 'nosuch': the commands are ")
                .contains(
                        "ls, lookup, search, registry, probe, scan, baseline, audit, free, watch, history, serve, site, install,"
                                + " uninstall,"
                                + " generate-completion, help");
        assertThat(run("help", "scna").err()).contains("did you mean scan?").contains("commands are ls,");
    }

    @Test
    void registryAlonePrintsItsUsageOnStderrAndExitsTwo() {
        Run r = run("registry");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Usage: portlens registry", "info", "update");
    }

    @ParameterizedTest(name = "portlens {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "ls foo|unexpected argument 'foo' for ls: to list one port use 'portlens ls --port PORT'",
                "foo ls|unexpected argument 'foo' for ls: to list one port use 'portlens ls --port PORT'",
                "ls 3640 3641|unexpected argument '3641' for ls: to list one port use 'portlens ls --port PORT'",
                "ls 3640 --port 80|two ports given, '3640' and --port 80: give one",
                "ls 70000|port must be 0-65535, got 70000",
                "3640 scan 127.0.0.1|unexpected argument '3640' before scan (see 'portlens scan --help')",
                "--no-probe ls|--no-probe, given before ls, is not an option of it (see 'portlens ls --help')",
                "ls --scope moon|Invalid value for option '--scope': expected one of loopback, all, address, got 'moon'",
            })
    void whatLsCannotMeanIsOneLineSayingHow(String line, String message) {
        for (Run r : List.of(run(line.split(" ")), runPicocli(line.split(" ")))) {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("portlens: " + message);
            assertThat(r.err().strip().lines()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "portlens {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "ls --sopre loopback|unknown option '--sopre' for ls; did you mean --scope?",
                "ls --sopre=loopback|unknown option '--sopre' for ls; did you mean --scope?",
                "3640 --no-porbe|unknown option '--no-porbe'; did you mean --no-probe?",
                "scan 127.0.0.1 --identfy|unknown option '--identfy' for scan; did you mean --identify?",
                "registry update --form x.xml|unknown option '--form' for registry update; did you mean --from?",
                "lookup 80 --jsno|unknown option '--jsno' for lookup; did you mean --json?",
                "scna 127.0.0.1|unknown command 'scna'; did you mean scan?",
                "scna|unknown command 'scna'; did you mean scan?",
                "lokup 80|unknown command 'lokup'; did you mean lookup?",
                "registry updte|unknown command 'updte' for registry; did you mean update?",
                "ls --frobnicate|unknown option '--frobnicate' for ls (see 'portlens ls --help')",
            })
    void aTypoGetsTheNearestNameInOneLine(String line, String message) {
        // the quick path hands every error to picocli; both say the same
        for (Run r : List.of(run(line.split(" ")), runPicocli(line.split(" ")))) {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("portlens: " + message + "\n");
        }
    }

    @Test
    void aServiceNameIsNeverTakenForATypo() {
        // "http" is one letter off "help", "netplay-port1" is no command: both are lookups
        assertThat(run("http", "--no-listeners", "--no-color").out()).startsWith("Port 80");
        assertThat(run("netplay-port1", "--no-listeners", "--no-color").out()).startsWith("Port 3640");
        assertThat(run("abc", "--no-listeners").err()).contains("not a port or service name: 'abc'");
    }

    @Test
    void optionsBeforeACommandArePassedOnToIt() throws Exception {
        Run r = run("--json", "--data-dir", data.toString(), "lookup", "3640");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).get("query").asText()).isEqualTo("3640");
    }

    @Test
    void enumValuesAreShownAsTypedAndParsedInAnyCase() {
        CommandLine cl = Main.commandLine();
        List<String> enumOptions = new ArrayList<>();
        enumOptions(cl, enumOptions);
        assertThat(enumOptions).contains("ls --scope", "ls --sort");
        String help = run("ls", "--help").out();
        assertThat(help)
                .contains("loopback, all, address")
                .contains("port, pid, user, process, scope")
                .doesNotContain("LOOPBACK")
                .doesNotContain("PROCESS");
        LsCommand parsed = (LsCommand) Main.commandLine()
                .parseArgs("ls", "--scope", "LOOPBACK", "--sort", "Pid")
                .subcommand()
                .commandSpec()
                .userObject();
        assertThat(parsed.scope).isEqualTo(BindScope.LOOPBACK);
        assertThat(parsed.sort).isEqualTo(ListenerFilter.Order.PID);
    }

    /** Every option of an enum type, at any depth: its help and completion show the values in lower case. */
    private static void enumOptions(CommandLine cl, List<String> found) {
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            if (o.type().isEnum()) {
                String name =
                        cl.getCommandSpec().qualifiedName().replaceFirst("^portlens ?", "") + " " + o.longestName();
                found.add(name);
                assertThat(o.completionCandidates()).as(name).isNotNull();
                for (String value : o.completionCandidates()) {
                    assertThat(value).as(name).isEqualTo(value.toLowerCase(Locale.ROOT));
                }
                for (Object constant : o.type().getEnumConstants()) {
                    assertThat(String.join(" ", o.description()) + " "
                                    + String.join(" ", cl.getHelp().optionList()))
                            .as(name)
                            .doesNotContain(" " + ((Enum<?>) constant).name() + ",");
                }
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            enumOptions(sub, found);
        }
    }

    @Test
    void completionScriptIsGenerated() {
        Run r = run("generate-completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete").contains("portlens");
    }

    @ParameterizedTest(name = "probe {0} is rejected: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "127.0.0.1|'127.0.0.1' has no port",
                "127.0.0.1:70000|port must be 1-65535, got 70000",
                "127.0.0.1:http|not a port: 'http'",
                "no-such-host.invalid:80|host 'no-such-host.invalid' does not resolve",
                ":80|empty host",
            })
    void badProbeTargetsAreInputErrors(String target, String message) {
        Run r = run("probe", target);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @ParameterizedTest(name = "scan {0} is rejected: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "127.0.0.1 --rate 0|--rate must be at least 1",
                "127.0.0.1 -p 70000|-p 70000:",
                "127.0.0.1 -p abc|-p abc:",
                "127.0.0.1 --timeout 0|--timeout must be 1-600000 milliseconds, got 0",
                "127.0.0.1 -p 80 --identify --probe-connections 0|--probe-connections must be 1-128, got 0",
                "127.0.0.1 -p 80 --identify --probe-connections 129|--probe-connections must be 1-128, got 129",
                "no-such-host.invalid -p 80|does not resolve",
            })
    void badScanInputIsAnInputError(String args, String message) {
        Run r = run(("scan " + args).split(" "));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void hugePortSpecIsRejectedWithoutWork() {
        Run r = run("scan", "127.0.0.1", "-p", "1,".repeat(60_000) + "2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void brokenProbesFileNamesFileAndLine() throws Exception {
        Path file = data.resolve("mine.probes");
        Files.writeString(file, "probe mine tcp\n  send \"hi\\r\\n\"\n  bogus here\n");
        Run r = run("probe", "127.0.0.1:9", "--probes", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(file + ":3:");
    }

    @Test
    void conflictingTransportsAreRejected() {
        Run r = run("3640/tcp", "--udp", "--no-listeners");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("the port says /tcp but --udp was given");
    }

    @Test
    void aBugInCoreIsAnInternalErrorNotBadInput() {
        StringWriter err = new StringWriter();
        int code = Main.report(new IllegalArgumentException("index out of whack"), new PrintWriter(err), false);
        assertThat(code).isEqualTo(4);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString())
                .contains("internal error")
                .contains("index out of whack")
                .contains("--debug");
    }

    @Test
    void debugAddsTheStackTraceToAnInternalError() {
        StringWriter err = new StringWriter();
        int code = Main.report(new IllegalStateException("broken"), new PrintWriter(err), true);
        assertThat(code).isEqualTo(4);
        assertThat(err.toString().lines().count()).isGreaterThan(2);
        assertThat(err.toString()).contains("at org.portlens.cli.CliTest");
    }

    @Test
    void debugIsAcceptedEverywhereAndChangesNothingElse() {
        Run plain = run("lookup", "3640", "--no-color");
        Run debug = run("lookup", "3640", "--no-color", "--debug");
        assertThat(debug.code()).isZero();
        assertThat(debug.out()).isEqualTo(plain.out());
    }

    @Test
    void aProbesFileWhoseTlsProbeRunsAnUnknownProbeIsBadInput() throws Exception {
        Path file = data.resolve("bad.probes");
        Files.writeString(file, "probe bad tcp\n  handler tls\n  inside nosuch\n");
        Run r = run("probe", "127.0.0.1:1", "--probes", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("runs 'nosuch' inside TLS");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void aFileUrlThatIsNoPathIsBadInputForRegistryUpdate() {
        Run r = run("registry", "update", "--from", "file:relative.xml", "--data-dir", data.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not a usable file name or file: URL").contains("unchanged");
    }
}

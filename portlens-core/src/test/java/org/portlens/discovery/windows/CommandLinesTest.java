package org.portlens.discovery.windows;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Microsoft C runtime's rules, from its documentation ("Parsing C command-line arguments"). */
class CommandLinesTest {

    @Test
    void aQuotedProgramPathWithSpacesIsOneWord() {
        assertThat(CommandLines.split("\"C:\\Program Files\\nodejs\\node.exe\" server.js --port 3640"))
                .containsExactly("C:\\Program Files\\nodejs\\node.exe", "server.js", "--port", "3640");
    }

    @Test
    void theProgramKeepsItsBackslashesAndEndsAtItsFirstSpace() {
        assertThat(CommandLines.split("C:\\WINDOWS\\system32\\svchost.exe -k RPCSS -p"))
                .containsExactly("C:\\WINDOWS\\system32\\svchost.exe", "-k", "RPCSS", "-p");
    }

    @Test
    void backslashesBeforeAQuoteFollowTheRuntimesRules() {
        // a\\\"b -> a\"b ; "a b\\" -> a b\ ; a\\b -> a\\b (no quote after: kept)
        assertThat(CommandLines.split("p.exe a\\\\\\\"b \"a b\\\\\" a\\\\b"))
                .containsExactly("p.exe", "a\\\"b", "a b\\", "a\\\\b");
    }

    @Test
    void quotesInsideAWordJoinIt() {
        assertThat(CommandLines.split("p.exe --name=\"two words\" \"\""))
                .containsExactly("p.exe", "--name=two words", "");
    }

    @Test
    void aDoubledQuoteInsideQuotesIsAQuote() {
        assertThat(CommandLines.split("p.exe \"say \"\"hi\"\"\"")).containsExactly("p.exe", "say \"hi\"");
    }

    @Test
    void emptyAndBlankLinesHaveNoWords() {
        assertThat(CommandLines.split("")).isEmpty();
        assertThat(CommandLines.split("   \t")).isEmpty();
    }

    @Test
    void anUnclosedQuoteRunsToTheEnd() {
        assertThat(CommandLines.split("p.exe \"half open")).containsExactly("p.exe", "half open");
    }
}

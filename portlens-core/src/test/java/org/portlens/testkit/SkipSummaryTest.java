package org.portlens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.portlens.internal.OperatingSystem;

class SkipSummaryTest {

    /** Run by the test below only (the launcher is told to run it; its name keeps surefire away). */
    static class Sample {
        @Test
        void runs() {}

        @Test
        void skipsForLackOfSomething() {
            Assumptions.abort("nginx is missing: apt-get install nginx\nsecond line");
        }

        @Test
        @Disabled("not on this machine")
        void isDisabled() {}

        @Test
        void runsOnAnotherSystem() {
            Needs.system(OperatingSystem.WINDOWS, "a live read");
        }
    }

    @Test
    void listsEverySkippedTestWithItsReasonOneLineEach(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("skips/unit.txt");
        // no auto-registered listeners: the build's own SkipSummary must not see this nested run
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .addTestExecutionListeners(new SkipSummary(Optional.of(file)))
                .build());

        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Sample.class))
                .build());

        assertThat(Files.readAllLines(file))
                .containsExactlyInAnyOrder(
                        "SkipSummaryTest$Sample.skipsForLackOfSomething(): nginx is missing: apt-get install nginx",
                        "SkipSummaryTest$Sample.isDisabled(): not on this machine");
        // a test of another system is listed apart, in a file CI's check of skips (*.txt) does not read
        assertThat(Files.readAllLines(dir.resolve("skips/unit.other-system")))
                .containsExactly("SkipSummaryTest$Sample.runsOnAnotherSystem(): runs only on Windows (this is "
                        + System.getProperty("os.name") + "): a live read; here its parsers run on recorded output");
    }

    @Test
    void theReasonForAMissingPackageSaysHowToGetIt() {
        assertThat(Needs.missing("sshd", "openssh-server"))
                .startsWith("sshd is missing")
                .contains("apt-get install openssh-server");
        assertThat(Needs.testPackages())
                .contains("nginx", "postgresql", "iproute2")
                .doesNotHaveDuplicates();
    }
}

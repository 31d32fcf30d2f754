package org.portlens.scan;

import java.io.PrintWriter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one test class in this JVM and prints a summary line,
 * {@code tests N succeeded F failed S skipped A aborted}, after any failures; exits 0 only if none
 * failed. {@link NativeEngineIT} starts it on a JDK 22+ to run a whole IT class on the native engine.
 *
 * <pre>JUnitChild CLASS</pre>
 */
public final class JUnitChild {

    private JUnitChild() {}

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(args[0]))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary s = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printFailuresTo(out, 30);
        out.println("tests " + s.getTestsSucceededCount() + " succeeded " + s.getTestsFailedCount() + " failed "
                + s.getTestsSkippedCount() + " skipped " + s.getTestsAbortedCount() + " aborted");
        out.flush();
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsFailedCount() == 0 ? 0 : 1);
    }
}

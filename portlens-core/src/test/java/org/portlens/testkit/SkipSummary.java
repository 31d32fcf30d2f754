package org.portlens.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends a test run with the list of what was skipped and why, one line each, so that a run on a machine
 * without root or without a server's package says what it did not test and how to get it. Registered
 * through {@code META-INF/services}; active only in runs that name a file in the system property
 * {@code portlens.test.skips} (the build's surefire and failsafe runs, not the child JVMs some tests
 * start), where it also writes the lines for the summary that ends {@code mvn verify}.
 */
public final class SkipSummary implements TestExecutionListener {

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Optional<Path> file;
    private volatile TestPlan plan;

    /** The listener of the build's test runs: the file named by {@code portlens.test.skips}, if any. */
    public SkipSummary() {
        this(fromProperty());
    }

    SkipSummary(Optional<Path> file) {
        this.file = file;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        lines.clear();
        file.ifPresent(f -> write(f, List.of()));
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        lines.add(name(id) + ": " + firstLine(reason));
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable()
                    .map(t -> t.getMessage() == null ? t.toString() : t.getMessage())
                    .orElse("aborted");
            lines.add(name(id) + ": " + firstLine(reason.replaceFirst("^Assumption failed: ", "")));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (file.isEmpty()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        synchronized (lines) {
            for (String l : lines) {
                (otherSystem(l) ? elsewhere : missing).add(l);
            }
        }
        write(file.get(), missing);
        Path other = otherSystemFile(file.get());
        write(other, elsewhere);
        if (!missing.isEmpty()) {
            System.out.println("[portlens tests] " + missing.size() + " skipped, each with what is missing:");
            missing.forEach(l -> System.out.println("  " + l));
        }
        if (!elsewhere.isEmpty()) {
            System.out.println("[portlens tests] " + elsewhere.size() + " run only on another system:");
            elsewhere.forEach(l -> System.out.println("  " + l));
        }
    }

    /**
     * The reason {@link Needs#system} gives a test that runs on another operating system only: no package
     * or privilege can make it run here, so CI lists it apart and does not count it as skipped.
     */
    static final String OTHER_SYSTEM = "runs only on ";

    /** Whether a skip line ("Class.test: reason") is a test of another operating system. */
    static boolean otherSystem(String line) {
        int colon = line.indexOf(": ");
        return colon >= 0 && line.startsWith(OTHER_SYSTEM, colon + 2);
    }

    /** Beside {@code it.txt}, {@code it.other-system}: not a {@code .txt}, so not in CI's list of skips. */
    static Path otherSystemFile(Path file) {
        String name = file.getFileName().toString();
        String base = name.endsWith(".txt") ? name.substring(0, name.length() - 4) : name;
        return file.resolveSibling(base + ".other-system");
    }

    private static Optional<Path> fromProperty() {
        String f = System.getProperty("portlens.test.skips");
        return f == null || f.isEmpty() ? Optional.empty() : Optional.of(Path.of(f));
    }

    /** {@code Class.method}, or the class alone for a skipped class. */
    private String name(TestIdentifier id) {
        TestPlan p = plan;
        String name = id.getDisplayName();
        if (p != null && id.isTest()) {
            Optional<TestIdentifier> parent = p.getParent(id);
            if (parent.isPresent() && parent.get().getSource().isPresent()) {
                name = parent.get().getDisplayName() + "." + name;
            }
        }
        return name;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void write(Path file, List<String> content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("[portlens tests] cannot write the skip list " + file + ": " + e);
        }
    }
}

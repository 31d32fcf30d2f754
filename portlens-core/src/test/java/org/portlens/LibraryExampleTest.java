package org.portlens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using portlens as a library" example, compiled as a module of its own against the
 * portlens module and run, and the module's exports: the API, nothing else.
 */
class LibraryExampleTest {

    static final Path CLASSES = Path.of("target", "classes");

    /** The first java block after the README's library heading. */
    static String example() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Using portlens as a library");
        assertThat(section).as("README has the library section").isPositive();
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        int end = readme.indexOf("```", start);
        return readme.substring(start, end);
    }

    @Test
    void theReadmeExampleCompilesAgainstTheModuleAndRuns(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Path out = dir.resolve("out");
        Files.createDirectories(src.resolve("example"));
        Files.writeString(src.resolve("module-info.java"), "module example { requires org.portlens; }\n");
        Files.writeString(src.resolve("example/WhatIsOn3640.java"), "package example;\n" + example());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(
                        diagnostics,
                        null,
                        null,
                        List.of("--module-path", CLASSES.toString(), "-d", out.toString(), "-Xlint:-options"),
                        null,
                        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                                .getJavaFileObjects(
                                        src.resolve("module-info.java"), src.resolve("example/WhatIsOn3640.java")))
                .call();
        assertThat(ok).as(diagnostics.toString()).isTrue();

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "--module-path",
                        CLASSES + File.pathSeparator + out,
                        "-m",
                        "example/example.WhatIsOn3640")
                .redirectErrorStream(true)
                .start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed).contains("IANA: netplay-port1 3640/tcp");
        assertThat(printed).containsAnyOf("nothing-listening: ", "label-mismatch: ", "hidden-owner: ");
    }

    @Test
    void theModuleExportsTheApiAndNothingElse() {
        ModuleDescriptor module =
                ModuleFinder.of(CLASSES).find("org.portlens").orElseThrow().descriptor();
        Set<String> exported = module.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertThat(exported)
                .containsExactlyInAnyOrder(
                        "org.portlens",
                        "org.portlens.discovery",
                        "org.portlens.findings",
                        "org.portlens.free",
                        "org.portlens.model",
                        "org.portlens.packages",
                        "org.portlens.policy",
                        "org.portlens.probe",
                        "org.portlens.registry",
                        "org.portlens.scan",
                        "org.portlens.scan.spi",
                        "org.portlens.watch");
        assertThat(module.packages())
                .contains(
                        "org.portlens.internal",
                        "org.portlens.discovery.linux",
                        "org.portlens.discovery.linux.proc",
                        "org.portlens.scan.nativeio");
        assertThat(module.provides())
                .extracting(ModuleDescriptor.Provides::service)
                .containsExactly("org.portlens.scan.spi.ScanEngine");
        assertThat(module.requires().stream().map(ModuleDescriptor.Requires::name))
                .as("no runtime dependencies beyond the JDK")
                .allMatch(n -> n.startsWith("java.") || n.equals("org.jspecify"));
    }
}

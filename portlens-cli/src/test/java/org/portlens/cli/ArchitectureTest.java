package org.portlens.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrows of the architecture (README, Architecture), checked on the compiled classes: every
 * package is in a layer, and each layer is used only by the ones above it. The CLI renders; it
 * never reads the system or the registry's files itself, nor reaches into what core does not
 * export.
 */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // in `mvn verify` the core's test helpers come as a jar (portlens-core-*-tests.jar), not a folder
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.portlens");
    }

    @Test
    void everyPackageIsInALayerAndEachLayerIsUsedOnlyFromAbove() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture()
                .layer("cli")
                .definedBy("org.portlens.cli..")
                .layer("web")
                .definedBy("org.portlens.web..")
                .layer("store")
                .definedBy("org.portlens.store..")
                .layer("facade")
                .definedBy("org.portlens")
                .layer("watch")
                .definedBy("org.portlens.watch..")
                .layer("policy")
                .definedBy("org.portlens.policy..")
                .layer("findings")
                .definedBy("org.portlens.findings..")
                .layer("free")
                .definedBy("org.portlens.free..")
                .layer("scan")
                .definedBy("org.portlens.scan", "org.portlens.scan.spi..")
                .layer("scan engines")
                .definedBy("org.portlens.scan.nativeio..")
                .layer("probe")
                .definedBy("org.portlens.probe..")
                .layer("packages")
                .definedBy("org.portlens.packages..")
                .layer("discovery")
                .definedBy("org.portlens.discovery")
                .layer("linux")
                .definedBy("org.portlens.discovery.linux..")
                .layer("macos")
                .definedBy("org.portlens.discovery.macos..")
                .layer("windows")
                .definedBy("org.portlens.discovery.windows..")
                .layer("tool outputs")
                .definedBy("org.portlens.discovery.command..")
                .layer("registry")
                .definedBy("org.portlens.registry..")
                .layer("model")
                .definedBy("org.portlens.model..")
                .layer("internal")
                .definedBy("org.portlens.internal..")
                .whereLayer("cli")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("web")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("store")
                .mayOnlyBeAccessedByLayers("cli", "web")
                .whereLayer("watch")
                .mayOnlyBeAccessedByLayers("cli", "web", "facade", "store")
                .whereLayer("facade")
                .mayOnlyBeAccessedByLayers("cli", "web")
                .whereLayer("policy")
                .mayOnlyBeAccessedByLayers("cli", "web", "facade", "watch")
                .whereLayer("findings")
                .mayOnlyBeAccessedByLayers("cli", "web", "facade", "policy")
                .whereLayer("free")
                .mayOnlyBeAccessedByLayers("cli", "facade")
                .whereLayer("scan")
                .mayOnlyBeAccessedByLayers("cli", "web", "facade", "scan engines")
                .whereLayer("scan engines")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("probe")
                .mayOnlyBeAccessedByLayers("cli", "web", "facade", "findings")
                .whereLayer("packages")
                .mayOnlyBeAccessedByLayers("cli", "web", "facade")
                .whereLayer("discovery")
                .mayOnlyBeAccessedByLayers(
                        "cli",
                        "web",
                        "facade",
                        "findings",
                        "policy",
                        "free",
                        "watch",
                        "linux",
                        "macos",
                        "windows",
                        "tool outputs")
                .whereLayer("linux")
                .mayOnlyBeAccessedByLayers("discovery")
                .whereLayer("macos")
                .mayOnlyBeAccessedByLayers("discovery")
                .whereLayer("windows")
                .mayOnlyBeAccessedByLayers("discovery")
                .whereLayer("tool outputs")
                .mayOnlyBeAccessedByLayers("linux", "macos", "windows")
                .whereLayer("registry")
                .mayOnlyBeAccessedByLayers("cli", "web", "facade", "findings")
                .whereLayer("internal")
                .mayOnlyBeAccessedByLayers(
                        "facade",
                        "findings",
                        "policy",
                        "watch",
                        "scan",
                        "scan engines",
                        "probe",
                        "discovery",
                        "linux",
                        "macos",
                        "windows",
                        "tool outputs",
                        "packages",
                        "registry")
                .check(classes);
    }

    @Test
    void modelDependsOnNothingElseInPortlens() {
        noClasses()
                .that()
                .resideInAPackage("org.portlens.model..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("org.portlens.model..", "java..", "org.jspecify..")
                .check(classes);
    }

    @Test
    void coreHasNoRuntimeDependenciesBeyondTheJdk() {
        noClasses()
                .that()
                .resideOutsideOfPackages("org.portlens.cli..", "org.portlens.web..", "org.portlens.store..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("org.portlens..", "java..", "javax..", "org.jspecify..")
                .check(classes);
    }

    @Test
    void theStoreNeedsOnlyTheCoreTheJdkAndTheTwoJdbcDrivers() {
        noClasses()
                .that()
                .resideInAPackage("org.portlens.store..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages(
                        "org.portlens..", "java..", "javax..", "org.jspecify..", "org.sqlite..", "org.postgresql..")
                .check(classes);
    }

    @Test
    void theWebNeedsOnlyTheCoreTheStoreItsServerTemplatesMetricsAndJson() {
        noClasses()
                .that()
                .resideInAPackage("org.portlens.web..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages(
                        "org.portlens..",
                        "java..",
                        "org.jspecify..",
                        "io.javalin..",
                        "jakarta.servlet..",
                        "org.eclipse.jetty..",
                        "gg.jte..",
                        "io.prometheus.metrics..",
                        "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void theCliNamesNoProcPath() throws IOException {
        // the parsers and codecs are out of its reach already: package-private, or not exported
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            List<Path> readingProc = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(ArchitectureTest::mentionsProc)
                    .toList();
            assertThat(readingProc).as("CLI sources that name /proc paths").isEmpty();
        }
    }

    private static boolean mentionsProc(Path f) {
        try {
            return Files.readString(f).contains("\"/proc");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void libraryClassesNeverSetSystemProperties() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.portlens.cli..")
                .should()
                .callMethod(System.class, "setProperty", String.class, String.class)
                .orShould()
                .callMethod(System.class, "setProperties", Properties.class)
                .orShould()
                .callMethod(System.class, "clearProperty", String.class)
                .orShould()
                .callMethod(System.class, "getProperties")
                .check(classes);
    }

    @Test
    void publicRecordsOfTheCoreHoldNoArrays() {
        List<String> withArrays = classes.stream()
                .filter(c -> !c.getPackageName().startsWith("org.portlens.cli"))
                .map(c -> c.reflect())
                .filter(c -> c.isRecord() && Modifier.isPublic(c.getModifiers()))
                .flatMap(c -> Stream.of(c.getRecordComponents()))
                .filter(rc -> rc.getType().isArray())
                .map(rc -> rc.getDeclaringRecord().getName() + "." + rc.getName())
                .toList();
        // Signature copies its payload in its constructor and in payload(); any other array would be shared
        assertThat(withArrays)
                .as("an array in a public record can be changed by whoever holds it")
                .containsExactly("org.portlens.probe.Signature.payload");
    }
}

package org.portlens.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The arrows of DESIGN.md: cli → core; inside core, nothing calls the front ends or the facade. */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.portlens");
    }

    @Test
    void coreNeverUsesTheCli() {
        noClasses().that().resideOutsideOfPackage("org.portlens.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.portlens.cli..")
                .check(classes);
    }

    @Test
    void coreHasNoRuntimeDependenciesBeyondTheJdk() {
        noClasses().that().resideOutsideOfPackage("org.portlens.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "com.fasterxml..")
                .check(classes);
    }

    @Test
    void innerPackagesDoNotCallTheFacade() {
        noClasses().that().resideInAnyPackage("org.portlens.registry..", "org.portlens.discovery..",
                        "org.portlens.discovery.linux.proc..", "org.portlens.model..", "org.portlens.internal..")
                .should().dependOnClassesThat().resideInAPackage("org.portlens")
                .check(classes);
    }

    @Test
    void modelDependsOnNothingElseInPortlens() {
        noClasses().that().resideInAPackage("org.portlens.model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.portlens.registry..", "org.portlens.discovery..",
                        "org.portlens.discovery.linux.proc..", "org.portlens.internal..")
                .check(classes);
    }

    @Test
    void registryDoesNotReadTheSystem() {
        noClasses().that().resideInAPackage("org.portlens.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("org.portlens.discovery..", "org.portlens.discovery.linux.proc..")
                .check(classes);
    }
}

package io.provisioninghub.routes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** One room per external system: connectors never depend on the routes or on each other (examples.md). */
class ArchitectureTest {

    private static final JavaClasses HUB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.provisioninghub");

    @Test
    void connectorsDoNotDependOnTheApplication() {
        noClasses().that().resideInAPackage("io.provisioninghub.connectors..")
                .should().dependOnClassesThat().resideInAPackage("io.provisioninghub.routes..")
                .check(HUB);
    }

    @Test
    void connectorsDoNotDependOnEachOther() {
        slices().matching("io.provisioninghub.connectors.(*)..").should().notDependOnEachOther().check(HUB);
    }
}

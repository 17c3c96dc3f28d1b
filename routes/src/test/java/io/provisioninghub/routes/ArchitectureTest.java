package io.provisioninghub.routes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * One room per external system: connectors never depend on the routes or on each other (examples.md). Inside routes, the
 * feature packages form no cycle, and common and tracing name no feature.
 */
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

    @Test // issue 14: every flow may trace and name its flow in the logs; tracing knows no flow
    void tracingDependsOnNoFlow() {
        noClasses().that().resideInAPackage("io.provisioninghub.routes.tracing..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.provisioninghub..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("io.provisioninghub.routes.tracing.."))))
                .check(HUB);
    }

    @Test // issue 15: no cycles between the feature packages of routes
    void featurePackagesAreFreeOfCycles() {
        slices().matching("io.provisioninghub.routes.(*)..").should().beFreeOfCycles().check(HUB);
    }

    @Test // issue 15: common is what every feature may use; it names none of them
    void commonDependsOnNoFeature() {
        noClasses().that().resideInAPackage("io.provisioninghub.routes.common..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.provisioninghub.routes..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("io.provisioninghub.routes.common.."))))
                .check(HUB);
    }

    @Test
    void connectorsDoNotDependOnEachOther() {
        slices().matching("io.provisioninghub.connectors.(*)..").should().notDependOnEachOther().check(HUB);
    }
}

package io.atrium.proto;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module dependency rule of ARCHITECTURE.md, as it applies to this module's production code. */
@AnalyzeClasses(packages = "io.atrium.proto", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule respectsModuleBoundaries = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.atrium.edge..", "io.atrium.router..", "io.atrium.bff..", "io.atrium.policy..", "io.atrium.examples..")
            .because("protos is a leaf library: generated contracts only");
}

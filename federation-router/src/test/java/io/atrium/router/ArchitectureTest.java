package io.atrium.router;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module dependency rule of ARCHITECTURE.md, as it applies to this module's production code: apps may depend on
 * the libraries (shared-policies, graphql-kit, protos), never on each other.
 */
@AnalyzeClasses(packages = "io.atrium.router", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule respectsModuleBoundaries = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.atrium.edge..", "io.atrium.bff..", "io.atrium.examples..")
            .because("apps never depend on each other");

    @ArchTest
    static final ArchRule graphqlOverHttpLivesInTheKit = noClasses()
            .that().resideInAPackage("io.atrium.router.http..")
            .should().dependOnClassesThat().haveFullyQualifiedName("graphql.validation.Validator")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("graphql.parser.Parser")
            .because("operations are parsed, measured and validated by graphql-kit's document cache (limits first)");

    @ArchTest
    static final ArchRule supergraphLifecycleKnowsNoHttp = noClasses()
            .that().resideInAnyPackage("io.atrium.router.lifecycle..", "io.atrium.router.registry..",
                    "io.atrium.router.compose..", "io.atrium.router.plan..", "io.atrium.router.execute..")
            .should().dependOnClassesThat().resideInAPackage("io.atrium.router.http..")
            .because("where a supergraph comes from and how it is planned and executed is independent of the HTTP layer");
}

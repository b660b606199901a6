package io.atrium.edge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module dependency rule of ARCHITECTURE.md, as it applies to this module's production code. */
@AnalyzeClasses(packages = "io.atrium.edge", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule respectsModuleBoundaries = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("graphql..", "io.grpc..", "com.google.protobuf..", "io.atrium.router..", "io.atrium.bff..", "io.atrium.examples..")
            .because("the edge knows nothing about GraphQL or gRPC (protocol translation lives in the router) and apps never depend on each other");
}

package io.atrium.policy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module dependency rule of ARCHITECTURE.md, as it applies to this module's production code. */
@AnalyzeClasses(packages = "io.atrium.policy", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule respectsModuleBoundaries = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "graphql..", "io.grpc..", "com.google.protobuf..", "io.atrium.proto..", "io.atrium.edge..", "io.atrium.router..", "io.atrium.bff..", "io.atrium.examples..")
            .because("shared-policies knows HTTP but not Netty internals, graphql-java or protos, and libraries never depend on apps");
}

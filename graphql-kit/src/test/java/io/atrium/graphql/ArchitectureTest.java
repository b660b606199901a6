package io.atrium.graphql;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module dependency rule of ARCHITECTURE.md, as it applies to this module's production code. */
@AnalyzeClasses(packages = "io.atrium.graphql", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule dependsOnNoApp = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.atrium.edge..", "io.atrium.router..",
                    "io.atrium.bff..", "io.atrium.examples..", "io.atrium.proto..", "io.grpc..")
            .because("graphql-kit is a library: it never depends on an app (nor on protos)");

    @ArchTest
    static final ArchRule knowsNoServer = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..")
            .because("each endpoint adapts its own framework to the kit (HeaderLookup, bytes in, JSON values out); the "
                    + "kit's own data paths (transport.LoopHttpClient, bff.DataPathHandler) are plain Netty, as the "
                    + "router's and the edge's are");
}

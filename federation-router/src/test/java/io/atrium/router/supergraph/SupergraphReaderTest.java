package io.atrium.router.supergraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SupergraphReaderTest {
    static final String SUPERGRAPH = """
            schema
              @link(url: "https://specs.apollo.dev/link/v1.0")
              @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)
              @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)
            { query: Query }
            directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean, overrideLabel: String) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
            directive @join__graph(name: String!, url: String!) on ENUM_VALUE
            directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
            directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
            directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
            scalar join__FieldSet
            scalar link__Import
            enum link__Purpose { SECURITY EXECUTION }
            enum join__Graph {
              A @join__graph(name: "a", url: "http://a/graphql")
              B @join__graph(name: "b", url: "http://b/graphql")
            }
            type Query @join__type(graph: A) @join__type(graph: B) {
              user: User @join__field(graph: A)
            }
            type User @join__type(graph: A, key: "id") @join__type(graph: B, key: "id", resolvable: false) {
              id: ID!
              secret: String @join__field(graph: A) @inaccessible
              name: String @join__field(graph: A, requires: "id") @join__field(graph: B, external: true)
            }
            """;

    @Test
    void readsSubgraphsKeysAndFieldsPerSubgraph() {
        Supergraph supergraph = SupergraphReader.read(SUPERGRAPH);
        assertThat(supergraph.subgraphs().keySet()).containsExactly("A", "B");
        assertThat(supergraph.subgraph("B").url()).isEqualTo("http://b/graphql");
        TypeMeta user = supergraph.type("User");
        assertThat(user.graphs().get("A").keys()).extracting(EntityKey::fields, EntityKey::resolvable)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("id", true));
        assertThat(user.graphs().get("B").hasResolvableKey()).isFalse();
        assertThat(user.field("id").definedIn("B")).isTrue();
        assertThat(user.field("name").resolvableIn("A", Set.of())).isTrue();
        assertThat(user.field("name").resolvableIn("B", Set.of())).isFalse();
        assertThat(user.field("name").graphs().get("A").requiresText()).isEqualTo("id");
    }

    @Test
    void apiSchemaHasNoJoinMachineryAndNoInaccessibleElements() {
        var api = SupergraphReader.read(SUPERGRAPH).apiSchema();
        assertThat(api.getObjectType("User").getFieldDefinition("secret")).isNull();
        assertThat(api.getObjectType("User").getFieldDefinition("name")).isNotNull();
        assertThat(api.getType("join__Graph")).isNull();
        assertThat(api.getType("link__Purpose")).isNull();
        assertThat(api.getDirective("join__field")).isNull();
        assertThat(api.getDirective("inaccessible")).isNull();
    }

    @Test
    void refusesSecurityFeaturesItDoesNotImplementNamingThem() {
        String withUnknown = SUPERGRAPH.replace("{ query: Query }",
                "@link(url: \"https://specs.example.com/tenancy/v0.1\", for: SECURITY) { query: Query }");
        assertThatThrownBy(() -> SupergraphReader.read(withUnknown))
                .isInstanceOf(SupergraphException.class)
                .hasMessageContaining("https://specs.example.com/tenancy/v0.1");
    }

    @Test
    void acceptsTheCostFeatureAndKeepsItsDirectivesOutOfTheApiSchema() {
        String withCost = SUPERGRAPH.replace("{ query: Query }",
                "@link(url: \"https://specs.apollo.dev/cost/v0.1\", import: [\"@cost\", \"@listSize\"]) { query: Query }\n"
                        + "directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM\n"
                        + "directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], "
                        + "requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION\n");
        var api = SupergraphReader.read(withCost).apiSchema();
        assertThat(api.getDirective("cost")).isNull();
        assertThat(api.getDirective("listSize")).isNull();
    }

    @Test
    void acceptsTheAuthorizationFeaturesWhichGraphqlKitEnforces() throws Exception {
        String sdl = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/test/resources/fixtures/authorization/supergraph.graphql"));
        var api = SupergraphReader.read(sdl).apiSchema();
        assertThat(api.getDirective("authenticated")).isNull();
        assertThat(api.getDirective("requiresScopes")).isNull();
        assertThat(api.getType("policy__Policy")).isNull();
        assertThat(api.getObjectType("User").getFieldDefinition("email")).isNotNull();
    }

    @Test
    void readsContextsAndContextArgumentsAndKeepsThemOutOfTheApiSchema() throws Exception {
        java.util.Map<String, Object> fixture = new org.yaml.snakeyaml.Yaml().load(java.nio.file.Files.readString(
                java.nio.file.Path.of("src/test/resources/fixtures/context/from-context-of-parent-entity.yaml")));
        Supergraph supergraph = SupergraphReader.read((String) fixture.get("supergraph"));
        assertThat(supergraph.type("User").contexts()).containsExactly("a__userCtx");
        var title = supergraph.type("Post").field("title").graphs().get("A");
        assertThat(title.contextArguments()).singleElement().satisfies(argument -> {
            assertThat(argument.name()).isEqualTo("locale");
            assertThat(argument.type()).isEqualTo("String");
            assertThat(argument.context()).isEqualTo("a__userCtx");
            assertThat(graphql.language.AstPrinter.printAstCompact(argument.selection())).isEqualTo("{locale}");
        });
        var api = supergraph.apiSchema();
        assertThat(api.getObjectType("Post").getFieldDefinition("title").getArguments()).isEmpty();
        assertThat(api.getDirective("context")).isNull();
        assertThat(api.getType("context__ContextFieldValue")).isNull();
    }

    @Test
    void readsRenamedJoinSpec() {
        String renamed = SUPERGRAPH.replace("join/v0.5\", for: EXECUTION)", "join/v0.5\", as: \"j\", for: EXECUTION)")
                .replace("join__", "j__");
        Supergraph supergraph = SupergraphReader.read(renamed);
        assertThat(supergraph.type("User").graphs().get("A").keys()).hasSize(1);
        assertThat(supergraph.apiSchema().getType("j__Graph")).isNull();
    }

    @Test
    void refusesADocumentThatIsNotASupergraph() {
        assertThatThrownBy(() -> SupergraphReader.read("type Query { a: Int }"))
                .isInstanceOf(SupergraphException.class)
                .hasMessageContaining("join");
    }
}

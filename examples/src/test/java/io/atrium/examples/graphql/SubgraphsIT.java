package io.atrium.examples.graphql;

import static io.atrium.examples.TestHttp.graphql;
import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.examples.ExampleService;
import io.atrium.examples.ExampleServices;
import io.atrium.examples.RunningService;
import io.atrium.examples.TestHttp;
import graphql.language.AstPrinter;
import graphql.language.ObjectTypeDefinition;
import graphql.parser.Parser;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SubgraphsIT {

    private static final Map<ExampleService, RunningService> RUNNING = new EnumMap<>(ExampleService.class);
    private static final String ENTITIES = "query($representations: [_Any!]!) { _entities(representations: $representations) { %s } }";

    @BeforeAll
    static void start() {
        for (ExampleService service : List.of(ExampleService.ACCOUNTS, ExampleService.PRODUCTS,
                ExampleService.INVENTORY, ExampleService.REVIEWS)) {
            RUNNING.put(service, ExampleServices.start(service, 0));
        }
    }

    @AfterAll
    static void stop() {
        RUNNING.values().forEach(RunningService::close);
    }

    @ParameterizedTest
    @EnumSource(value = ExampleService.class, names = {"ACCOUNTS", "PRODUCTS", "INVENTORY", "REVIEWS"})
    void servesItsFederationSdl(ExampleService service) throws Exception {
        Map<String, Object> response = graphql(uri(service), "{ _service { sdl } }", Map.of());

        String served = (String) path(response, "data", "_service", "sdl");
        assertThat(served).contains("@link(").contains("https://specs.apollo.dev/federation/v2.3");
        // The very file composition reads: every type, field and federation directive of it is what the subgraph serves.
        String composed = Files.readString(
                Path.of("..", "config", "supergraph", "subgraphs", service.serviceName() + ".graphql"));
        Map<String, Set<String>> servedTypes = objectTypes(served);
        objectTypes(composed).forEach((type, members) ->
                assertThat(servedTypes.get(type)).as("type %s served by %s", type, service).containsAll(members));
    }

    /** Each object type's directives and field definitions, printed canonically (order and spacing do not matter). */
    private static Map<String, Set<String>> objectTypes(String sdl) {
        Map<String, Set<String>> types = new HashMap<>();
        for (ObjectTypeDefinition type : Parser.parse(sdl).getDefinitionsOfType(ObjectTypeDefinition.class)) {
            Set<String> members = types.computeIfAbsent(type.getName(), name -> new HashSet<>());
            // Type directives by name and field set: printers differ in whether defaults (resolvable: true) are spelled.
            type.getDirectives().forEach(directive -> members.add("@" + directive.getName() + " "
                    + (directive.getArgument("fields") == null ? "" : AstPrinter.printAstCompact(directive.getArgument("fields")))));
            type.getFieldDefinitions().forEach(field -> members.add(AstPrinter.printAstCompact(field)));
        }
        return types;
    }

    @ParameterizedTest
    @EnumSource(value = ExampleService.class, names = {"ACCOUNTS", "PRODUCTS", "INVENTORY", "REVIEWS"})
    void answersHealth(ExampleService service) {
        HttpResponse<String> response = TestHttp.get(uri(service).resolve("/health"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(TestHttp.readMap(response.body())).isEqualTo(Map.of("status", "UP"));
    }

    @Test
    void accountsResolvesQueriesAndUserEntities() {
        var uri = uri(ExampleService.ACCOUNTS);
        Map<String, Object> queries = graphql(uri, "{ me { id name } user(id: \"2\") { username } users { id } nobody: user(id: \"99\") { id } }", Map.of());
        Map<String, Object> entities = graphql(uri, ENTITIES.formatted("... on User { id name username birthday }"),
                Map.of("representations", List.of(rep("User", "id", "3"), rep("User", "id", "99"))));

        assertThat(path(queries, "data", "me")).isEqualTo(Map.of("id", "1", "name", "Ada Lovelace"));
        assertThat(path(queries, "data", "user", "username")).isEqualTo("@complete");
        assertThat(list(queries, "data", "users")).hasSize(6);
        assertThat(path(queries, "data")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("nobody", null);
        assertThat(list(entities, "data", "_entities")).containsExactly(
                Map.of("id", "3", "name", "Grace Hopper", "username", "@grace", "birthday", -23034),
                null);
    }

    @Test
    void productsResolvesTopProductsAndProductEntities() {
        var uri = uri(ExampleService.PRODUCTS);
        Map<String, Object> top = graphql(uri, "{ five: topProducts { upc } two: topProducts(first: 2) { upc name price weight } }", Map.of());
        Map<String, Object> entities = graphql(uri, ENTITIES.formatted("... on Product { upc name price weight }"),
                Map.of("representations", List.of(rep("Product", "upc", "6"))));

        assertThat(list(top, "data", "five")).hasSize(5);
        assertThat(list(top, "data", "two")).containsExactly(
                Map.of("upc", "1", "name", "Table", "price", 899, "weight", 100),
                Map.of("upc", "2", "name", "Couch", "price", 1299, "weight", 1000));
        assertThat(list(entities, "data", "_entities")).containsExactly(
                Map.of("upc", "6", "name", "Bookshelf", "price", 1550, "weight", 2200));
    }

    @Test
    void inventoryComputesShippingFromTheRepresentationsPriceAndWeight() {
        var cheapHeavy = Map.<String, Object>of("__typename", "Product", "upc", "1", "price", 899, "weight", 101);
        var expensive = Map.<String, Object>of("__typename", "Product", "upc", "2", "price", 1299, "weight", 1000);
        var outOfStock = Map.<String, Object>of("__typename", "Product", "upc", "3", "price", 10, "weight", 7);

        Map<String, Object> entities = graphql(uri(ExampleService.INVENTORY),
                ENTITIES.formatted("... on Product { upc inStock shippingEstimate }"),
                Map.of("representations", List.of(cheapHeavy, expensive, outOfStock)));

        assertThat(list(entities, "data", "_entities")).containsExactly(
                Map.of("upc", "1", "inStock", true, "shippingEstimate", 51),
                Map.of("upc", "2", "inStock", true, "shippingEstimate", 0),
                Map.of("upc", "3", "inStock", false, "shippingEstimate", 4));
    }

    @Test
    void reviewsResolvesReviewsOfUsersAndProductsWithProvidedUsernames() {
        var uri = uri(ExampleService.REVIEWS);
        Map<String, Object> entities = graphql(uri, ENTITIES.formatted("""
                ... on User { id reviews { id product { upc } } }
                ... on Product { upc reviews { id author { id username } } }
                ... on Review { id body }"""),
                Map.of("representations", List.of(rep("User", "id", "4"), rep("Product", "upc", "2"),
                        rep("Review", "id", "5"), rep("Review", "id", "404"))));

        List<?> resolved = list(entities, "data", "_entities");
        assertThat(resolved.get(0)).isEqualTo(Map.of("id", "4",
                "reviews", List.of(Map.of("id", "6", "product", Map.of("upc", "3")))));
        assertThat(resolved.get(1)).isEqualTo(Map.of("upc", "2", "reviews", List.of(
                Map.of("id", "4", "author", Map.of("id", "1", "username", "@ada")),
                Map.of("id", "5", "author", Map.of("id", "2", "username", "@complete")))));
        assertThat(((Map<?, ?>) resolved.get(2)).get("body")).asString().hasSizeGreaterThan(300);
        assertThat(resolved.get(3)).isNull();
    }

    @Test
    void reportsInvalidOperationsAsGraphQLErrors() {
        Map<String, Object> response = graphql(uri(ExampleService.ACCOUNTS), "{ users { nope } }", Map.of());

        assertThat(response).doesNotContainKey("data");
        assertThat((List<?>) response.get("errors")).singleElement().asString().contains("nope");
    }

    @Test
    void rejectsARequestWithoutQuery() {
        HttpResponse<String> response = TestHttp.postJson(uri(ExampleService.ACCOUNTS).resolve("/graphql"), "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("no query");
    }

    private static java.net.URI uri(ExampleService service) {
        return RUNNING.get(service).baseUri();
    }

    private static Map<String, Object> rep(String typename, String key, String value) {
        return Map.of("__typename", typename, key, value);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> root, String... keys) {
        return (List<Object>) path(root, keys);
    }

    static Object path(Map<String, Object> root, String... keys) {
        Object current = root;
        for (String key : keys) {
            current = ((Map<?, ?>) current).get(key);
        }
        return current;
    }
}

package io.atrium.router.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.router.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's admin API over real HTTP: a CI pipeline's view (token, publish, check, refusals, history). */
class RegistryAdminIT {
    private static final String TOKEN = "registry-test-token";
    private static final String LINK = "extend schema @link(url: \\\"https://specs.apollo.dev/federation/v2.7\\\", "
            + "import: [\\\"@key\\\"])\\n";

    @TempDir
    Path dir;
    private RegistryAdminServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = RegistryAdminServer.start("127.0.0.1", 0,
                new RegistryAdminApi(new SubgraphRegistry(new FileRegistryStore(dir), Clock.systemUTC()), TOKEN));
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("X-Atrium-Actor", "ci-pipeline");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String subgraph(String url, String sdl) {
        return "{\"routing_url\": \"" + url + "\", \"sdl\": \"" + LINK + sdl + "\"}";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) {
        return (Map<String, Object>) Json.read(response.body());
    }

    @Test
    void everyRequestNeedsTheToken() throws Exception {
        HttpResponse<String> none = send("GET", "/registry/subgraphs", null, null);
        HttpResponse<String> wrong = send("GET", "/registry/subgraphs", null, "guess");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(wrong.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(json(wrong)).containsEntry("code", "ADMIN_UNAUTHORIZED");
    }

    @Test
    void publishCheckRefuseAndHistory() throws Exception {
        HttpResponse<String> products = send("PUT", "/registry/subgraphs/products", subgraph("http://products:4003/graphql",
                "type Query { products: [Product] } type Product @key(fields: \\\"id\\\") { id: ID! price: Int }"), TOKEN);
        HttpResponse<String> clash = send("PUT", "/registry/subgraphs/reviews", subgraph("http://reviews:4004/graphql",
                "type Product @key(fields: \\\"id\\\") { id: ID! price: String }"), TOKEN);
        HttpResponse<String> breaking = send("POST", "/registry/subgraphs/products/check", subgraph(
                "http://products:4003/graphql", "type Query { products: [Product] } type Product @key(fields: \\\"id\\\") { id: ID! }"),
                TOKEN);
        HttpResponse<String> allowed = send("POST", "/registry/subgraphs/products/check?allow_breaking=true", subgraph(
                "http://products:4003/graphql", "type Query { products: [Product] } type Product @key(fields: \\\"id\\\") { id: ID! }"),
                TOKEN);
        HttpResponse<String> supergraph = send("GET", "/registry/supergraph", null, TOKEN);
        HttpResponse<String> history = send("GET", "/registry/history", null, TOKEN);

        assertThat(products.statusCode()).isEqualTo(200);
        assertThat(json(products)).containsEntry("status", "applied").containsEntry("version", 1);
        assertThat(clash.statusCode()).isEqualTo(422);
        assertThat(json(clash)).containsEntry("code", "COMPOSITION_FAILED");
        assertThat((List<Map<String, Object>>) json(clash).get("errors")).extracting(e -> e.get("code"))
                .contains("FIELD_TYPE_MISMATCH");
        assertThat(json(breaking)).containsEntry("passed", false);
        assertThat((List<Map<String, Object>>) json(breaking).get("changes"))
                .anySatisfy(change -> assertThat(change).containsEntry("level", "BREAKING")
                        .containsEntry("coordinate", "Product.price"));
        assertThat(json(allowed)).containsEntry("passed", true);
        assertThat(supergraph.statusCode()).isEqualTo(200);
        assertThat(supergraph.body()).contains("@join__graph(name: \"products\", url: \"http://products:4003/graphql\")")
                .doesNotContain("reviews");
        assertThat((List<Map<String, Object>>) json(history).get("history")).singleElement()
                .satisfies(entry -> assertThat(entry).containsEntry("action", "publish")
                        .containsEntry("subgraph", "products").containsEntry("by", "ci-pipeline"));
    }

    @Test
    void badRequestsGetProblemDocuments() throws Exception {
        HttpResponse<String> notJson = send("PUT", "/registry/subgraphs/products", "{nope", TOKEN);
        HttpResponse<String> unknownKey = send("PUT", "/registry/subgraphs/products",
                "{\"routing_url\": \"http://x/graphql\", \"sdl\": \"type Query { a: Int }\", \"url\": 1}", TOKEN);
        HttpResponse<String> badName = send("GET", "/registry/subgraphs/..", null, TOKEN);
        HttpResponse<String> method = send("POST", "/registry/subgraphs", "{}", TOKEN);
        HttpResponse<String> missing = send("DELETE", "/registry/subgraphs/ghost", null, TOKEN);

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(unknownKey)).containsEntry("code", "INVALID_REQUEST");
        assertThat((String) json(unknownKey).get("detail")).contains("'url'");
        assertThat(badName.statusCode()).isEqualTo(404);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(method.headers().firstValue("allow")).hasValue("GET");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing)).containsEntry("code", "SUBGRAPH_NOT_FOUND");
        assertThat(send("GET", "/registry/subgraphs", null, TOKEN).body()).contains("\"subgraphs\":[]");
    }
}

package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.atrium.policy.Identity;
import io.atrium.policy.identity.AssertionConfig;
import io.atrium.policy.identity.AssertionSigner;
import io.atrium.router.json.Json;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @authenticated}, {@code @requiresScopes} and {@code @policy} from the supergraph, over HTTP with the
 * caller's identity from a signed edge assertion: removed fields are null with {@code UNAUTHORIZED_FIELD_OR_TYPE}
 * and never reach the subgraph; non-null fields propagate their null; reject and dry-run modes.
 */
class AuthorizationIT {
    private static final List<String> subgraphQueries = new CopyOnWriteArrayList<>();
    private static final List<String> subgraphSubjects = new CopyOnWriteArrayList<>();
    private static HttpServer subgraph;
    private static HttpServer keys;
    private static AssertionSigner edge;
    private static RouterUnderTest filter;
    private static RouterUnderTest reject;
    private static RouterUnderTest dryRun;

    @BeforeAll
    static void start() throws Exception {
        subgraph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        GraphQL accounts = accounts();
        subgraph.createContext("/graphql", exchange -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> request = (Map<String, Object>) Json.read(exchange.getRequestBody().readAllBytes());
            subgraphQueries.add((String) request.get("query"));
            subgraphSubjects.add(String.valueOf(exchange.getRequestHeaders().getFirst("x-atrium-subject")));
            var result = accounts.execute(ExecutionInput.newExecutionInput().query((String) request.get("query")).build());
            byte[] body = Json.write(result.toSpecification());
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        subgraph.start();
        edge = AssertionSigner.create(AssertionConfig.DEFAULT);
        keys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keys.createContext("/jwks.json", exchange -> {
            byte[] body = edge.jwks().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keys.start();
        filter = router("");
        reject = router("  reject_unauthorized: true\n");
        dryRun = router("  dry_run: true\n");
    }

    private static GraphQL accounts() {
        Map<String, Object> ada = Map.of("id", "1", "name", "Ada", "email", "ada@example.com", "ssn", "123-45",
                "secret", "s3cret");
        var registry = new SchemaParser().parse("""
                interface Account { id: ID! email: String }
                type User implements Account { id: ID! name: String email: String ssn: String! secret: String }
                type Query { me: User users: [User!]! account: Account }
                """);
        var wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t.dataFetcher("me", env -> ada).dataFetcher("users", env -> List.of(ada))
                        .dataFetcher("account", env -> ada))
                .type("Account", t -> t.typeResolver(env -> env.getSchema().getObjectType("User")))
                .build();
        return GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(registry, wiring)).build();
    }

    private static RouterUnderTest router(String authorizationExtra) throws Exception {
        return RouterUnderTest.start(RouterUnderTest.newDirectory(),
                Files.readString(Path.of("src/test/resources/fixtures/authorization/supergraph.graphql")), """
                format_version: 1
                hot_reload: false
                subgraphs:
                  accounts: { url: "http://127.0.0.1:%d/graphql" }
                subgraph_defaults:
                  forward_headers: [x-atrium-subject]
                identity:
                  source: edge_assertion
                  edge_assertion: { jwks_url: "http://127.0.0.1:%d/jwks.json" }
                authorization:
                  policies:
                    staff: { any: [ { claim: roles, contains: staff }, { claim: sub, matches: "^svc-.*" } ] }
                %s""".formatted(subgraph.getAddress().getPort(), keys.getAddress().getPort(), authorizationExtra));
    }

    @AfterAll
    static void stop() {
        for (RouterUnderTest router : new RouterUnderTest[] {filter, reject, dryRun}) {
            if (router != null) {
                router.close();
            }
        }
        for (HttpServer server : new HttpServer[] {subgraph, keys}) {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @BeforeEach
    void forgetSubgraphQueries() {
        subgraphQueries.clear();
        subgraphSubjects.clear();
    }

    private static String assertion(String subject, Set<String> scopes, Set<String> roles) {
        return edge.sign(new Identity(subject, "web", scopes, roles, Map.of(), Instant.now().plusSeconds(300),
                Identity.Method.JWT));
    }

    private static HttpResponse<String> post(RouterUnderTest router, String query, String assertion) throws Exception {
        String body = RouterUnderTest.queryBody(query);
        return assertion == null ? router.post(body) : router.post(body, "x-atrium-assertion", assertion);
    }

    private static final String UNAUTHORIZED = "\"message\":\"Unauthorized field or type\"";

    @Test
    void anonymousCallersGetNullAndAnErrorAndTheSubgraphNeverSeesTheField() throws Exception {
        var response = post(filter, "{ me { name email } }", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"data\":{\"me\":{\"name\":\"Ada\",\"email\":null}},\"errors\":[{"
                + UNAUTHORIZED + ",\"extensions\":{\"code\":\"UNAUTHORIZED_FIELD_OR_TYPE\"},\"path\":[\"me\",\"email\"]}]}");
        assertThat(subgraphQueries).hasSize(1).allSatisfy(q -> assertThat(q).doesNotContain("email"));
        // the same text for an authenticated caller: another plan (the cache key holds what was removed)
        var authenticated = post(filter, "{ me { name email } }", assertion("alice", Set.of(), Set.of()));
        assertThat(authenticated.body()).isEqualTo("{\"data\":{\"me\":{\"name\":\"Ada\",\"email\":\"ada@example.com\"}}}");
    }

    @Test
    void scopesAreAnOrOfAnds() throws Exception {
        String query = "{ me { name ssn } }";
        assertThat(post(filter, query, assertion("alice", Set.of("pii:read"), Set.of())).body())
                .isEqualTo("{\"data\":{\"me\":{\"name\":\"Ada\",\"ssn\":\"123-45\"}}}");
        assertThat(post(filter, query, assertion("root", Set.of("admin"), Set.of())).body()).contains("\"ssn\":\"123-45\"");
        // ssn is non-null: without the scope its null propagates to the nullable 'me'
        var missing = post(filter, query, assertion("bob", Set.of("orders:read"), Set.of()));
        assertThat(missing.body()).startsWith("{\"data\":{\"me\":null},\"errors\":[{" + UNAUTHORIZED)
                .contains("\"path\":[\"me\",\"ssn\"]");
    }

    @Test
    void aNonNullChainUpToTheRootNullsData() throws Exception {
        var response = post(filter, "{ users { name ssn } }", assertion("bob", Set.of(), Set.of()));
        assertThat(response.body()).startsWith("{\"data\":null,\"errors\":[{" + UNAUTHORIZED)
                .contains("\"path\":[\"users\",\"ssn\"]");
    }

    @Test
    void aFieldReadThroughAnInterfaceHasItsImplementationsRequirements() throws Exception {
        var response = post(filter, "{ account { id email } }", null);
        assertThat(response.body()).startsWith("{\"data\":{\"account\":{\"id\":\"1\",\"email\":null}},\"errors\":[{"
                + UNAUTHORIZED).contains("\"path\":[\"account\",\"email\"]");
        assertThat(subgraphQueries).allSatisfy(q -> assertThat(q).doesNotContain("email"));
    }

    @Test
    void policiesAreDeclarativeRulesOverClaims() throws Exception {
        String query = "{ me { secret } }";
        assertThat(post(filter, query, assertion("carol", Set.of(), Set.of("staff"))).body())
                .isEqualTo("{\"data\":{\"me\":{\"secret\":\"s3cret\"}}}");
        assertThat(post(filter, query, assertion("svc-billing", Set.of(), Set.of())).body()).contains("s3cret");
        // every field removed: data is null (as Apollo answers), with the field's error; no subgraph call
        subgraphQueries.clear();
        assertThat(post(filter, query, assertion("dave", Set.of(), Set.of("customer"))).body())
                .startsWith("{\"data\":null,\"errors\":[{" + UNAUTHORIZED).contains("\"path\":[\"me\",\"secret\"]");
        assertThat(subgraphQueries).isEmpty();
    }

    @Test
    void rejectModeRefusesTheWholeOperationBeforeAnySubgraphCall() throws Exception {
        var response = post(reject, "{ me { name email } }", null);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"errors\":[{" + UNAUTHORIZED
                + ",\"extensions\":{\"code\":\"UNAUTHORIZED_FIELD_OR_TYPE\"},\"path\":[\"me\",\"email\"]}]}");
        assertThat(subgraphQueries).isEmpty();
        assertThat(post(reject, "{ me { name email } }", assertion("alice", Set.of(), Set.of())).statusCode()).isEqualTo(200);
    }

    @Test
    void aPropagatedIdentityHeaderCarriesTheVerifiedSubjectNeverTheClientsValue() throws Exception {
        String body = RouterUnderTest.queryBody("{ me { name } }");
        filter.post(body, "x-atrium-assertion", assertion("alice", Set.of(), Set.of()), "x-atrium-subject", "mallory");
        filter.post(body);
        assertThat(subgraphSubjects).containsExactly("alice", "null");
    }

    @Test
    void dryRunReportsButRemovesNothing() throws Exception {
        assertThat(post(dryRun, "{ me { name email } }", null).body())
                .isEqualTo("{\"data\":{\"me\":{\"name\":\"Ada\",\"email\":\"ada@example.com\"}}}");
    }
}

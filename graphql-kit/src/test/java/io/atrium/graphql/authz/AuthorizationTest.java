package io.atrium.graphql.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.atrium.graphql.config.GraphQLConfigException;
import io.atrium.graphql.document.OperationSelector;
import io.atrium.policy.Identity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Requirements from a schema (imports renamed), policies as rules, filtering and where nulls land. */
class AuthorizationTest {
    private static final String SDL = """
            schema
              @link(url: "https://specs.apollo.dev/authenticated/v0.1", as: "auth", for: SECURITY)
              @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", import: [{name: "@requiresScopes", as: "@scopes"}], for: SECURITY)
            { query: Query }
            directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
            scalar link__Import
            enum link__Purpose { SECURITY EXECUTION }
            directive @auth on FIELD_DEFINITION | OBJECT
            directive @scopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
            type Query { me: User orders: [Order] }
            type User { name: String email: String @auth }
            type Order @scopes(scopes: [["orders:read"]]) { id: ID! total: Int! @auth }
            """;
    private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL),
            RuntimeWiring.MOCKED_WIRING);

    private static Identity identity(String... scopes) {
        return new Identity("u", null, Set.of(scopes), Set.of("staff"), Map.of("tenant", "acme"), null, Identity.Method.JWT);
    }

    private static AuthorizationResult authorize(String query, Identity identity) {
        Authorization authorization = new Authorization(SCHEMA, Requirements.read(SDL), AuthorizationConfig.DEFAULTS,
                new SimpleMeterRegistry());
        var document = Parser.parse(query);
        return authorization.authorize(document, OperationSelector.select(document, null).operation(), identity);
    }

    @Test
    void renamedAndImportedDirectivesAreFound() {
        Requirements requirements = Requirements.read(SDL);
        assertThat(requirements.field("User", "email").authenticated()).isTrue();
        assertThat(requirements.type("Order").scopes()).containsExactly(Set.of("orders:read"));
        assertThat(Requirements.read("type Query { a: String @authenticated }").isEmpty()).isTrue(); // not linked
    }

    @Test
    void removalsNamePathsAndNullTargetsAndTheSignatureNotTheIdentity() {
        AuthorizationResult anonymous = authorize("{ me { name email } orders { id } }", null);
        assertThat(anonymous.removals()).extracting(Removal::path)
                .containsExactly(List.of("me", "email"), List.of("orders"));
        assertThat(anonymous.signature()).isEqualTo("me.email,orders");
        // total is non-null in a list of nullable orders: the order objects become null
        AuthorizationResult scoped = authorize("{ orders { id total } }", null);
        assertThat(scoped.removals().getFirst().nullKeys()).isEqualTo(List.of("orders"));
        AuthorizationResult reader = authorize("{ orders { id total } }", identity("orders:read"));
        assertThat(reader.removals()).isEmpty(); // authenticated + scope: both hold
    }

    @Test
    void patchWritesNullsWhereTheyLand() {
        Removal email = new Removal(List.of("me", "email"), List.of("me", "email"), false, true);
        Removal orders = new Removal(List.of("orders", "total"), List.of("orders"), true, true);
        Map<String, Object> data = new java.util.LinkedHashMap<>(Map.of("me", new java.util.LinkedHashMap<>(Map.of("name", "A")),
                "orders", new java.util.ArrayList<>(List.of(new java.util.LinkedHashMap<>(Map.of("id", "1"))))));
        Object patched = Authorization.patch(data, List.of(email, orders));
        assertThat(patched.toString()).contains("email=null").contains("orders=[null]");
        assertThat(Authorization.patch(data, List.of(new Removal(List.of("x"), List.of(), false, true)))).isNull();
    }

    @Test
    void policyRulesCombineClaimTests() {
        PolicyRules rules = PolicyRules.read(Map.of(
                "staff", Map.of("all", List.of(Map.of("claim", "roles", "contains", "staff"),
                        Map.of("claim", "tenant", "equals", "acme"))),
                "svc", Map.of("claim", "sub", "matches", "svc-.*")), "authorization.policies");
        assertThat(rules.allows("staff", identity())).isTrue();
        assertThat(rules.allows("svc", identity())).isFalse();
        assertThat(rules.allows("undefined", identity())).isFalse();
        assertThatThrownBy(() -> PolicyRules.read(Map.of("p", Map.of("claim", "sub", "like", "x")), "authorization.policies"))
                .isInstanceOf(GraphQLConfigException.class).hasMessageContaining("authorization.policies.p.like");
        assertThatThrownBy(() -> PolicyRules.read(Map.of("p", Map.of("claim", "sub", "matches", "(")), "authorization.policies"))
                .hasMessageContaining("authorization.policies.p.matches");
    }
}

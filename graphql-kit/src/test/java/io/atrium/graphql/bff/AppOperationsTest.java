package io.atrium.graphql.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.graphql.config.GraphQLConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppOperationsTest {
    private static final Map<String, Object> OP = Map.of("id", "abc", "name", "Feed", "type", "query", "body", "{ a }");
    private final AppOperations operations = AppOperations.of(Map.of("ios/5.2.0", List.of(OP),
            "android", List.of(Map.of("id", "def", "name", "Shared", "type", "query", "body", "{ b }"))),
            Map.of("ios", "5.0.0"));

    @Test
    void findsAnOperationOfItsVersionByIdAndByName() {
        assertThat(operations.byId("ios", "5.2.0", "abc")).isInstanceOf(AppOperations.Lookup.Found.class);
        assertThat(operations.byName("ios", "5.2.0", "Feed")).isInstanceOf(AppOperations.Lookup.Found.class);
        assertThat(operations.byId("ios", "5.2.0", "nope")).isInstanceOf(AppOperations.Lookup.NotInList.class);
    }

    @Test
    void operationsWithoutAVersionServeEveryVersionOfTheApp() {
        assertThat(operations.byId("android", "1.0", "def")).isInstanceOf(AppOperations.Lookup.Found.class);
    }

    @Test
    void oldUnknownAndAnonymousVersionsAreToldToUpdate() {
        assertThat(operations.byId("ios", "4.12.1", "abc")).isInstanceOfSatisfying(AppOperations.Lookup.UpdateRequired.class,
                u -> assertThat(u.message()).contains("oldest supported version is 5.0.0"));
        assertThat(operations.byId("ios", "5.3.0", "abc")).isInstanceOf(AppOperations.Lookup.UpdateRequired.class);
        assertThat(operations.byId(null, null, "abc")).isInstanceOf(AppOperations.Lookup.UpdateRequired.class);
    }

    @Test
    void versionsCompareNumericallyPartByPart() {
        assertThat(AppOperations.compare("5.10.0", "5.9.9")).isPositive();
        assertThat(AppOperations.compare("5.0", "5.0.0")).isZero();
        assertThat(AppOperations.compare("4.99", "5")).isNegative();
    }

    @Test
    void configIsStrict() {
        assertThatThrownBy(() -> BffConfig.read(Map.of("format_version", 1, "name", "b", "view",
                Map.of("exclude", List.of("x"))), name -> null))
                .isInstanceOf(GraphQLConfigException.class).hasMessageContaining("view.exclude");
        assertThatThrownBy(() -> BffConfig.read(Map.of("format_version", 1), name -> null))
                .hasMessageContaining("name");
        BffConfig config = BffConfig.read(Map.of("format_version", 1, "name", "b", "registry",
                Map.of("token_env", "MY_TOKEN"), "response_budget", Map.of("operations", Map.of("Big", 10))),
                name -> name.equals("MY_TOKEN") ? "t" : null);
        assertThat(config.registry().token()).isEqualTo("t");
        assertThat(config.responseBudget().forOperation("Big")).isEqualTo(10);
        assertThat(config.responseBudget().forOperation("Other")).isEqualTo(4 * 1024 * 1024);
        assertThat(config.operations().source()).isEqualTo(BffConfig.Operations.Source.NONE);
    }
}

package io.atrium.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.examples.seed.Shop;
import io.micronaut.json.tree.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderValidatorTest {

    private final OrderValidator validator = new OrderValidator(Shop.seed());

    @Test
    void acceptsAValidOrder() {
        JsonNode body = JsonNode.from(Map.of("userId", "1",
                "items", List.of(Map.of("upc", "2", "quantity", 1), Map.of("upc", "9", "quantity", 100))));

        assertThat(validator.validate(body)).isEqualTo(new OrderValidator.Valid(new OrderValidator.NewOrder("1",
                List.of(Map.entry("2", 1), Map.entry("9", 100)))));
    }

    @Test
    void namesEveryInvalidField() {
        JsonNode body = JsonNode.from(Map.of("userId", 7,
                "items", List.of(Map.of("upc", "1", "quantity", 101), "x", Map.of("quantity", 1, "note", "hi"))));

        assertThat(fields(validator.validate(body))).containsExactlyInAnyOrder(
                "userId", "items[0].quantity", "items[1]", "items[2].upc", "items[2].note");
    }

    @Test
    void requiresUserAndItems() {
        assertThat(fields(validator.validate(JsonNode.from(Map.of())))).containsExactly("userId", "items");
        assertThat(fields(validator.validate(JsonNode.from(Map.of("userId", "1", "items", List.of())))))
                .containsExactly("items");
        assertThat(fields(validator.validate(JsonNode.from(List.of())))).containsExactly("");
    }

    private static List<String> fields(OrderValidator.Outcome outcome) {
        assertThat(outcome).isInstanceOf(OrderValidator.Invalid.class);
        return ((OrderValidator.Invalid) outcome).errors().stream().map(FieldError::field).toList();
    }
}

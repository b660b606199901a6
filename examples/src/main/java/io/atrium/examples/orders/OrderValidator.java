package io.atrium.examples.orders;

import io.atrium.examples.seed.Shop;
import io.micronaut.json.tree.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a {@code POST /orders} body and names every bad field; pure, no I/O. */
final class OrderValidator {

    static final int MAX_LINES = 50;
    static final int MAX_QUANTITY = 100;
    private static final Set<String> ORDER_FIELDS = Set.of("userId", "items");
    private static final Set<String> LINE_FIELDS = Set.of("upc", "quantity");

    /** What the client asked for, once valid. */
    record NewOrder(String userId, List<Map.Entry<String, Integer>> lines) {
    }

    sealed interface Outcome {
    }

    record Valid(NewOrder order) implements Outcome {
    }

    record Invalid(List<FieldError> errors) implements Outcome {
    }

    private final Shop shop;

    OrderValidator(Shop shop) {
        this.shop = shop;
    }

    Outcome validate(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            return new Invalid(List.of(new FieldError("", "must be a JSON object with userId and items")));
        }
        unknownFields(body, ORDER_FIELDS, "", errors);
        String userId = userId(body.get("userId"), errors);
        List<Map.Entry<String, Integer>> lines = lines(body.get("items"), errors);
        return errors.isEmpty() ? new Valid(new NewOrder(userId, lines)) : new Invalid(errors);
    }

    private String userId(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("userId", "is required"));
            return null;
        }
        if (!node.isString() || node.getStringValue().isBlank()) {
            errors.add(new FieldError("userId", "must be a non-empty string"));
            return null;
        }
        String userId = node.getStringValue();
        if (shop.user(userId).isEmpty()) {
            errors.add(new FieldError("userId", "no user with id '" + userId + "'"));
        }
        return userId;
    }

    private List<Map.Entry<String, Integer>> lines(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("items", "is required"));
            return List.of();
        }
        if (!node.isArray() || node.size() == 0 || node.size() > MAX_LINES) {
            errors.add(new FieldError("items", "must be an array of 1 to " + MAX_LINES + " lines"));
            return List.of();
        }
        List<Map.Entry<String, Integer>> lines = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            line(node.get(i), "items[" + i + "]", errors, lines);
        }
        return lines;
    }

    private void line(JsonNode line, String path, List<FieldError> errors, List<Map.Entry<String, Integer>> lines) {
        if (!line.isObject()) {
            errors.add(new FieldError(path, "must be an object with upc and quantity"));
            return;
        }
        unknownFields(line, LINE_FIELDS, path + ".", errors);
        JsonNode upc = line.get("upc");
        JsonNode quantity = line.get("quantity");
        boolean valid = true;
        if (upc == null || !upc.isString()) {
            errors.add(new FieldError(path + ".upc", "is required and must be a string"));
            valid = false;
        } else if (shop.product(upc.getStringValue()).isEmpty()) {
            errors.add(new FieldError(path + ".upc", "no product with upc '" + upc.getStringValue() + "'"));
            valid = false;
        }
        if (!isQuantity(quantity)) {
            errors.add(new FieldError(path + ".quantity", "must be a whole number from 1 to " + MAX_QUANTITY));
            valid = false;
        }
        if (valid) {
            lines.add(Map.entry(upc.getStringValue(), quantity.getIntValue()));
        }
    }

    private static boolean isQuantity(JsonNode quantity) {
        if (quantity == null || !quantity.isNumber()) {
            return false;
        }
        double value = quantity.getDoubleValue();
        return value == Math.rint(value) && value >= 1 && value <= MAX_QUANTITY;
    }

    private static void unknownFields(JsonNode object, Set<String> known, String prefix, List<FieldError> errors) {
        for (Map.Entry<String, JsonNode> entry : object.entries()) {
            if (!known.contains(entry.getKey())) {
                errors.add(new FieldError(prefix + entry.getKey(), "is not a known field (expected one of "
                        + known.stream().sorted().toList() + ")"));
            }
        }
    }
}

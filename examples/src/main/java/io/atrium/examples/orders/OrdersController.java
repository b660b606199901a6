package io.atrium.examples.orders;

import io.atrium.examples.seed.Shop;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/** The orders REST API: {@code GET /orders/{id}}, {@code GET /orders?userId=}, {@code POST /orders}. */
@Controller("/orders")
@Requires(beans = OrderStore.class)
final class OrdersController {

    private final OrderStore store;
    private final OrderValidator validator;
    private final JsonMapper json;

    OrdersController(OrderStore store, Shop shop, JsonMapper json) {
        this.store = store;
        this.validator = new OrderValidator(shop);
        this.json = json;
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> get(@PathVariable String id, HttpRequest<?> request) {
        return store.find(id)
                .<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, new Problem.Document(Problem.NOT_FOUND,
                        "Order not found", 404, "There is no order with id '" + id + "'.", request.getPath())));
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    List<Order> list(@QueryValue @Nullable String userId) {
        return store.list(userId == null || userId.isEmpty() ? null : userId);
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> create(@Body byte[] body, HttpRequest<?> request) {
        JsonNode tree;
        try {
            tree = json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            return problem(HttpStatus.BAD_REQUEST, new Problem.Document(Problem.MALFORMED_BODY, "Malformed JSON body",
                    400, "The body is not valid JSON: send an object like "
                            + "{\"userId\": \"1\", \"items\": [{\"upc\": \"1\", \"quantity\": 2}]}.",
                    request.getPath()));
        }
        return switch (validator.validate(tree == null ? JsonNode.nullNode() : tree)) {
            case OrderValidator.Invalid invalid -> problem(HttpStatus.UNPROCESSABLE_ENTITY,
                    new Problem.ValidationDocument(Problem.INVALID_ORDER, "Invalid order", 422,
                            invalid.errors().size() + " field(s) of the order are invalid; see errors.",
                            request.getPath(), invalid.errors()));
            case OrderValidator.Valid valid -> {
                Order order = store.create(valid.order());
                yield HttpResponse.created(order, URI.create("/orders/" + order.id()));
            }
        };
    }

    private static HttpResponse<?> problem(HttpStatus status, Object document) {
        return HttpResponse.status(status).contentType(Problem.CONTENT_TYPE).body(document);
    }
}

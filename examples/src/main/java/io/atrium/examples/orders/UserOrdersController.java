package io.atrium.examples.orders;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code GET /orders-by-user?userIds=1,2,3}: the orders of many users in one call (the batch form of
 * {@code GET /orders?userId=}), one entry per distinct user id asked for, in the order asked, a user without orders
 * with an empty list. At most {@value #MAX_USERS} ids (the OpenAPI document's {@code maxItems}, which the generated
 * connector's {@code batch.maxSize} follows); none or more is a 400 problem document.
 */
@Controller("/orders-by-user")
@Requires(beans = OrderStore.class)
final class UserOrdersController {

    static final int MAX_USERS = 100;

    private final OrderStore store;

    UserOrdersController(OrderStore store) {
        this.store = store;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> list(HttpRequest<?> request) {
        Set<String> userIds = new LinkedHashSet<>();
        for (String value : request.getParameters().getAll("userIds")) { // userIds=1,2 or userIds=1&userIds=2
            for (String id : value.split(",")) {
                if (!id.isBlank()) {
                    userIds.add(id.strip());
                }
            }
        }
        if (userIds.isEmpty() || userIds.size() > MAX_USERS) {
            return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType(Problem.CONTENT_TYPE)
                    .body(new Problem.Document(Problem.BAD_QUERY, "Bad userIds", 400, "userIds must name 1 to "
                            + MAX_USERS + " users (comma-separated), it named " + userIds.size() + ".", request.getPath()));
        }
        return HttpResponse.ok(store.listByUsers(userIds));
    }
}

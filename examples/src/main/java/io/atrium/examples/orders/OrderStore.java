package io.atrium.examples.orders;

import io.atrium.examples.seed.Product;
import io.atrium.examples.seed.Shop;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The orders of the orders service: seeded, then appended to by {@code POST /orders}. Thread-safe. */
public final class OrderStore {

    static final String PLACED = "PLACED";

    private final Shop shop;
    private final Clock clock;
    private final Map<String, Order> orders = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1001);

    public OrderStore(Shop shop, Clock clock) {
        this.shop = shop;
        this.clock = clock;
        seed("1", "PAID", "2026-01-02T09:15:00Z", "1", 2, "3", 4);
        seed("2", "SHIPPED", "2026-01-03T11:40:00Z", "2", 1);
        seed("1", "PLACED", "2026-01-04T16:05:00Z", "5", 1, "9", 2);
        seed("3", "PAID", "2026-01-05T08:30:00Z", "4", 3);
        seed("4", "SHIPPED", "2026-01-06T13:20:00Z", "6", 1);
        seed("5", "PLACED", "2026-01-07T19:45:00Z", "7", 1, "8", 2);
        seed("6", "PAID", "2026-01-08T07:55:00Z", "1", 1);
        seed("2", "PLACED", "2026-01-09T21:10:00Z", "3", 6);
    }

    public Optional<Order> find(String id) {
        return Optional.ofNullable(orders.get(id));
    }

    /** All orders, or a user's orders when {@code userId} is given, oldest first. */
    public List<Order> list(String userId) {
        return orders.values().stream()
                .filter(order -> userId == null || order.userId().equals(userId))
                .sorted(Comparator.comparingLong(order -> Long.parseLong(order.id())))
                .toList();
    }

    /** The orders of each of these users (one entry per user, in their order; oldest orders first), in one pass. */
    public List<UserOrders> listByUsers(Collection<String> userIds) {
        Map<String, List<Order>> byUser = new LinkedHashMap<>();
        for (String userId : userIds) {
            byUser.put(userId, new ArrayList<>());
        }
        for (Order order : list(null)) {
            List<Order> ofUser = byUser.get(order.userId());
            if (ofUser != null) {
                ofUser.add(order);
            }
        }
        List<UserOrders> answer = new ArrayList<>(byUser.size());
        byUser.forEach((userId, orders) -> answer.add(new UserOrders(userId, orders)));
        return answer;
    }

    Order create(OrderValidator.NewOrder request) {
        return add(request.userId(), PLACED, clock.instant().toString(), request.lines());
    }

    private void seed(String userId, String status, String createdAt, Object... upcAndQuantity) {
        List<Map.Entry<String, Integer>> lines = new ArrayList<>();
        for (int i = 0; i < upcAndQuantity.length; i += 2) {
            lines.add(Map.entry((String) upcAndQuantity[i], (Integer) upcAndQuantity[i + 1]));
        }
        add(userId, status, Instant.parse(createdAt).toString(), lines);
    }

    private Order add(String userId, String status, String createdAt, List<Map.Entry<String, Integer>> lines) {
        List<OrderLine> items = lines.stream()
                .map(line -> new OrderLine(line.getKey(), line.getValue(), price(line.getKey())))
                .toList();
        int total = items.stream().mapToInt(item -> Math.multiplyExact(item.quantity(), item.unitPrice())).sum();
        Order order = new Order(Long.toString(nextId.getAndIncrement()), userId, items, total, status, createdAt);
        orders.put(order.id(), order);
        return order;
    }

    private int price(String upc) {
        return shop.product(upc).map(Product::price).orElseThrow();
    }
}

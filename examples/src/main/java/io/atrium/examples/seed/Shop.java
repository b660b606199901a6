package io.atrium.examples.seed;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The deterministic seed data of the demo shop, shared by the sample services (each uses only its
 * own part, as separate services would). Immutable; lookups are plain map reads.
 */
public final class Shop {

    private static final Shop SEED = new Shop();

    private final List<User> users;
    private final List<Product> products;
    private final Map<String, Boolean> inStock;
    private final List<Review> reviews;
    private final Map<String, User> usersById;
    private final Map<String, Product> productsByUpc;
    private final Map<String, Review> reviewsById;
    private final Map<String, List<Review>> reviewsByAuthor;
    private final Map<String, List<Review>> reviewsByProduct;

    private Shop() {
        users = List.of(
                user("1", "Ada Lovelace", "@ada", LocalDate.of(1815, 12, 10)),
                user("2", "Alan Turing", "@complete", LocalDate.of(1912, 6, 23)),
                user("3", "Grace Hopper", "@grace", LocalDate.of(1906, 12, 9)),
                user("4", "Edsger Dijkstra", "@ewd", LocalDate.of(1930, 5, 11)),
                user("5", "Barbara Liskov", "@liskov", LocalDate.of(1939, 11, 7)),
                user("6", "Donald Knuth", "@tex", LocalDate.of(1938, 1, 10)));
        products = List.of(
                new Product("1", "Table", 899, 100),
                new Product("2", "Couch", 1299, 1000),
                new Product("3", "Chair", 54, 50),
                new Product("4", "Lamp", 120, 8),
                new Product("5", "Rug", 340, 31),
                new Product("6", "Bookshelf", 1550, 2200),
                new Product("7", "Desk", 999, 800),
                new Product("8", "Stool", 45, 12),
                new Product("9", "Mirror", 210, 25));
        inStock = orderedMap(products, Product::upc, p -> Integer.parseInt(p.upc()) % 3 != 0);
        String[][] authorAndProduct = {
            {"1", "1"}, {"2", "1"}, {"3", "1"}, {"1", "2"}, {"2", "2"}, {"4", "3"},
            {"5", "4"}, {"6", "5"}, {"1", "6"}, {"2", "7"}, {"3", "8"},
        };
        List<Review> seeded = new ArrayList<>();
        for (int i = 0; i < authorAndProduct.length; i++) {
            String id = Integer.toString(i + 1);
            String body = ReviewText.generate(1000L + i, 580 + (i * 53) % 300);
            seeded.add(new Review(id, authorAndProduct[i][0], authorAndProduct[i][1], body));
        }
        reviews = List.copyOf(seeded);
        usersById = orderedMap(users, User::id, Function.identity());
        productsByUpc = orderedMap(products, Product::upc, Function.identity());
        reviewsById = orderedMap(reviews, Review::id, Function.identity());
        reviewsByAuthor = group(reviews, Review::authorId);
        reviewsByProduct = group(reviews, Review::productUpc);
    }

    public static Shop seed() {
        return SEED;
    }

    public List<User> users() {
        return users;
    }

    public List<Product> products() {
        return products;
    }

    public List<Review> reviews() {
        return reviews;
    }

    public Optional<User> user(String id) {
        return Optional.ofNullable(usersById.get(id));
    }

    public Optional<Product> product(String upc) {
        return Optional.ofNullable(productsByUpc.get(upc));
    }

    public Optional<Review> review(String id) {
        return Optional.ofNullable(reviewsById.get(id));
    }

    /** Stock of a product; unknown products are not in stock. */
    public boolean inStock(String upc) {
        return inStock.getOrDefault(upc, false);
    }

    public List<Review> reviewsByAuthor(String userId) {
        return reviewsByAuthor.getOrDefault(userId, List.of());
    }

    public List<Review> reviewsOfProduct(String upc) {
        return reviewsByProduct.getOrDefault(upc, List.of());
    }

    private static User user(String id, String name, String username, LocalDate birthday) {
        return new User(id, name, username, Math.toIntExact(birthday.toEpochDay()));
    }

    private static <T, V> Map<String, V> orderedMap(List<T> items, Function<T, String> key, Function<T, V> value) {
        Map<String, V> map = new LinkedHashMap<>();
        items.forEach(item -> map.put(key.apply(item), value.apply(item)));
        return Collections.unmodifiableMap(map);
    }

    private static Map<String, List<Review>> group(List<Review> reviews, Function<Review, String> key) {
        return reviews.stream().collect(Collectors.groupingBy(key, LinkedHashMap::new,
                Collectors.collectingAndThen(Collectors.toList(), List::copyOf)));
    }
}

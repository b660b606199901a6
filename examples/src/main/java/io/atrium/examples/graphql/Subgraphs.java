package io.atrium.examples.graphql;

import com.apollographql.federation.graphqljava._Entity;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import io.atrium.examples.ExampleService;
import io.atrium.examples.seed.Product;
import io.atrium.examples.seed.Review;
import io.atrium.examples.seed.Shop;
import io.atrium.examples.seed.User;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the four federation subgraphs of the demo shop (see {@link FederationSupport}). Each SDL is the file
 * under {@code config/supergraph/subgraphs/} (packaged as {@code io/atrium/examples/subgraphs/}),
 * so the served schema and the composed supergraph come from the same text.
 */
public final class Subgraphs {

    private static final String SDL_RESOURCE = "/io/atrium/examples/subgraphs/%s.graphql";

    private Subgraphs() {
    }

    public static Subgraph create(ExampleService service, Shop shop) {
        GraphQLSchema schema = switch (service) {
            case ACCOUNTS -> accounts(shop);
            case PRODUCTS -> products(shop);
            case INVENTORY -> inventory(shop);
            case REVIEWS -> reviews(shop);
            case ORDERS, PAYMENTS, ORDERS_GRAPHQL, PAYMENTS_GRAPHQL -> throw new IllegalArgumentException(service.serviceName() + " is not a subgraph");
        };
        return new Subgraph(service, schema);
    }

    /** The SDL a subgraph serves in {@code _service { sdl }} and feeds to composition. */
    public static String sdl(ExampleService service) {
        String resource = SDL_RESOURCE.formatted(service.serviceName());
        try (InputStream in = Subgraphs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing subgraph SDL on the classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GraphQLSchema accounts(Shop shop) {
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type
                        .dataFetcher("me", env -> shop.users().getFirst())
                        .dataFetcher("user", env -> shop.user(env.getArgument("id")).orElse(null))
                        .dataFetcher("users", env -> shop.users()));
        return federated(ExampleService.ACCOUNTS, wiring,
                Map.of("User", rep -> shop.user(string(rep, "id")).orElse(null)),
                Map.of(User.class, "User"));
    }

    private static GraphQLSchema products(Shop shop) {
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type.dataFetcher("topProducts", env -> {
                    Integer first = env.getArgument("first");
                    int limit = Math.clamp(first == null ? 5 : first, 0, shop.products().size());
                    return shop.products().subList(0, limit);
                }));
        return federated(ExampleService.PRODUCTS, wiring,
                Map.of("Product", rep -> shop.product(string(rep, "upc")).orElse(null)),
                Map.of(Product.class, "Product"));
    }

    /** A product as inventory sees it: the key plus the external fields the router sent. */
    record StockedProduct(String upc, Integer price, Integer weight) {
    }

    private static GraphQLSchema inventory(Shop shop) {
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .type("Product", type -> type
                        .dataFetcher("inStock", env -> shop.inStock(env.<StockedProduct>getSource().upc()))
                        .dataFetcher("shippingEstimate", env -> {
                            StockedProduct product = env.getSource();
                            return ShippingRule.estimate(product.price(), product.weight());
                        }));
        return federated(ExampleService.INVENTORY, wiring,
                Map.of("Product", rep -> new StockedProduct(string(rep, "upc"), integer(rep, "price"),
                        integer(rep, "weight"))),
                Map.of(StockedProduct.class, "Product"));
    }

    /** Reference types of the reviews subgraph: only the key (and the provided username). */
    record ReviewedProduct(String upc) {
    }

    record Author(String id, String username) {
    }

    private static GraphQLSchema reviews(Shop shop) {
        Function<String, Author> author = id -> new Author(id, shop.user(id).map(User::username).orElse(null));
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .type("Review", type -> type
                        .dataFetcher("product", env -> new ReviewedProduct(env.<Review>getSource().productUpc()))
                        .dataFetcher("author", env -> author.apply(env.<Review>getSource().authorId())))
                .type("User", type -> type
                        .dataFetcher("reviews", env -> shop.reviewsByAuthor(env.<Author>getSource().id())))
                .type("Product", type -> type
                        .dataFetcher("reviews", env -> shop.reviewsOfProduct(env.<ReviewedProduct>getSource().upc())));
        return federated(ExampleService.REVIEWS, wiring,
                Map.of(
                        "Review", rep -> shop.review(string(rep, "id")).orElse(null),
                        "User", rep -> author.apply(string(rep, "id")),
                        "Product", rep -> new ReviewedProduct(string(rep, "upc"))),
                Map.of(Review.class, "Review", Author.class, "User", ReviewedProduct.class, "Product"));
    }

    static GraphQLSchema federated(ExampleService service, RuntimeWiring.Builder wiring,
            Map<String, Function<Map<String, Object>, Object>> entityResolvers, Map<Class<?>, String> typeNames) {
        DataFetcher<List<Object>> entities = env -> {
            List<Map<String, Object>> representations = env.getArgument(_Entity.argumentName);
            List<Object> resolved = new ArrayList<>(representations.size());
            for (Map<String, Object> representation : representations) {
                var resolver = entityResolvers.get(string(representation, "__typename"));
                resolved.add(resolver == null ? null : resolver.apply(representation));
            }
            return resolved;
        };
        TypeResolver entityType = env -> env.getSchema().getObjectType(typeNames.get(env.getObject().getClass()));
        return FederationSupport.transform(sdl(service), wiring, entities, entityType);
    }

    static String string(Map<String, Object> representation, String field) {
        return representation.get(field) instanceof String value ? value : null;
    }

    private static Integer integer(Map<String, Object> representation, String field) {
        return representation.get(field) instanceof Number value ? Integer.valueOf(value.intValue()) : null;
    }
}

package io.atrium.bff.web.fields;

import io.atrium.graphql.subgraph.FederatedSubgraph;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The web app's own fields, a Federation subgraph the router plans like any other ({@code web-fields.graphql}):
 * {@code Query.productPage(upc)} (the product and related products, whose fields the router fetches from their
 * subgraphs) and {@code Product.priceLabel(locale)}, computed from {@code price} through {@code @requires} — so it works
 * even where {@code price} itself is hidden from a view. Tagged {@code web}: only the web view shows them.
 */
public final class WebFields {
    private static final int RELATED = 3;

    private WebFields() {
    }

    /** @param catalogue the shop's product ids, in display order (related products are the next ones) */
    public static FederatedSubgraph subgraph(List<String> catalogue) {
        return FederatedSubgraph.builder(sdl())
                .field("Query", "productPage", env -> page(catalogue, env.getArgument("upc")))
                .field("Product", "priceLabel", env -> {
                    Map<String, Object> product = env.getSource();
                    return label(product.get("price"), env.getArgument("locale"));
                })
                .build();
    }

    static Map<String, Object> page(List<String> catalogue, String upc) {
        int at = catalogue.indexOf(upc);
        if (at < 0) {
            return null;
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("product", Map.of("upc", upc));
        page.put("related", java.util.stream.IntStream.rangeClosed(1, RELATED)
                .mapToObj(i -> Map.of("upc", catalogue.get((at + i) % catalogue.size())))
                .filter(p -> !p.get("upc").equals(upc)).distinct().toList());
        return page;
    }

    static String label(Object price, String locale) {
        if (!(price instanceof Number amount)) {
            return null;
        }
        NumberFormat format = NumberFormat.getCurrencyInstance(Locale.forLanguageTag(locale));
        format.setCurrency(Currency.getInstance("USD"));
        return format.format(amount.doubleValue());
    }

    public static String sdl() {
        try (InputStream in = WebFields.class.getResourceAsStream("/web-fields.graphql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("web-fields.graphql missing from the jar", e);
        }
    }
}

package io.atrium.bff.mobile.fields;

import graphql.GraphqlErrorException;
import io.atrium.graphql.subgraph.FederatedSubgraph;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mobile app's own fields, a Federation subgraph the router plans like any other ({@code mobile-fields.graphql}):
 * {@code Query.homeFeed(first, after)} pages through the editorial feed with opaque cursors, and
 * {@code Product.thumbnailUrl(size)} gives the CDN URL of a picture at the size a phone screen needs. Tagged
 * {@code mobile}, so only the mobile view shows them.
 */
public final class MobileFields {
    /** Largest page; {@code first} above it is a field error (also the {@code @listSize} bound cost analysis uses). */
    public static final int MAX_PAGE = 50;
    private static final Map<String, Integer> PIXELS = Map.of("SMALL", 160, "MEDIUM", 480, "LARGE", 1080);

    private MobileFields() {
    }

    /** @param feed the products of the feed (upcs) in order; {@code imageBase} the CDN's base URL */
    public static FederatedSubgraph subgraph(List<String> feed, String imageBase) {
        return FederatedSubgraph.builder(sdl())
                .field("Query", "homeFeed", env -> page(feed, env.getArgument("first"), env.getArgument("after")))
                .field("Product", "thumbnailUrl", env -> {
                    Map<String, Object> product = env.getSource();
                    int pixels = PIXELS.get(String.valueOf(env.<Object>getArgument("size")));
                    return imageBase + "/products/" + product.get("upc") + "/" + pixels + "w.webp";
                })
                .build();
    }

    static Map<String, Object> page(List<String> feed, Integer first, String after) {
        if (first == null || first < 1 || first > MAX_PAGE) {
            throw GraphqlErrorException.newErrorException()
                    .message("'first' must be between 1 and " + MAX_PAGE)
                    .extensions(Map.of("code", "BAD_USER_INPUT")).build();
        }
        int start = after == null ? 0 : decode(after);
        int end = Math.min(feed.size(), start + first);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", feed.subList(Math.min(start, end), end).stream().map(upc -> Map.of("upc", upc)).toList());
        page.put("endCursor", end < feed.size() ? encode(end) : null);
        page.put("hasNextPage", end < feed.size());
        return page;
    }

    private static String encode(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("feed:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("feed:")) {
                int offset = Integer.parseInt(text.substring(5));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw GraphqlErrorException.newErrorException().message("'after' is not a cursor this feed gave out")
                .extensions(Map.of("code", "BAD_USER_INPUT")).build();
    }

    public static String sdl() {
        try (InputStream in = MobileFields.class.getResourceAsStream("/mobile-fields.graphql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("mobile-fields.graphql missing from the jar", e);
        }
    }
}

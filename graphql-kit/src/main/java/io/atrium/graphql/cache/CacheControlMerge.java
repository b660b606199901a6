package io.atrium.graphql.cache;

import java.util.List;
import java.util.Locale;

/**
 * One {@code Cache-Control} for a GraphQL answer assembled from several parts (subgraph responses, batch elements),
 * merged restrictively as Apollo Server's cache hints and Hive Router merge them:
 * <ul>
 *   <li>errors in the answer, or a mutation: {@code no-store};</li>
 *   <li>a part without a {@code max-age} (silent, or {@code no-store}): {@code no-store} — nothing vouches for it;</li>
 *   <li>any {@code no-cache}: {@code no-cache} (keep, but revalidate every use), scope as below;</li>
 *   <li>{@code max-age} (and {@code s-maxage}) is the smallest of the parts' ({@code s-maxage} defaults to the part's
 *       {@code max-age});</li>
 *   <li>{@code public} only when every part says {@code public}; otherwise {@code private} (a shared cache never keeps
 *       an answer one part considers personal or did not mark shareable).</li>
 * </ul>
 */
public final class CacheControlMerge {
    public static final String NO_STORE = "no-store";

    private CacheControlMerge() {
    }

    /** @param parts each part's {@code Cache-Control} (null: the part sent none) */
    public static String merge(List<String> parts, boolean errorsOrMutation) {
        if (errorsOrMutation || parts.isEmpty()) {
            return NO_STORE;
        }
        long maxAge = Long.MAX_VALUE;
        long sharedMaxAge = Long.MAX_VALUE;
        boolean allPublic = true;
        boolean noCache = false;
        for (String part : parts) {
            Policy policy = Policy.parse(part);
            if (policy == null || policy.noStore() || policy.maxAge() < 0) {
                return NO_STORE;
            }
            maxAge = Math.min(maxAge, policy.maxAge());
            sharedMaxAge = Math.min(sharedMaxAge, policy.sMaxAge() >= 0 ? policy.sMaxAge() : policy.maxAge());
            allPublic &= policy.isPublic() && !policy.isPrivate();
            noCache |= policy.noCache();
        }
        StringBuilder out = new StringBuilder(allPublic ? "public" : "private");
        if (noCache) {
            out.append(", no-cache");
        }
        out.append(", max-age=").append(maxAge);
        if (allPublic && sharedMaxAge < maxAge) {
            out.append(", s-maxage=").append(sharedMaxAge);
        }
        return out.toString();
    }

    /** The directives that matter for merging; -1 for an absent age. */
    private record Policy(boolean isPublic, boolean isPrivate, boolean noStore, boolean noCache, long maxAge,
                          long sMaxAge) {
        static Policy parse(String header) {
            if (header == null || header.isBlank()) {
                return null;
            }
            boolean isPublic = false;
            boolean isPrivate = false;
            boolean noStore = false;
            boolean noCache = false;
            long maxAge = -1;
            long sMaxAge = -1;
            for (String raw : header.split(",")) {
                String directive = raw.strip().toLowerCase(Locale.ROOT);
                switch (directive) {
                    case "public" -> isPublic = true;
                    case "private" -> isPrivate = true;
                    case "no-store" -> noStore = true;
                    case "no-cache" -> noCache = true;
                    default -> {
                        if (directive.startsWith("max-age=")) {
                            maxAge = seconds(directive.substring(8));
                        } else if (directive.startsWith("s-maxage=")) {
                            sMaxAge = seconds(directive.substring(9));
                        }
                    }
                }
            }
            return new Policy(isPublic, isPrivate, noStore, noCache, maxAge, sMaxAge);
        }

        private static long seconds(String value) {
            try {
                return Math.max(0, Long.parseLong(value.replace("\"", "")));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}

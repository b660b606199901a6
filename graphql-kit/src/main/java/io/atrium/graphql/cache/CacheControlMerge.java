package io.atrium.graphql.cache;

import java.util.List;
import java.util.Locale;

/**
 * One {@code Cache-Control} for a GraphQL answer assembled from several parts (subgraph responses, connector backend
 * calls, batch elements), merged restrictively as Apollo Server's cache hints and Hive Router merge them:
 * <ul>
 *   <li>errors in the answer, or a mutation: {@code no-store};</li>
 *   <li>a part without a {@code max-age} (silent, or {@code no-store}): {@code no-store} — nothing vouches for it;</li>
 *   <li>any {@code no-cache}: {@code no-cache} (keep, but revalidate every use), scope as below;</li>
 *   <li>{@code max-age} (and {@code s-maxage}) is the smallest of the parts' ({@code s-maxage} defaults to the part's
 *       {@code max-age});</li>
 *   <li>{@code public} only when every part says {@code public}; otherwise {@code private} (a shared cache never keeps
 *       an answer one part considers personal or did not mark shareable).</li>
 * </ul>
 * {@link #merge} takes the parts at once; an {@link Accumulator} takes them one at a time as they arrive (the
 * router's fetches), without keeping them.
 */
public final class CacheControlMerge {
    public static final String NO_STORE = "no-store";

    private CacheControlMerge() {
    }

    /** @param parts each part's {@code Cache-Control} (null: the part sent none) */
    public static String merge(List<String> parts, boolean errorsOrMutation) {
        if (errorsOrMutation) {
            return NO_STORE;
        }
        Accumulator merged = new Accumulator();
        for (String part : parts) {
            merged.add(part);
        }
        return merged.header(false);
    }

    /**
     * The merge of the parts seen so far. Thread-safe (parts arrive from concurrent fetches); each {@link #add} parses
     * its header once and keeps only the running minimum and flags.
     */
    public static final class Accumulator {
        private int parts;
        private boolean uncacheable;
        private long maxAge = Long.MAX_VALUE;
        private long sharedMaxAge = Long.MAX_VALUE;
        private boolean allPublic = true;
        private boolean noCache;

        /** One part's {@code Cache-Control} (null or blank: it sent none, so the whole answer is not cacheable). */
        public synchronized void add(String header) {
            parts++;
            if (uncacheable) {
                return;
            }
            Policy policy = Policy.parse(header);
            if (policy == null || policy.noStore() || policy.maxAge() < 0) {
                uncacheable = true;
                return;
            }
            maxAge = Math.min(maxAge, policy.maxAge());
            sharedMaxAge = Math.min(sharedMaxAge, policy.sMaxAge() >= 0 ? policy.sMaxAge() : policy.maxAge());
            allPublic &= policy.isPublic() && !policy.isPrivate();
            noCache |= policy.noCache();
        }

        /** A part that cannot be cached whatever it said (it failed, or its protocol has no caching metadata). */
        public synchronized void addUncacheable() {
            parts++;
            uncacheable = true;
        }

        /** No part was added: nothing vouches for or against caching. */
        public synchronized boolean isEmpty() {
            return parts == 0;
        }

        /**
         * The merged header; {@code no-store} when no part was added or one is not cacheable.
         *
         * @param personal the answer is for one caller (it came with credentials): {@code private} at most, without
         *                 {@code s-maxage}
         */
        public synchronized String header(boolean personal) {
            if (parts == 0 || uncacheable) {
                return NO_STORE;
            }
            boolean shared = allPublic && !personal;
            StringBuilder out = new StringBuilder(shared ? "public" : "private");
            if (noCache) {
                out.append(", no-cache");
            }
            out.append(", max-age=").append(maxAge);
            if (shared && sharedMaxAge < maxAge) {
                out.append(", s-maxage=").append(sharedMaxAge);
            }
            return out.toString();
        }
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
                        } else if (directive.startsWith("private=") || directive.startsWith("no-cache=")) {
                            // the qualified forms restrict some header fields; treated as the whole answer's
                            isPrivate |= directive.startsWith("private=");
                            noCache |= directive.startsWith("no-cache=");
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

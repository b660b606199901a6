package io.atrium.router.connector;

import java.util.List;

/**
 * How the runtime calls an {@link EntityResolver}.
 *
 * @param match       how results are matched to representations
 * @param maxSize     representations per call when batched (larger batches are split); 1 for {@link Match#SINGLE}
 * @param concurrency calls of one {@code _entities} fetch in flight at once (at least 1)
 * @param keyPaths    for {@link Match#BY_KEY}: the key fields as paths ({@code [["id"]]}, {@code [["org","id"],["sku"]]});
 *                    a result matches the representation whose values at these paths are equal
 */
public record EntityBatching(Match match, int maxSize, int concurrency, List<List<String>> keyPaths) {

    public enum Match {
        /** One call per representation. */
        SINGLE,
        /** One call for many representations; results carry the key fields and may come in any order. */
        BY_KEY,
        /** One call for many representations; result {@code i} belongs to representation {@code i}. */
        BY_POSITION
    }

    /** Default cap on concurrent calls of one entity fetch. */
    public static final int DEFAULT_CONCURRENCY = 8;

    public EntityBatching {
        keyPaths = keyPaths == null ? List.of() : keyPaths.stream().map(List::copyOf).toList();
        if (match == Match.SINGLE) {
            maxSize = 1;
        }
        if (maxSize < 1) {
            throw new IllegalArgumentException("entity batch maxSize must be at least 1, was " + maxSize);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("entity call concurrency must be at least 1, was " + concurrency);
        }
        if (match == Match.BY_KEY && keyPaths.isEmpty()) {
            throw new IllegalArgumentException("entity batches matched by key need the key's field paths");
        }
    }

    public static EntityBatching single(int concurrency) {
        return new EntityBatching(Match.SINGLE, 1, concurrency, List.of());
    }

    public static EntityBatching byKey(List<List<String>> keyPaths, int maxSize, int concurrency) {
        return new EntityBatching(Match.BY_KEY, maxSize, concurrency, keyPaths);
    }

    public static EntityBatching byPosition(int maxSize, int concurrency) {
        return new EntityBatching(Match.BY_POSITION, maxSize, concurrency, List.of());
    }
}

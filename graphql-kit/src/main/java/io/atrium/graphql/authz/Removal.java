package io.atrium.graphql.authz;

import java.util.List;

/**
 * A field authorization took out of the operation, and where the response gets its {@code null}.
 *
 * @param path      response keys of the removed field (no list indices: it is removed in every item)
 * @param nullKeys  response keys of the value that becomes null: the field itself, or (non-null fields) the nearest
 *                  nullable ancestor; empty = {@code data} itself
 * @param nullItems true: {@code nullKeys} names a list field whose object items become null (nullable items)
 * @param reported  false for a field dropped only because authorization emptied its selection (its children were
 *                  reported)
 */
public record Removal(List<String> path, List<String> nullKeys, boolean nullItems, boolean reported) {
    public Removal {
        path = List.copyOf(path);
        nullKeys = List.copyOf(nullKeys);
    }
}

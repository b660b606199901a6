package io.atrium.router.compose.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What every element merges the same way over its definitions: the description (most frequent), the first
 * {@code @deprecated} reason, {@code @inaccessible} (any) and {@code @tag}s (union).
 */
final class Decorations {
    private final List<String> descriptions = new ArrayList<>();
    private String deprecation;
    private boolean inaccessible;
    private final Set<String> tags = new LinkedHashSet<>();

    void add(String description, String deprecationReason, boolean hidden, Set<String> elementTags) {
        descriptions.add(description);
        deprecation = deprecation != null ? deprecation : deprecationReason;
        inaccessible |= hidden;
        tags.addAll(elementTags);
    }

    String description() {
        return MergeSupport.description(descriptions);
    }

    /** Appends {@code @inaccessible} and the {@code @tag}s, recording the features the supergraph must link. */
    void addInaccessibleAndTags(List<String> directives, MergedSchema out) {
        if (inaccessible) {
            directives.add("@inaccessible");
            out.features.add("inaccessible");
        }
        if (!tags.isEmpty()) {
            MergeSupport.tags(tags, directives);
            out.features.add("tag");
        }
    }

    void addDeprecation(List<String> directives) {
        if (deprecation != null) {
            directives.add(MergeSupport.deprecated(deprecation));
        }
    }
}

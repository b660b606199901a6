package io.atrium.graphql.limits;

import io.atrium.graphql.config.ConfigMaps;
import java.util.Map;
import java.util.Set;

/**
 * The operation limits of one endpoint or client. Defaults let every sample operation through (the benchmark query
 * has depth 8, height 38, no aliases, 2 root fields, no directives, 103 tokens) and stop the nesting attacks
 * described in issue 10 (each level of {@code users { reviews { author { reviews … } } } } triples the answer).
 *
 * @param mode          {@code enforce} (default) or {@code warn}
 * @param maxDepth      deepest field nesting, root field = 1 (default 10)
 * @param maxHeight     unique fields, aliases of one field counted once (default 200)
 * @param maxAliases    aliased fields (default 30)
 * @param maxRootFields root fields, every alias counted (default 20)
 * @param maxDirectives directive uses (default 50)
 * @param maxTokens     lexical tokens of the document, enforced while parsing (default 10000)
 */
public record OperationLimits(LimitMode mode, int maxDepth, int maxHeight, int maxAliases, int maxRootFields,
                              int maxDirectives, int maxTokens) {
    public static final OperationLimits DEFAULTS = new OperationLimits(LimitMode.ENFORCE, 10, 200, 30, 20, 50, 10_000);
    static final Set<String> KEYS = Set.of("mode", "max_depth", "max_height", "max_aliases", "max_root_fields",
            "max_directives", "max_tokens");

    /** This block's keys over {@code base}, field by field. */
    static OperationLimits read(Map<String, Object> block, OperationLimits base, String path) {
        return new OperationLimits(
                ConfigMaps.choice(block, "mode", base.mode(), LimitMode.class, path),
                ConfigMaps.positiveInt(block, "max_depth", base.maxDepth(), path),
                ConfigMaps.positiveInt(block, "max_height", base.maxHeight(), path),
                ConfigMaps.positiveInt(block, "max_aliases", base.maxAliases(), path),
                ConfigMaps.positiveInt(block, "max_root_fields", base.maxRootFields(), path),
                ConfigMaps.positiveInt(block, "max_directives", base.maxDirectives(), path),
                ConfigMaps.positiveInt(block, "max_tokens", base.maxTokens(), path));
    }
}

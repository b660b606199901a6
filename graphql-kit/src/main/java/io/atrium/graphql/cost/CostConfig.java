package io.atrium.graphql.cost;

import io.atrium.graphql.config.ConfigMaps;
import java.util.Map;
import java.util.Set;

/**
 * The {@code demand_control} block of an endpoint:
 *
 * <pre>
 * demand_control:
 *   enabled: false        # default false
 *   mode: enforce         # enforce | measure (log and count, run anyway); default enforce
 *   max: 100000           # largest estimated cost (default 100000)
 *   list_size: 10         # assumed size of a list without @listSize or a slicing argument (default 10)
 *   actual_cost: false    # also compute each response's actual cost (a walk over the response); default false
 *   extensions: false     # put extensions.cost {estimated, actual, max} in executed responses; default false
 *   rate_limit: ...       # the estimated cost as the units of a per-caller budget (see CostRateLimitConfig); default none
 * </pre>
 *
 * @param actualCost  compute the actual cost of each executed response (metrics, and extensions when asked)
 * @param extensions  answer the estimated (and actual, when computed) cost in the response's {@code extensions.cost}
 * @param rateLimit   the cost budget per caller; null = none
 */
public record CostConfig(boolean enabled, Mode mode, int max, int listSize, boolean actualCost, boolean extensions,
                         CostRateLimitConfig rateLimit) {
    public static final CostConfig DEFAULTS = new CostConfig(false, Mode.ENFORCE, 100_000, 10, false, false, null);

    public CostConfig(boolean enabled, Mode mode, int max, int listSize) {
        this(enabled, mode, max, listSize, false, false, null);
    }

    public CostConfig(boolean enabled, Mode mode, int max, int listSize, boolean actualCost, boolean extensions) {
        this(enabled, mode, max, listSize, actualCost, extensions, null);
    }

    public enum Mode { ENFORCE, MEASURE }

    public static CostConfig read(Object value, String path) {
        if (value == null) {
            return DEFAULTS;
        }
        Map<String, Object> block = ConfigMaps.map(value, path);
        ConfigMaps.checkKeys(block, Set.of("enabled", "mode", "max", "list_size", "actual_cost", "extensions",
                "rate_limit"), path);
        CostConfig config = new CostConfig(ConfigMaps.bool(block, "enabled", DEFAULTS.enabled(), path),
                ConfigMaps.choice(block, "mode", DEFAULTS.mode(), Mode.class, path),
                ConfigMaps.positiveInt(block, "max", DEFAULTS.max(), path),
                ConfigMaps.positiveInt(block, "list_size", DEFAULTS.listSize(), path),
                ConfigMaps.bool(block, "actual_cost", DEFAULTS.actualCost(), path),
                ConfigMaps.bool(block, "extensions", DEFAULTS.extensions(), path),
                CostRateLimitConfig.read(block.get("rate_limit"), path + ".rate_limit"));
        if (config.rateLimit() != null && !config.enabled()) {
            throw new io.atrium.graphql.config.GraphQLConfigException(path + ".rate_limit: needs " + path
                    + ".enabled: true (the budget is spent in estimated cost)");
        }
        return config;
    }
}

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
 * </pre>
 */
public record CostConfig(boolean enabled, Mode mode, int max, int listSize) {
    public static final CostConfig DEFAULTS = new CostConfig(false, Mode.ENFORCE, 100_000, 10);

    public enum Mode { ENFORCE, MEASURE }

    public static CostConfig read(Object value, String path) {
        if (value == null) {
            return DEFAULTS;
        }
        Map<String, Object> block = ConfigMaps.map(value, path);
        ConfigMaps.checkKeys(block, Set.of("enabled", "mode", "max", "list_size"), path);
        return new CostConfig(ConfigMaps.bool(block, "enabled", DEFAULTS.enabled(), path),
                ConfigMaps.choice(block, "mode", DEFAULTS.mode(), Mode.class, path),
                ConfigMaps.positiveInt(block, "max", DEFAULTS.max(), path),
                ConfigMaps.positiveInt(block, "list_size", DEFAULTS.listSize(), path));
    }
}

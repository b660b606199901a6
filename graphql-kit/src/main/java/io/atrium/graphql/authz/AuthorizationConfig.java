package io.atrium.graphql.authz;

import io.atrium.graphql.config.ConfigMaps;
import java.util.Map;
import java.util.Set;

/**
 * The {@code authorization} block of an endpoint (the directives themselves come from the schema):
 *
 * <pre>
 * authorization:
 *   enabled: true               # default true: @authenticated, @requiresScopes and @policy are enforced
 *   reject_unauthorized: false  # true: an operation with an unauthorized field is refused whole (403); default false
 *   dry_run: false              # true: log and count what would be removed, remove nothing; default false
 *   policies: {}                # @policy names → rules (PolicyRules); default none (every @policy denies)
 * </pre>
 */
public record AuthorizationConfig(boolean enabled, boolean rejectUnauthorized, boolean dryRun, PolicyRules policies) {
    public static final AuthorizationConfig DEFAULTS = new AuthorizationConfig(true, false, false, PolicyRules.NONE);

    public static AuthorizationConfig read(Object value, String path) {
        if (value == null) {
            return DEFAULTS;
        }
        Map<String, Object> block = ConfigMaps.map(value, path);
        ConfigMaps.checkKeys(block, Set.of("enabled", "reject_unauthorized", "dry_run", "policies"), path);
        return new AuthorizationConfig(ConfigMaps.bool(block, "enabled", true, path),
                ConfigMaps.bool(block, "reject_unauthorized", false, path), ConfigMaps.bool(block, "dry_run", false, path),
                PolicyRules.read(block.get("policies"), path + ".policies"));
    }
}

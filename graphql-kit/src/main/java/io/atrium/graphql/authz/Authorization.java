package io.atrium.graphql.authz;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLSchema;
import io.atrium.graphql.GraphQLErrors;
import io.atrium.policy.Identity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code @authenticated}, {@code @requiresScopes} and {@code @policy} for one schema version: applied to a validated
 * operation before planning. Unauthorized fields are removed (and answered null with
 * {@code UNAUTHORIZED_FIELD_OR_TYPE} at their path, {@link #patch}), or the operation is refused whole
 * ({@code reject_unauthorized}), or (dry run) only logged and counted. A schema without these directives costs nothing.
 * Counter: {@code atrium.graphql.authorization{outcome=filtered|rejected|dry_run}}.
 */
public final class Authorization {
    public static final String UNAUTHORIZED_FIELD_OR_TYPE = "UNAUTHORIZED_FIELD_OR_TYPE";
    private static final Logger LOG = LoggerFactory.getLogger(Authorization.class);

    private final GraphQLSchema schema;
    private final Requirements requirements;
    private final AuthorizationConfig config;
    private final Counter filtered;
    private final Counter rejected;
    private final Counter dryRun;

    public Authorization(GraphQLSchema schema, Requirements requirements, AuthorizationConfig config, MeterRegistry registry) {
        this.schema = schema;
        this.requirements = config.enabled() ? requirements : Requirements.NONE;
        this.config = config;
        this.filtered = registry.counter("atrium.graphql.authorization", "outcome", "filtered");
        this.rejected = registry.counter("atrium.graphql.authorization", "outcome", "rejected");
        this.dryRun = registry.counter("atrium.graphql.authorization", "outcome", "dry_run");
    }

    public AuthorizationResult authorize(Document document, OperationDefinition operation, Identity identity) {
        if (requirements.isEmpty()) {
            return new AuthorizationResult(document, List.of(), "", false);
        }
        OperationAuthorizer.Walk walk = OperationAuthorizer.walk(schema, requirements, config.policies(), identity,
                document, operation);
        if (walk.removals().isEmpty()) {
            return new AuthorizationResult(document, List.of(), "", false);
        }
        List<String> paths = new ArrayList<>();
        for (Removal removal : walk.removals()) {
            paths.add(String.join(".", removal.path()));
        }
        String signature = String.join(",", paths);
        if (config.dryRun()) {
            dryRun.increment();
            LOG.atInfo().addKeyValue("operation", operation.getName()).addKeyValue("paths", signature)
                    .log("authorization would remove fields (dry run)");
            return new AuthorizationResult(document, List.of(), "", false);
        }
        if (config.rejectUnauthorized()) {
            rejected.increment();
            return new AuthorizationResult(document, walk.removals(), signature, true);
        }
        filtered.increment();
        Document copy = Document.newDocument().definition(walk.operation()).build();
        return new AuthorizationResult(copy, walk.removals(), signature, false);
    }

    /** The errors of the removed fields: {@code Unauthorized field or type}, {@code UNAUTHORIZED_FIELD_OR_TYPE}, path. */
    public static List<Map<String, Object>> errors(List<Removal> removals) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (Removal removal : removals) {
            if (removal.reported()) {
                Map<String, Object> error = new LinkedHashMap<>(GraphQLErrors.error("Unauthorized field or type",
                        UNAUTHORIZED_FIELD_OR_TYPE, null));
                error.put("path", removal.path());
                errors.add(error);
            }
        }
        return errors;
    }

    /**
     * Writes the removed fields' nulls into a response's {@code data} (a mutable JSON tree), propagating through
     * non-null fields as planned; returns the data, or null when the null reached the root.
     */
    @SuppressWarnings("unchecked")
    public static Object patch(Object data, List<Removal> removals) {
        for (Removal removal : removals) {
            if (removal.nullKeys().isEmpty()) {
                return null;
            }
            if (data instanceof Map<?, ?> map) {
                write((Map<String, Object>) map, removal.nullKeys(), 0, removal.nullItems());
            }
        }
        return data;
    }

    @SuppressWarnings("unchecked")
    private static void write(Object value, List<String> keys, int at, boolean items) {
        if (value instanceof List<?> list) {
            List<Object> mutable = (List<Object>) list;
            for (int i = 0; i < mutable.size(); i++) {
                Object item = mutable.get(i);
                if (at == keys.size() && items) {
                    if (item instanceof List<?>) {
                        write(item, keys, at, true);
                    } else {
                        mutable.set(i, null);
                    }
                } else {
                    write(item, keys, at, items);
                }
            }
            return;
        }
        if (!(value instanceof Map<?, ?> raw)) {
            return;
        }
        Map<String, Object> map = (Map<String, Object>) raw;
        String key = keys.get(at);
        if (at == keys.size() - 1 && !items) {
            map.put(key, null);
        } else {
            write(map.get(key), keys, at + 1, items);
        }
    }
}

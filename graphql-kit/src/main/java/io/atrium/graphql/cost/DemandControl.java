package io.atrium.graphql.cost;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import io.atrium.graphql.GraphQLErrorCodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses an operation whose estimated cost is over {@code demand_control.max} ({@code COST_ESTIMATED_TOO_EXPENSIVE},
 * with {@code extensions.cost {estimated, max}}), or in {@code measure} mode logs and counts it. Counter:
 * {@code atrium.graphql.cost{outcome=refused|measured}}.
 */
public final class DemandControl {
    private static final Logger LOG = LoggerFactory.getLogger(DemandControl.class);
    private final CostConfig config;
    private final Counter refused;
    private final Counter measured;

    public DemandControl(CostConfig config, MeterRegistry registry) {
        this.config = config;
        this.refused = registry.counter("atrium.graphql.cost", "outcome", "refused");
        this.measured = registry.counter("atrium.graphql.cost", "outcome", "measured");
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The refusal error, or null when the operation may run. */
    public Map<String, Object> check(CostEstimator estimator, Document document, OperationDefinition operation,
                                     Map<String, Object> variables) {
        if (!config.enabled()) {
            return null;
        }
        long estimated = estimator.estimate(document, operation, variables);
        if (estimated <= config.max()) {
            return null;
        }
        if (config.mode() == CostConfig.Mode.MEASURE) {
            measured.increment();
            LOG.atWarn().addKeyValue("operation", operation.getName()).addKeyValue("estimated", estimated)
                    .addKeyValue("max", config.max()).log("operation over the cost limit, run anyway (measure mode)");
            return null;
        }
        refused.increment();
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "the operation's estimated cost (" + estimated + ") is over this endpoint's maximum of "
                + config.max() + "; ask for fewer or smaller lists");
        error.put("extensions", Map.of("code", GraphQLErrorCodes.COST_ESTIMATED_TOO_EXPENSIVE,
                "cost", Map.of("estimated", estimated, "max", config.max())));
        return error;
    }
}

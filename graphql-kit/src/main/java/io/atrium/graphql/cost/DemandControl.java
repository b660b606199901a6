package io.atrium.graphql.cost;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import io.atrium.graphql.GraphQLErrorCodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
    private final DistributionSummary estimatedCosts;
    private final DistributionSummary actualCosts;

    public DemandControl(CostConfig config, MeterRegistry registry) {
        this.config = config;
        this.estimatedCosts = DistributionSummary.builder("atrium.graphql.cost.estimated")
                .description("estimated cost of executed operations").register(registry);
        this.actualCosts = DistributionSummary.builder("atrium.graphql.cost.actual")
                .description("actual cost of executed operations (demand_control.actual_cost)").register(registry);
        this.refused = registry.counter("atrium.graphql.cost", "outcome", "refused");
        this.measured = registry.counter("atrium.graphql.cost", "outcome", "measured");
    }

    public boolean enabled() {
        return config.enabled();
    }

    public CostConfig config() {
        return config;
    }

    /**
     * Records the estimated and (when computed, else negative) actual cost of an executed operation
     * ({@code atrium.graphql.cost.estimated} and {@code .actual} distributions) and answers the
     * {@code extensions.cost} value when the config asks for it, else null.
     */
    public Map<String, Object> executed(long estimated, long actual) {
        estimatedCosts.record(estimated);
        if (actual >= 0) {
            actualCosts.record(actual);
        }
        if (!config.extensions()) {
            return null;
        }
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("estimated", estimated);
        if (actual >= 0) {
            cost.put("actual", actual);
        }
        cost.put("max", config.max());
        return cost;
    }

    /** The refusal error, or null when the operation may run. */
    public Map<String, Object> check(CostEstimator estimator, Document document, OperationDefinition operation,
                                     Map<String, Object> variables) {
        if (!config.enabled()) {
            return null;
        }
        return refusal(estimator.estimateChecked(document, operation, variables), operation);
    }

    /**
     * The refusal error for an operation with this estimate, or null when it may run: a field that requires exactly one
     * slicing argument and was given none or several is refused ({@code COST_QUERY_PARSE_FAILURE}, as Apollo's router
     * answers it: the estimate cannot bound its list), then the cost is checked against the maximum.
     */
    public Map<String, Object> refusal(CostEstimator.Estimate estimate, OperationDefinition operation) {
        if (estimate.slicingViolation() != null && config.enabled()) {
            if (config.mode() == CostConfig.Mode.MEASURE) {
                measured.increment();
                LOG.atWarn().addKeyValue("operation", operation.getName()).addKeyValue("problem", estimate.slicingViolation())
                        .log("slicing arguments missing or repeated, run anyway (measure mode)");
            } else {
                refused.increment();
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("message", estimate.slicingViolation());
                error.put("extensions", Map.of("code", GraphQLErrorCodes.COST_QUERY_PARSE_FAILURE));
                return error;
            }
        }
        return refusal(estimate.cost(), operation);
    }

    /** The refusal error for an operation of this estimated cost, or null when it may run. */
    public Map<String, Object> refusal(long estimated, OperationDefinition operation) {
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

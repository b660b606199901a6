package io.atrium.graphql.limits;

import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.document.OperationMeasurements;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an operation's measurements (computed once per cached document) against the limits of its client: a few
 * integer comparisons per request. A breach in {@code warn} mode is logged and counted and the operation runs.
 * Counters: {@code atrium.graphql.limits{code, outcome=refused|warned}}.
 */
public final class LimitsPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(LimitsPolicy.class);
    private final LimitsConfig config;
    private final Map<String, Counter> refused = new HashMap<>();
    private final Map<String, Counter> warned = new HashMap<>();

    public LimitsPolicy(LimitsConfig config, MeterRegistry registry) {
        this.config = config;
        for (String code : new String[] {GraphQLErrorCodes.MAX_DEPTH_LIMIT, GraphQLErrorCodes.MAX_HEIGHT_LIMIT,
                GraphQLErrorCodes.MAX_ALIASES_LIMIT, GraphQLErrorCodes.MAX_ROOT_FIELDS_LIMIT,
                GraphQLErrorCodes.MAX_DIRECTIVES_LIMIT, GraphQLErrorCodes.MAX_TOKENS_LIMIT}) {
            refused.put(code, registry.counter("atrium.graphql.limits", "code", code, "outcome", "refused"));
            warned.put(code, registry.counter("atrium.graphql.limits", "code", code, "outcome", "warned"));
        }
    }

    public LimitsConfig config() {
        return config;
    }

    /**
     * @param clientName    the request's client name, or null
     * @param operationName for the log line only
     */
    public LimitVerdict check(OperationMeasurements measured, String clientName, String operationName) {
        if (!config.enabled()) {
            return LimitVerdict.PASS;
        }
        OperationLimits limits = config.forClient(clientName);
        LimitVerdict verdict = firstBreach(measured, limits);
        if (verdict instanceof LimitVerdict.Refuse refuse && limits.mode() == LimitMode.WARN) {
            warned.get(refuse.code()).increment();
            LOG.atWarn().addKeyValue("code", refuse.code()).addKeyValue("client", clientName)
                    .addKeyValue("operation", operationName).log("operation over a limit, run anyway (warn mode): {}",
                            refuse.message());
            return LimitVerdict.PASS;
        }
        if (verdict instanceof LimitVerdict.Refuse refuse) {
            refused.get(refuse.code()).increment();
        }
        return verdict;
    }

    /** A breach of the parser's token cut-off (the document never parsed): counted like any refusal. */
    public void countTokenRefusal() {
        refused.get(GraphQLErrorCodes.MAX_TOKENS_LIMIT).increment();
    }

    private static LimitVerdict firstBreach(OperationMeasurements measured, OperationLimits limits) {
        if (measured.tokens() > limits.maxTokens()) {
            return breach(GraphQLErrorCodes.MAX_TOKENS_LIMIT, "tokens", measured.tokens(), limits.maxTokens());
        }
        if (measured.depth() > limits.maxDepth()) {
            return breach(GraphQLErrorCodes.MAX_DEPTH_LIMIT, "depth", measured.depth(), limits.maxDepth());
        }
        if (measured.height() > limits.maxHeight()) {
            return breach(GraphQLErrorCodes.MAX_HEIGHT_LIMIT, "height", measured.height(), limits.maxHeight());
        }
        if (measured.aliases() > limits.maxAliases()) {
            return breach(GraphQLErrorCodes.MAX_ALIASES_LIMIT, "aliases", measured.aliases(), limits.maxAliases());
        }
        if (measured.rootFields() > limits.maxRootFields()) {
            return breach(GraphQLErrorCodes.MAX_ROOT_FIELDS_LIMIT, "root fields", measured.rootFields(),
                    limits.maxRootFields());
        }
        if (measured.directives() > limits.maxDirectives()) {
            return breach(GraphQLErrorCodes.MAX_DIRECTIVES_LIMIT, "directives", measured.directives(),
                    limits.maxDirectives());
        }
        return LimitVerdict.PASS;
    }

    private static LimitVerdict breach(String code, String what, long value, int limit) {
        return new LimitVerdict.Refuse(code, "the operation's " + what + " (" + value + ") is over this endpoint's "
                + "limit of " + limit + "; simplify the operation");
    }
}

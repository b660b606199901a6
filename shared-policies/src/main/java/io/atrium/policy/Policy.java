package io.atrium.policy;

import java.util.concurrent.CompletionStage;

/**
 * The extension point every policy implements. Instances are built once per route at config load, are immutable
 * and thread-safe, and never block: synchronous decisions come back as {@link Decision#completed(Decision)} stages.
 */
public interface Policy {

    /** The policy's metric name segment, snake_case, e.g. {@code auth} or {@code rate_limit}. */
    String name();

    CompletionStage<Decision> evaluate(PolicyContext context);
}

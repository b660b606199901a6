package io.atrium.policy.resilience;

/**
 * The extension point for observing a cluster's resilience components (logs, metrics). Called synchronously on the
 * thread that caused the event (often an event loop): implementations must be quick and must not block or throw.
 */
@FunctionalInterface
public interface ResilienceListener {

    ResilienceListener NONE = event -> {
    };

    void onEvent(ResilienceEvent event);

    /** This listener, then {@code next}. */
    default ResilienceListener andThen(ResilienceListener next) {
        return event -> {
            onEvent(event);
            next.onEvent(event);
        };
    }
}

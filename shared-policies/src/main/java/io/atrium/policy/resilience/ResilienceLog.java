package io.atrium.policy.resilience;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the state changes of a cluster's resilience components (one line each; per-request events are left to the
 * metrics so that an outage does not flood the log).
 */
public final class ResilienceLog implements ResilienceListener {

    private static final Logger LOG = LoggerFactory.getLogger(ResilienceLog.class);

    @Override
    public void onEvent(ResilienceEvent event) {
        switch (event) {
            case ResilienceEvent.HealthChanged e -> LOG.warn("cluster={} endpoint={} health {} -> {}", e.cluster(), e.endpoint(), e.from(), e.to());
            case ResilienceEvent.EndpointEjected e -> LOG.warn("cluster={} endpoint={} ejected for {} ms ({}, ejection #{})",
                    e.cluster(), e.endpoint(), e.duration().toMillis(), e.reason(), e.timesEjected());
            case ResilienceEvent.EjectionCapped e -> LOG.warn("cluster={} endpoint={} not ejected ({}): the maximum ejected share is reached",
                    e.cluster(), e.endpoint(), e.reason());
            case ResilienceEvent.EndpointReturned e -> LOG.info("cluster={} endpoint={} returned from ejection", e.cluster(), e.endpoint());
            case ResilienceEvent.CircuitTransition e -> LOG.warn("cluster={} circuit {} -> {}", e.cluster(), e.from(), e.to());
            case ResilienceEvent.CircuitRejected e -> {
            }
            case ResilienceEvent.PanicRouted e -> {
            }
            case ResilienceEvent.RetryAttempted e -> {
            }
            case ResilienceEvent.RetryDenied e -> {
            }
        }
    }
}

package io.atrium.graphql.bff;

import io.atrium.graphql.subgraph.FederatedSubgraph;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a BFF's own fields to the registry at start, as any team's subgraph: {@code PUT /registry/subgraphs/{name}}
 * with the routing URL the router will call. Retries every second while the registry is unreachable (the router may
 * start after the BFF); a refusal (the fields do not compose) is logged with the registry's answer and retried every
 * 10 s, since another subgraph's publish may fix it.
 */
public final class SubgraphPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(SubgraphPublisher.class);

    private final RegistryClient registry;
    private final BffConfig.Subgraph subgraph;
    private final String sdl;
    private final String actor;
    private volatile boolean stopped;

    public SubgraphPublisher(BffConfig config, HttpClient http, FederatedSubgraph fields) {
        this.registry = new RegistryClient(http, config.registry());
        this.subgraph = config.subgraph();
        this.sdl = fields.sdl();
        this.actor = config.name();
    }

    /** Completes once the registry holds the fields (never fails; keeps retrying). */
    public CompletionStage<Void> publish() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(done, 0);
        return done;
    }

    /** No more attempts (the BFF is shutting down). */
    public void stop() {
        stopped = true;
        registry.close();
    }

    /** Consecutive refusals and the last one's status and body (attempts run one after the other). */
    private volatile int refusals;
    private volatile String lastRefusal;

    private void attempt(CompletableFuture<Void> done, int attempt) {
        if (stopped) {
            return;
        }
        registry.publish(subgraph.name(), subgraph.routingUrl(), sdl, actor).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() == 200) {
                LOG.info("own fields published to the registry as subgraph '{}' ({})", subgraph.name(),
                        subgraph.routingUrl());
                done.complete(null);
                return;
            }
            long delay = 1;
            if (failure != null) {
                if (attempt == 0) {
                    LOG.warn("registry not reachable yet; publishing subgraph '{}' again every second", subgraph.name());
                }
            } else {
                delay = 10;
                // usually a moment at start (the subgraphs its fields extend are not published yet): a warning when
                // the reason is new, an error once it has lasted a minute
                String reason = response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8);
                refusals++;
                if (!reason.equals(lastRefusal)) {
                    LOG.warn("the registry refused subgraph '{}' ({}); trying again every {} s", subgraph.name(),
                            reason, delay);
                } else if (refusals == 7) {
                    LOG.error("the registry has refused subgraph '{}' for a minute ({}); still trying every {} s",
                            subgraph.name(), reason, delay);
                }
                lastRefusal = reason;
            }
            CompletableFuture.delayedExecutor(delay, TimeUnit.SECONDS).execute(() -> attempt(done, attempt + 1));
        });
    }
}

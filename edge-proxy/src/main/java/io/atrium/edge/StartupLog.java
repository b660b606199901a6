package io.atrium.edge;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one start-up line: bound ports, route and cluster counts, config source. */
@Singleton
final class StartupLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.atrium.edge");

    private final EdgeDataPlane dataPlane;

    StartupLog(EdgeDataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        var facts = io.atrium.policy.observability.ProcessFacts.of(StartupLog.class);
        LOG.info("event=edge_started http_port={} https_port={} admin_port={} transport={} tls_provider={} routes={} clusters={} config={} {}",
                dataPlane.port(), dataPlane.tlsPort(), event.getSource().getPort(), dataPlane.transport(), dataPlane.tlsProvider(), dataPlane.config().routes().size(),
                dataPlane.config().clusters().size(), dataPlane.configSource(), facts.logFields());
        if (facts.heapWorthAWarning()) {
            LOG.warn(facts.heapWarning());
        }
    }
}

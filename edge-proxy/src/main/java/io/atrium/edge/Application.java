package io.atrium.edge;

import io.atrium.edge.config.EdgeConfigException;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.runtime.Micronaut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(Application.class)
                .banner(false)
                .mapError(BeanInstantiationException.class, Application::exitCode)
                .start();
    }

    /**
     * An invalid route file is an expected start-up failure: one structured line naming the key's path, no stack trace
     * (Micronaut would log one). Anything else keeps Micronaut's full report.
     */
    private static int exitCode(BeanInstantiationException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EdgeConfigException invalid) {
                LOG.error("event=edge_start_failed reason=invalid_config detail=\"{}\"", invalid.getMessage());
                Runtime.getRuntime().halt(2);
            }
        }
        return 1;
    }
}

package io.atrium.examples.http;

import io.atrium.examples.ExampleService;
import io.atrium.examples.RunningService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.BeanDefinitionReference;
import io.micronaut.inject.QualifiedBeanType;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts an HTTP sample service as its own small Micronaut application context. Each context sees
 * only this module's beans and the service object it is given, so several services (and the tests
 * of other Atrium modules, whose beans share the classpath) can live in one JVM without seeing each
 * other.
 */
public final class HttpServices {

    /** Set in every sample service's context; the beans of this package require it. */
    public static final String SERVICE_PROPERTY = "atrium.examples.service";

    private static final String ATRIUM_PACKAGE = "io.atrium.";
    private static final String EXAMPLES_PACKAGE = "io.atrium.examples.";

    private HttpServices() {
    }

    /**
     * @param serviceBeans the objects the service's controllers require (its subgraph, its order store)
     */
    public static RunningService start(ExampleService service, String host, int port, Object... serviceBeans) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(SERVICE_PROPERTY, service.serviceName());
        properties.put("micronaut.application.name", service.serviceName());
        properties.put("micronaut.server.host", host);
        properties.put("micronaut.server.port", port == 0 ? -1 : port);
        // GraphQL responses need their nulls and empty lists: serialize every value.
        properties.put("micronaut.serde.serialization.inclusion", "ALWAYS");
        properties.put("endpoints.all.enabled", false);
        // whole bodies, not streams: Micronaut 5.0.2's streamed-body path can spin (see bff-mobile's application.yml)
        properties.put("micronaut.server.netty.server-type", "full_content");
        ApplicationContext context = ApplicationContext.builder()
                .banner(false)
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .enableDefaultPropertySources(false)
                .environmentPropertySource(false)
                .beansPredicate(HttpServices::ownOrFramework)
                .properties(properties)
                .singletons(serviceBeans)
                .build();
        try {
            context.start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            return new MicronautService(service, context, server.getPort());
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Leaves out the beans of other Atrium modules (an edge filter must never run inside a sample service). */
    private static boolean ownOrFramework(QualifiedBeanType<?> bean) {
        String name = bean instanceof BeanDefinitionReference<?> reference
                ? reference.getBeanDefinitionName()
                : bean.getClass().getName();
        return !name.startsWith(ATRIUM_PACKAGE) || name.startsWith(EXAMPLES_PACKAGE);
    }

    private record MicronautService(ExampleService service, ApplicationContext context, int port)
            implements RunningService {

        @Override
        public URI baseUri() {
            return URI.create("http://127.0.0.1:" + port);
        }

        @Override
        public void close() {
            context.close();
        }
    }
}

package io.atrium.examples;

import java.net.URI;

/** A sample service listening on a port of this JVM; closing it stops it and frees the port. */
public interface RunningService extends AutoCloseable {

    ExampleService service();

    int port();

    /** {@code http://127.0.0.1:port} (for payments, the gRPC target's address in the same form). */
    URI baseUri();

    @Override
    void close();
}

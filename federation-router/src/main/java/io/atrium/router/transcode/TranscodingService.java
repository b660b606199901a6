package io.atrium.router.transcode;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;

/**
 * The router deployable's transcoding listener, started with the router when {@code --transcoding <file>}
 * ({@code atrium.router.transcoding}) names a transcoding config; a config that does not load stops start-up.
 */
@Context
@Requires(property = "atrium.router.transcoding", pattern = ".+")
public final class TranscodingService implements AutoCloseable {
    private final Transcoder transcoder;

    public TranscodingService(@Value("${atrium.router.transcoding}") String configFile) {
        this.transcoder = Transcoder.start(TranscodingConfigLoader.load(Path.of(configFile)));
    }

    public int port() {
        return transcoder.port();
    }

    @PreDestroy
    @Override
    public void close() {
        transcoder.close();
    }
}

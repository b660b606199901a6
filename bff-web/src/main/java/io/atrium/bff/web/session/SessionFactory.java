package io.atrium.bff.web.session;

import io.atrium.graphql.config.ConfigMaps;
import io.atrium.graphql.config.GraphQLConfigException;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Builds the session beans from bff-web's config file ({@code atrium.web.session-config}, e.g. {@code ATRIUM_WEB_SESSION_CONFIG} or
 * {@code --atrium.web.session-config=config/bff/web-session.yaml}); without a file, sessions are off (every request anonymous).
 *
 * <pre>
 * format_version: 1
 * session: { ... }       # SessionConfig
 * </pre>
 */
@Factory
final class SessionFactory {
    private static final Set<String> TOP_LEVEL = Set.of("format_version", "session");

    @Singleton
    SessionConfig sessionConfig(@Value("${atrium.web.session-config:}") String file) {
        if (file == null || file.isBlank()) {
            return SessionConfig.DISABLED;
        }
        Path path = Path.of(file);
        Map<String, Object> root;
        try (Reader reader = Files.newBufferedReader(path)) {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            root = ConfigMaps.map(loaded == null ? Map.of() : loaded, path.toString());
        } catch (IOException e) {
            throw new GraphQLConfigException("cannot read the bff-web config " + path + ": " + e.getMessage());
        }
        ConfigMaps.checkKeys(root, TOP_LEVEL, "");
        Object version = root.get("format_version");
        if (!Integer.valueOf(1).equals(version)) {
            throw new GraphQLConfigException(path + ": format_version: expected 1, got " + version);
        }
        return SessionConfig.read(root.get("session"), "session");
    }

    @Singleton
    @Bean(preDestroy = "close")
    SessionStore sessionStore(SessionConfig config, JsonMapper json) {
        return config.redisUrl() == null
                ? new InMemorySessionStore(Clock.systemUTC())
                : new RedisSessionStore(config.redisUrl(), json, Clock.systemUTC());
    }

    @Singleton
    SessionService sessionService(SessionConfig config, SessionStore store,
                                  @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        return new SessionService(config, config.enabled() ? new OidcClient(config, Clock.systemUTC()) : null, store,
                blocking, Clock.systemUTC());
    }
}

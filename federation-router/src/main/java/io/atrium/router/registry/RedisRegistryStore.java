package io.atrium.router.registry;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registry in Redis, shared by every router instance: the state as one JSON value and its version beside it,
 * replaced by one Lua script that compares the version and sets both (so no update is ever lost), and announces the
 * new version on a pub/sub channel; instances that miss an announcement catch up by polling the version.
 * Keys: {@code <prefix>state}, {@code <prefix>version}; channel {@code <prefix>changes}.
 */
public final class RedisRegistryStore implements RegistryStore {
    private static final String COMPARE_AND_SET = """
            local current = redis.call('GET', KEYS[2])
            if (current or '0') ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[3])
            redis.call('SET', KEYS[2], ARGV[2])
            redis.call('PUBLISH', KEYS[3], ARGV[2])
            return 1
            """;

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final String stateKey;
    private final String versionKey;
    private final String channel;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile RegistryState cached = RegistryState.EMPTY;

    private RedisRegistryStore(RedisClient client, String prefix) {
        this.client = client;
        this.stateKey = prefix + "state";
        this.versionKey = prefix + "version";
        this.channel = prefix + "changes";
        this.connection = client.connect();
        this.pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                listeners.forEach(Runnable::run);
            }
        });
        pubSub.sync().subscribe(channel);
    }

    /** Connects to {@code uri} ({@code redis://host:port}, credentials in the URI); keys start with {@code prefix}. */
    public static RedisRegistryStore connect(String uri, String prefix, Duration timeout) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(timeout);
        return new RedisRegistryStore(RedisClient.create(redisUri), prefix);
    }

    @Override
    public long version() {
        String version;
        try {
            version = connection.sync().get(versionKey);
        } catch (RedisException e) {
            throw unavailable(e);
        }
        return version == null ? 0 : Long.parseLong(version);
    }

    @Override
    public RegistryState read() {
        try {
            return readState();
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    private RegistryUnavailableException unavailable(RedisException e) {
        return new RegistryUnavailableException("the registry store (Redis) is unreachable: " + e.getMessage(), e);
    }

    private RegistryState readState() {
        long version = version();
        RegistryState current = cached;
        if (current.version() == version) {
            return current;
        }
        String json = connection.sync().get(stateKey);
        RegistryState state = json == null ? RegistryState.EMPTY : RegistryCodec.read(json);
        cached = state;
        return state;
    }

    @Override
    public boolean compareAndSet(long expectedVersion, RegistryState next) {
        Long stored;
        try {
            stored = connection.sync().eval(COMPARE_AND_SET, ScriptOutputType.INTEGER,
                    new String[] {stateKey, versionKey, channel}, Long.toString(expectedVersion),
                    Long.toString(next.version()), RegistryCodec.write(next));
        } catch (RedisException e) {
            throw unavailable(e);
        }
        return stored != null && stored == 1L;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        pubSub.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}

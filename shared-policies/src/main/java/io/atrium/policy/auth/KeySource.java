package io.atrium.policy.auth;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Where the keys that verify JWT signatures come from. */
public sealed interface KeySource {

    /**
     * Keys published as a JWKS document at {@code url}, fetched asynchronously and cached.
     *
     * @param url the JWKS document
     * @param refreshInterval how old the cached keys may get before a background refresh (default 5 min)
     * @param minimumRefreshInterval at most one fetch per this interval, also when tokens name unknown {@code kid}s (default 30 s)
     * @param fetchTimeout connect and response timeout of one fetch (default 5 s)
     */
    record Jwks(URI url, Duration refreshInterval, Duration minimumRefreshInterval, Duration fetchTimeout) implements KeySource {

        public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);
        public static final Duration DEFAULT_MINIMUM_REFRESH_INTERVAL = Duration.ofSeconds(30);
        public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(5);

        public Jwks {
            Objects.requireNonNull(url, "url");
            refreshInterval = Objects.requireNonNullElse(refreshInterval, DEFAULT_REFRESH_INTERVAL);
            minimumRefreshInterval = Objects.requireNonNullElse(minimumRefreshInterval, DEFAULT_MINIMUM_REFRESH_INTERVAL);
            fetchTimeout = Objects.requireNonNullElse(fetchTimeout, DEFAULT_FETCH_TIMEOUT);
        }

        public static Jwks of(URI url) {
            return new Jwks(url, null, null, null);
        }
    }

    /**
     * Keys given in config. Each entry is a JWK (JSON object), a JWK Set ({@code {"keys":[...]}}) or a PEM
     * {@code PUBLIC KEY} (RSA, EC P-256/384/521 or Ed25519). HMAC secrets are given as {@code oct} JWKs.
     */
    record Static(List<String> keys) implements KeySource {

        public Static {
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("static key source needs at least one key");
            }
        }

        public static Static of(String... keys) {
            return new Static(List.of(keys));
        }
    }
}

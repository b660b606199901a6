package io.atrium.policy.ratelimit;

import java.util.Objects;

/**
 * What a rate limit counts by. When the request has no value for the key (an anonymous caller for
 * {@link Consumer}/{@link Subject}, a missing header for {@link Header}) it is counted by client address instead.
 */
public sealed interface RateLimitKey {

    /** The authenticated consumer (falling back to the subject, then the client address). */
    record Consumer() implements RateLimitKey {
    }

    /** The authenticated subject. */
    record Subject() implements RateLimitKey {
    }

    /** The client address ({@code X-Forwarded-For} only from trusted proxies). */
    record ClientIp() implements RateLimitKey {
    }

    /** One bucket for the whole route. */
    record Route() implements RateLimitKey {
    }

    /** The value of a request header. */
    record Header(String name) implements RateLimitKey {
        public Header {
            Objects.requireNonNull(name, "name");
        }
    }
}

package io.atrium.policy.cache;

import io.atrium.policy.HttpHeader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * A stored response: status, end-to-end headers and body, with the times its freshness is computed from and the
 * request header values it varies on. Immutable (the body array is never exposed).
 */
public final class CachedResponse {

    private final int status;
    private final List<HttpHeader> headers;
    private final byte[] body;
    private final long responseTimeMillis;
    private final long correctedInitialAgeMillis;
    private final long freshnessLifetimeMillis;
    private final long staleIfErrorMillis;
    private final List<String> varyNames;
    private final List<String> varyValues;

    CachedResponse(int status, List<HttpHeader> headers, byte[] body, long responseTimeMillis, long correctedInitialAgeMillis,
                   long freshnessLifetimeMillis, long staleIfErrorMillis, List<String> varyNames, List<String> varyValues) {
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body.clone();
        this.responseTimeMillis = responseTimeMillis;
        this.correctedInitialAgeMillis = correctedInitialAgeMillis;
        this.freshnessLifetimeMillis = freshnessLifetimeMillis;
        this.staleIfErrorMillis = staleIfErrorMillis;
        this.varyNames = List.copyOf(varyNames);
        this.varyValues = List.copyOf(varyValues);
    }

    public int status() {
        return status;
    }

    /** The stored end-to-end headers (hop-by-hop headers, {@code Age} and {@code X-Cache} removed). */
    public List<HttpHeader> headers() {
        return headers;
    }

    /** The body, read-only. */
    public ByteBuffer body() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    public int bodyLength() {
        return body.length;
    }

    /** RFC 9111 §4.2.3 current age at {@code nowMillis}. */
    public long ageMillis(long nowMillis) {
        return correctedInitialAgeMillis + Math.max(0, nowMillis - responseTimeMillis);
    }

    public long freshnessLifetimeMillis() {
        return freshnessLifetimeMillis;
    }

    public boolean fresh(long nowMillis) {
        return freshnessLifetimeMillis > ageMillis(nowMillis);
    }

    /** Whether the entry may still be served when the upstream fails (stale, within its stale-if-error window). */
    public boolean usableOnError(long nowMillis) {
        return ageMillis(nowMillis) < freshnessLifetimeMillis + staleIfErrorMillis;
    }

    /** The wall-clock time after which the entry is of no use at all (fresh, or stale within its window). */
    public long usableUntilMillis() {
        long remaining = freshnessLifetimeMillis + staleIfErrorMillis - correctedInitialAgeMillis;
        return responseTimeMillis + Math.max(0, remaining);
    }

    /** The request headers named by {@code Vary}, lower case. */
    public List<String> varyNames() {
        return varyNames;
    }

    /** True when the response was selected by the same values of the {@code Vary} headers as {@code other}. */
    public boolean sameVariant(CachedResponse other) {
        return varyNames.equals(other.varyNames) && varyValues.equals(other.varyValues);
    }

    /** True when {@code values} (the request's values of {@link #varyNames()}, normalized) select this response. */
    boolean matches(List<String> values) {
        return varyValues.equals(values);
    }

    /** Approximate memory held, for the store's size bound. */
    public int weight() {
        long size = 128L + body.length;
        for (HttpHeader header : headers) {
            size += 48 + header.name().length() + header.value().length();
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    @Override
    public String toString() {
        return "CachedResponse[" + status + ", " + body.length + " bytes, vary " + varyNames + "=" + varyValues + "]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(System.identityHashCode(this));
    }
}

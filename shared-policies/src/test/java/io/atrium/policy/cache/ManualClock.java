package io.atrium.policy.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A wall clock tests move by hand. */
final class ManualClock implements InstantSource {

    private volatile Instant now = Instant.parse("2026-11-22T08:00:00Z");

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }
}

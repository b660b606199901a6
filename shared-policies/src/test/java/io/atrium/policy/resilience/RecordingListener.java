package io.atrium.policy.resilience;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event, for assertions. */
final class RecordingListener implements ResilienceListener {

    final List<ResilienceEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(ResilienceEvent event) {
        events.add(event);
    }

    <T extends ResilienceEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}

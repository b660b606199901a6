package io.atrium.edge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the route file's directory and calls back when the file is written, created or replaced (editors and
 * Kubernetes ConfigMaps replace files via renames and symlinks, hence the directory). Events for the file within 200 ms of each other (at most 1 s) are coalesced.
 * Runs on one virtual thread, never on an event loop.
 */
final class ConfigWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final long SETTLE_MILLIS = 200;
    private static final long MAX_SETTLE_MILLIS = 1_000;

    private final WatchService service;
    private final Thread thread;

    private ConfigWatcher(WatchService service, Path file, Runnable onChange) {
        this.service = service;
        this.thread = Thread.ofVirtual().name("atrium-edge-config-watch").start(() -> run(file, onChange));
    }

    static ConfigWatcher start(Path file, Runnable onChange) {
        Path absolute = file.toAbsolutePath();
        try {
            WatchService service = FileSystems.getDefault().newWatchService();
            absolute.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            return new ConfigWatcher(service, absolute, onChange);
        } catch (IOException e) {
            LOG.warn("cannot watch {} for changes; reload with POST /config/reload: {}", absolute, e.toString());
            return null;
        }
    }

    private void run(Path file, Runnable onChange) {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean relevant = concerns(key, file);
                key.reset();
                if (!relevant) {
                    continue;
                }
                // Coalesce the burst of events one save produces (other files in the directory do not count), then reload once.
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MILLIS);
                long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
                long now;
                while ((now = System.nanoTime()) < Math.min(quietUntil, deadline)) {
                    WatchKey more = service.poll(Math.min(quietUntil, deadline) - now, TimeUnit.NANOSECONDS);
                    if (more != null) {
                        if (concerns(more, file)) {
                            quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
                        }
                        more.reset();
                    }
                }
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    LOG.error("reloading {} failed", file, e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private static boolean concerns(WatchKey key, Path file) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                relevant = true;
            } else if (event.context() instanceof Path changed) {
                String name = changed.getFileName().toString();
                // Kubernetes ConfigMap volumes swap a "..data" symlink rather than the file itself.
                relevant |= name.equals(file.getFileName().toString()) || name.startsWith("..");
            }
        }
        return relevant;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // nothing left to do
        }
        thread.interrupt();
    }
}

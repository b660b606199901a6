package io.atrium.systemtests;

import redis.embedded.RedisServer;

import java.io.IOException;

/**
 * A real redis-server (embedded-redis's binary) on a fixed loopback port that can be stopped and started again there,
 * empty each time (no snapshot, no append-only file), as a Redis without persistence restarts.
 */
final class Redis implements AutoCloseable {

    final int port;
    private RedisServer server;

    Redis() throws IOException {
        port = JavaProcess.freePort();
        start();
    }

    void start() throws IOException {
        server = RedisServer.builder().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no")
                .build();
        server.start();
    }

    void stop() throws IOException {
        server.stop();
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
        if (server.isActive()) {
            server.stop();
        }
    }
}

package io.atrium.router.registry;

/**
 * One trusted operation of a client's manifest (Apollo's persisted query manifest: {@code id}, {@code name},
 * {@code type}, {@code body}).
 */
public record RegisteredOperation(String id, String name, String type, String body) {
}

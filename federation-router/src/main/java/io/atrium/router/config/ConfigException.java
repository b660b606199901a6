package io.atrium.router.config;

/** An invalid router config; the message names the key path. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}

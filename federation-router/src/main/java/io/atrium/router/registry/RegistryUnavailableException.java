package io.atrium.router.registry;

/**
 * The registry's store cannot be read or written right now (Redis down, a command timed out): the admin API answers
 * 503 {@code REGISTRY_UNAVAILABLE} and nothing is stored; followers keep the supergraph they serve.
 */
public final class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}

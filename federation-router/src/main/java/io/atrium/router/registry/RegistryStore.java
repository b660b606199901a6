package io.atrium.router.registry;

/**
 * Where a registry keeps its state. Writes are compare-and-set on the version, so concurrent publishers (threads,
 * processes or router instances sharing the store) never lose an update: the loser re-reads and tries again.
 */
public interface RegistryStore extends AutoCloseable {

    /** The current state ({@link RegistryState#EMPTY} for a new store). */
    RegistryState read();

    /**
     * Stores {@code next} if the stored version is still {@code expectedVersion}; returns false (and stores
     * nothing) when another writer got there first.
     */
    boolean compareAndSet(long expectedVersion, RegistryState next);

    @Override
    default void close() {
    }
}

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

    /** The stored version: cheap to ask for, so followers poll it and read the state only when it moved. */
    default long version() {
        return read().version();
    }

    /**
     * Calls {@code listener} (on a thread of the store's) soon after any writer, here or elsewhere, changes the state,
     * where the store can announce changes; followers still poll {@link #version} to catch up on a missed one.
     */
    default void onChange(Runnable listener) {
    }

    @Override
    default void close() {
    }
}

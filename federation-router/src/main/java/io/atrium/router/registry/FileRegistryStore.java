package io.atrium.router.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry in a directory: {@code registry.json} replaced atomically on every change (written beside it, then
 * moved over it), so a crash never leaves half a file and readers never see one. Compare-and-set holds a lock file
 * ({@code registry.lock}) so that several processes sharing the directory also never lose an update; within one
 * process (where file locks do not exclude) the stores of one directory share a lock.
 */
public final class FileRegistryStore implements RegistryStore {
    private static final String FILE = "registry.json";
    private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path directory;
    private final Path file;
    private final ReentrantLock lock;
    private volatile Cached cached;

    public FileRegistryStore(Path directory) {
        this.directory = directory;
        this.file = directory.resolve(FILE);
        this.lock = LOCKS.computeIfAbsent(directory.toAbsolutePath().normalize(), k -> new ReentrantLock());
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("registry directory " + directory + " cannot be created", e);
        }
    }

    @Override
    public RegistryState read() {
        try {
            if (!Files.exists(file)) {
                return RegistryState.EMPTY;
            }
            // the file is only ever replaced whole (a new inode): same modification time and size, same state
            java.nio.file.attribute.BasicFileAttributes attributes = Files.readAttributes(file,
                    java.nio.file.attribute.BasicFileAttributes.class);
            Cached cached = this.cached;
            if (cached != null && cached.modified().equals(attributes.lastModifiedTime())
                    && cached.size() == attributes.size() && java.util.Objects.equals(cached.key(), attributes.fileKey())) {
                return cached.state();
            }
            RegistryState state = RegistryCodec.read(Files.readString(file));
            this.cached = new Cached(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey(), state);
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException("registry file " + file + " cannot be read", e);
        }
    }

    private record Cached(java.nio.file.attribute.FileTime modified, long size, Object key, RegistryState state) {
    }

    @Override
    public boolean compareAndSet(long expectedVersion, RegistryState next) {
        lock.lock();
        try (FileChannel channel = FileChannel.open(directory.resolve("registry.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
            if (read().version() != expectedVersion) {
                return false;
            }
            Path temp = Files.createTempFile(directory, "registry", ".tmp");
            Files.writeString(temp, RegistryCodec.write(next), StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("registry file " + file + " cannot be written", e);
        } finally {
            lock.unlock();
        }
    }
}

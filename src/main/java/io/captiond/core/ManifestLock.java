package io.captiond.core;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Every write of a dataset's manifest goes through here, one at a time per dataset: the packager
 * writes a new round's manifest while the upload stage read-modify-writes the current one, and
 * without the lock the upload's copy of an older manifest could overwrite the new round's.
 */
@Component
public class ManifestLock {

    /** A manifest write: reads and writes files, may fail. */
    @FunctionalInterface
    public interface Write {
        void run() throws IOException;
    }

    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public void write(String dataset, Write write) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(dataset, d -> new ReentrantLock());
        lock.lock();
        try {
            write.run();
        } finally {
            lock.unlock();
        }
    }
}

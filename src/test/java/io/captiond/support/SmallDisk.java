package io.captiond.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system (tmpfs) mounted on a test folder, to fill up on purpose: the only honest
 * way to get "No space left on device" from the kernel. Needs root (CI runs as root); {@link #mount}
 * returns null with the reason in {@link #whyNot} where it cannot be made, and tests skip visibly.
 */
public final class SmallDisk implements AutoCloseable {

    public static volatile String whyNot = "";

    private final Path dir;
    private final Path filler;

    private SmallDisk(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler.bin"); // a plain name: captiond never looks at work/ top-level files
    }

    public static SmallDisk mount(Path dir, String size) {
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                whyNot = "cannot mount a tmpfs on " + dir + " (needs root): " + said.strip();
                return null;
            }
            return new SmallDisk(dir);
        } catch (IOException e) {
            whyNot = "cannot run mount: " + e.getMessage();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            whyNot = "interrupted";
            return null;
        }
    }

    /** Writes until the kernel says the disk is full. */
    public synchronized void fill() {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // "No space left on device": that was the point; small writes still fail as the page is gone
        }
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < 4096; i++) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // the last partial page is used up too
        }
    }

    /** Space returns. */
    public synchronized void free() {
        try {
            Files.deleteIfExists(filler);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Remounts the file system read-only (EROFS for every write) or writable again. */
    public void readOnly(boolean readOnly) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mount", "-o", "remount," + (readOnly ? "ro" : "rw"), dir.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("remount of " + dir + " failed: " + said);
        }
    }

    /** Lazy unmount: a daemon still running in the JVM may hold the folder open. */
    @Override
    public void close() {
        try {
            new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing more to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

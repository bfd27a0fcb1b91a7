package io.captiond.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An outside program (libheif, ffmpeg, ffprobe) run out of process: a crash or hang on a hostile
 * file kills one child process, never the daemon. At most {@code parallelism} runs at once (each
 * may use several threads of its own); one that outlives {@code timeout} is killed together with
 * anything it started. Output goes to temporary files, so a chatty program can never block on a
 * full pipe, and only a bounded tail of it is kept.
 */
public final class ExternalProcess {

    /** Enough for any tool's error text; bounded whatever a file makes it print. */
    private static final int ERROR_TAIL = 16 * 1024;

    /**
     * Every child running now, across all tools. Children die with the daemon: Java has no
     * {@code prctl(PR_SET_PDEATHSIG)}, so one JVM shutdown hook kills them (SIGTERM, Ctrl-C, a normal
     * exit); after a {@code kill -9}, which runs no hook, a tool that records its children (see
     * {@code LibHeif}) cleans up at the next start.
     */
    private static final Set<ExternalProcess> ALL = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static volatile boolean jvmStopping;

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                jvmStopping = true;
                synchronized (ALL) {
                    ALL.forEach(ExternalProcess::stopChildren);
                }
            }, "captiond-children"));
        } catch (IllegalStateException shuttingDown) {
            jvmStopping = true; // loaded while the JVM stops: it will start no child
        }
    }

    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    private final String tool;
    private final Duration timeout;
    private final Semaphore slots;
    private final BiConsumer<Process, Path> onStart;
    private volatile Map<String, String> environment = Map.of();

    public ExternalProcess(String tool, Duration timeout, int parallelism) {
        this(tool, timeout, parallelism, (process, dir) -> { });
    }

    /** {@code onStart} sees each child and its working folder as soon as it runs (to record its pid, say). */
    public ExternalProcess(String tool, Duration timeout, int parallelism, BiConsumer<Process, Path> onStart) {
        this.tool = tool;
        this.timeout = timeout;
        this.slots = new Semaphore(parallelism, true);
        this.onStart = onStart;
        ALL.add(this);
    }

    /** Variables added to each child's environment (the daemon's own are inherited). */
    public ExternalProcess withEnvironment(Map<String, String> variables) {
        this.environment = Map.copyOf(variables);
        return this;
    }

    /** Shutdown: running children are killed and no new one starts; their work is left for the next start. */
    public void stopChildren() {
        stopping = true;
        running.forEach(ExternalProcess::killTree);
    }

    private boolean stopping() {
        return stopping || jvmStopping;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * What one run printed and its exit code. {@code output} is stdout (up to the limit the caller
     * asked for) or, when errors were merged, stdout and stderr together; {@code errors} is the tail
     * of stderr when kept apart.
     */
    public record Run(int exitCode, String output, String errors) {

        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** The program could not be started at all (not installed, not executable). */
    public static final class CannotStart extends IOException {
        public CannotStart(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The program ran longer than the timeout and was killed. */
    public static final class TimedOut extends IOException {
        public TimedOut(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code commandLine} in {@code dir} once a slot is free. With {@code mergeErrors} stderr
     * joins stdout (libheif writes its errors to either); otherwise stdout is read up to
     * {@code maxOutput} bytes (ffprobe's JSON) and stderr's tail is kept apart.
     *
     * @throws StoppingException when interrupted (captiond is stopping); the process is killed
     */
    public Run run(List<String> commandLine, Path dir, boolean mergeErrors, int maxOutput) throws IOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppingException("waiting for a " + tool + " slot", e);
        }
        Path out = Files.createTempFile(dir, tool, ".out");
        Path err = mergeErrors ? out : Files.createTempFile(dir, tool, ".err");
        try {
            return runIn(commandLine, dir, mergeErrors, out, err, maxOutput);
        } finally {
            slots.release();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private Run runIn(List<String> commandLine, Path dir, boolean merge, Path out, Path err, int maxOutput)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(commandLine).directory(dir.toFile()).redirectOutput(out.toFile());
        builder.environment().putAll(environment);
        if (merge) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(err.toFile());
        }
        if (stopping()) {
            throw new StoppingException("a " + tool + " run (captiond is stopping)", null);
        }
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close(); // nothing to read on stdin
        } catch (IOException e) {
            throw new CannotStart(e.getMessage().replaceFirst("^Cannot run program \"[^\"]*\": ", ""), e);
        }
        running.add(process);
        try {
            onStart.accept(process, dir);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw new TimedOut(tool + " took longer than " + timeout.toSeconds() + " s and was stopped");
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new StoppingException("a " + tool + " run", e);
        } finally {
            running.remove(process);
        }
        if (stopping()) {
            throw new StoppingException("a " + tool + " run (captiond is stopping)", null);
        }
        String output = merge ? tail(out, ERROR_TAIL) : head(out, maxOutput);
        return new Run(process.exitValue(), output, merge ? "" : tail(err, ERROR_TAIL));
    }

    /**
     * Null when {@code command} can be started, else why not. Starting is the whole check, so it does
     * not wait for the run (output discarded; the JDK reaps it, one still running after 10 s is
     * stopped): waiting for the start-up checks of heif-convert, ffprobe and ffmpeg held the
     * context's started event for 0.27-0.34 s; without the wait it takes 0.08-0.14 s.
     */
    public static String whyNotStartable(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.onExit().orTimeout(10, TimeUnit.SECONDS).whenCompleteAsync((ended, late) -> {
                if (late != null) {
                    killTree(p);
                }
            });
            return null;
        } catch (IOException e) {
            return e.getMessage().replaceFirst("^Cannot run program \"[^\"]*\": ", "");
        }
    }

    private static String head(Path file, int max) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), max));
            while (b.hasRemaining() && ch.read(b) > 0) {
                // read up to the limit
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    private static String tail(Path file, int max) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long from = Math.max(0, ch.size() - max);
            ByteBuffer b = ByteBuffer.allocate((int) (ch.size() - from));
            while (b.hasRemaining() && ch.read(b, from + b.position()) > 0) {
                // read to the end
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    private static void killTree(Process process) {
        List<ProcessHandle> children = process.descendants().toList(); // before the parent dies and they are reparented
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.captiond.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs target/captiond.jar in its own JVM, as a user or a cron job would, and keeps its output. */
public final class CaptiondJar {

    private CaptiondJar() {
    }

    /** How a run ended: exit code, wall time and everything it printed. */
    public record Run(int exitCode, long millis, String output) {
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("captiond.jar", "target/captiond.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the build with 'verify'");
        }
        return jar;
    }

    /** Starts the daemon with {@code args}, from {@code workingDir}; the caller waits or kills it. */
    public static Process start(Path workingDir, Path log, List<String> args) throws IOException {
        return start(workingDir, log, args, java.util.Map.of());
    }

    /** As {@link #start(Path, Path, List)}, with extra environment variables (a token, as users export it). */
    public static Process start(Path workingDir, Path log, List<String> args, java.util.Map<String, String> env)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-jar", jar().toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    public static Run run(Path workingDir, List<String> args, long timeoutSeconds) throws Exception {
        return run(workingDir, args, java.util.Map.of(), timeoutSeconds);
    }

    public static Run run(Path workingDir, List<String> args, java.util.Map<String, String> env, long timeoutSeconds)
            throws Exception {
        Path log = Files.createTempFile(workingDir, "captiond-", ".log");
        long started = System.nanoTime();
        Process process = start(workingDir, log, args, env);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("captiond did not finish within " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), (System.nanoTime() - started) / 1_000_000, Files.readString(log));
    }

    /** The four folder properties pointing into {@code root}. */
    public static List<String> folderArgs(Path root) {
        return List.of("--captiond.inbox=" + root.resolve("inbox"), "--captiond.work=" + root.resolve("work"),
                "--captiond.outbox=" + root.resolve("outbox"), "--captiond.failed=" + root.resolve("failed"));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

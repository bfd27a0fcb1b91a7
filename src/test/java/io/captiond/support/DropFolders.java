package io.captiond.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A set of captiond folders in a temporary directory, and the user's moves on them: drop a photo,
 * drop trigger.done, wait for the zip. Tests read like the folder contract they check.
 */
public final class DropFolders {

    private final Path root;

    public DropFolders(Path root) {
        this.root = root;
        try {
            Files.createDirectories(inbox());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points the daemon at these folders, with a short quiet period so tests run fast. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("captiond.inbox", () -> inbox().toString());
        registry.add("captiond.work", () -> root.resolve("work").toString());
        registry.add("captiond.outbox", () -> root.resolve("outbox").toString());
        registry.add("captiond.failed", () -> root.resolve("failed").toString());
        registry.add("captiond.watch.poll-interval", () -> "100ms");
        registry.add("captiond.watch.quiet-period", () -> "300ms");
        registry.add("camel.main.routes-include-pattern", () -> "file:routes/*.camel.yaml");
        registry.add("server.port", () -> "0");
        registry.add("captiond.provider", () -> "basic"); // a key in the developer's environment must not make tests call out
        registry.add("camel.main.shutdown-timeout", () -> "5"); // a test class's daemon stops quickly when it is closed
    }

    /**
     * Lets {@code captiond.provider=auto} choose from the given settings alone: every key from the
     * developer's environment is blanked, rate windows are a second long so tests run fast.
     */
    public void registerAuto(DynamicPropertyRegistry registry, Map<String, Supplier<Object>> settings) {
        register(registry);
        registry.add("captiond.provider", () -> "auto");
        for (String key : new String[] {"captiond.gemini.api-key", "captiond.openai.api-key", "captiond.replicate.api-token"}) {
            registry.add(key, () -> "");
        }
        registry.add("captiond.rate.window", () -> "1s");
        settings.forEach(registry::add);
    }

    public Path root() {
        return root;
    }

    public Path inbox() {
        return root.resolve("inbox");
    }

    public Path inbox(String dataset) {
        return inbox().resolve(dataset);
    }

    public Path work(String dataset) {
        return root.resolve("work").resolve(dataset);
    }

    public Path failed(String dataset) {
        return root.resolve("failed").resolve(dataset);
    }

    public Path zip(String trigger) {
        return root.resolve("outbox").resolve(trigger + "_training.zip");
    }

    public Path manifest(String trigger) {
        return root.resolve("outbox").resolve(trigger + "_training.json");
    }

    /** Copies a fixture into inbox/&lt;dataset&gt;/ under {@code asName}, the way a NAS copy would land. */
    public Path drop(String dataset, Path fixture, String asName) {
        try {
            Path target = inbox(dataset).resolve(asName);
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(".incoming-" + target.getFileName());
            Files.copy(fixture, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path drop(String dataset, String fixtureName) {
        return drop(dataset, Fixtures.image(fixtureName), fixtureName);
    }

    public Path write(String dataset, String name, String text) {
        return write(dataset, name, text.getBytes(StandardCharsets.UTF_8));
    }

    public Path write(String dataset, String name, byte[] bytes) {
        try {
            Path target = inbox(dataset).resolve(name);
            Files.createDirectories(target.getParent());
            return Files.write(target, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void trigger(String dataset) {
        write(dataset, "trigger.done", "");
    }

    /** Waits until work/&lt;dataset&gt;/ holds {@code count} caption sidecars. */
    public void awaitCaptions(String dataset, int count, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> list(work(dataset)).stream().filter(n -> n.endsWith(".txt")).count() >= count);
    }

    /** Waits for the manifest (written after the zip) and returns the zip's entries and contents. */
    public Map<String, byte[]> awaitZip(String trigger, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(manifest(trigger)));
        return zipContents(zip(trigger));
    }

    public static Map<String, byte[]> zipContents(Path zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                entries.put(entry.getName(), file.getInputStream(entry).readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    public List<String> list(Path dir) {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var stream = Files.list(dir)) {
                stream.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }
}

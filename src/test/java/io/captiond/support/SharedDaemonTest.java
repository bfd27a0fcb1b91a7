package io.captiond.support;

import io.captiond.CaptiondApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running daemon (the real routes, the embedded offline captioner, fast polling) shared by every
 * test class that needs nothing else: their configuration is this class's, so Spring's test context
 * cache starts it once for all of them. Each test works on datasets of its own, as users share one
 * inbox; a test that needs scratch files keeps them outside {@link #folders}' root.
 */
@CamelSpringBootTest
@AutoConfigureObservability // /actuator/prometheus, as the daemon serves it
@SpringBootTest(classes = CaptiondApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class SharedDaemonTest {

    /** The daemon's four folders, for the whole test run (removed when the JVM exits). */
    protected static final DropFolders folders = new DropFolders(sharedRoot());

    @DynamicPropertySource
    static void sharedDaemonFolders(DynamicPropertyRegistry registry) {
        folders.register(registry);
    }

    @LocalServerPort
    protected int port;

    private static Path sharedRoot() {
        try {
            Path root = Files.createTempDirectory("captiond-shared-daemon-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // the daemon may still be writing while the JVM exits: what is left stays in the temp folder
        }
    }
}

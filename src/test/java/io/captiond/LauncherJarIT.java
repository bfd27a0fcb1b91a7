package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.captiond.support.CaptiondJar;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/captiond}, the launcher the README and the Docker image use: its first start of a jar
 * prepares the extracted jar and a class data sharing archive beside it, and later starts load
 * captiond's classes from that archive and run the jar's Spring AOT code. Every run does the real
 * work of a once-mode run or serves as the daemon does.
 */
class LauncherJarIT {

    /** One jar (and so one prepared archive) for the class: preparing takes a training run. */
    @TempDir
    static Path jars;

    @TempDir
    Path root;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theFirstStartPreparesTheArchiveAndTheNextStartLoadsCaptiondFromIt() throws Exception {
        Path jar = jar();
        DropFolders folders = new DropFolders(root);
        folders.drop("cds_check", Fixtures.image("Landscape_6.jpg"), "IMG_0001.jpg");

        String first = launch(jar, "-Xmx512m");
        assertThat(first).doesNotContain("could not prepare");
        Path cds = jars.resolve("captiond.jar.cds");
        assertThat(cds.resolve("captiond.jsa")).isRegularFile();
        assertThat(cds.resolve("lib")).isDirectory();
        assertThat(folders.work("cds_check").resolve("IMG_0001.txt")).isRegularFile();

        folders.drop("cds_check", Fixtures.image("Portrait_5.jpg"), "IMG_0002.jpg");
        folders.trigger("cds_check");
        Path classLog = root.resolve("classes.log");
        String second = launch(jar, "-Xmx512m -XX:+PrintFlagsFinal -Xlog:class+load=info:file=" + classLog);
        assertThat(folders.zip("cds_check")).isRegularFile();
        // the JVM names where each class came from: captiond's own came from the archive, not the jar,
        // and so did what only starts after the context is built (the training run started the routes)
        List<String> classes = Files.readAllLines(classLog);
        assertThat(classes).anyMatch(l -> l.contains("io.captiond.CaptiondApplication ") && l.contains("shared objects file"));
        assertThat(classes).anyMatch(l -> l.contains("org.apache.camel.component.file.GenericFileConsumer ")
                && l.contains("shared objects file"));
        // the JIT's quick tier only, unless CAPTIOND_JIT=full
        assertThat(second.lines().filter(l -> l.contains(" TieredStopAtLevel ")))
                .singleElement().satisfies(l -> assertThat(l).containsPattern("=\\s+1\\s"));
        // and one compiler thread on two cores or fewer, where more kept the main thread waiting for a core
        if (cores() <= 2) {
            assertThat(second.lines().filter(l -> l.contains(" CICompilerCount ")))
                    .singleElement().satisfies(l -> assertThat(l).containsPattern("=\\s+1\\s"));
        }
        // the bean definitions came from the jar's AOT code, once mode's own variant: no web server
        assertThat(second).contains("Starting AOT-processed CaptiondBatch").doesNotContain("Tomcat");
    }

    @Test
    void aDaemonWithTheStationSwitchedOffServesNoStationUnderAot() throws Exception {
        int port = freePort();
        // a variable of the machine's own that reads like a switch (foo.enabled) is not a framework setting
        Process daemon = start(jar(), Map.of("NAS_TELEMETRY_ENABLED", "true"), "--server.port=" + port,
                "--captiond.ui.enabled=false");
        try {
            awaitOk(port, "/actuator/health");
            assertThat(status(port, "/")).isEqualTo(404);
            assertThat(status(port, "/api/datasets")).isEqualTo(404);
            assertThat(status(port, "/login")).isEqualTo(404);
            assertThat(root.resolve("work/.captiond/ui-password")).doesNotExist();
        } finally {
            stop(daemon);
        }
        assertThat(Files.readString(root.resolve("daemon.log"))).contains("Starting AOT-processed CaptiondApplication");
    }

    @Test
    void aFrameworkSwitchThatAotFixedIsRefusedAndCaptiondAotOffAcceptsIt() throws Exception {
        Process refused = start(jar(), Map.of(), "--server.port=" + freePort(),
                "--management.endpoints.web.exposure.include=health,metrics");
        assertThat(refused.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(root.resolve("daemon.log"));
        assertThat(refused.exitValue()).as(output).isNotZero();
        assertThat(output).contains("APPLICATION FAILED TO START").contains(
                "management.endpoints.web.exposure.include=health,metrics (built with health,info,prometheus)")
                .contains("CAPTIOND_AOT=off");

        int port = freePort();
        Process plain = start(jar(), Map.of("CAPTIOND_AOT", "off"), "--server.port=" + port,
                "--management.endpoints.web.exposure.include=health,metrics");
        try {
            awaitOk(port, "/actuator/metrics");
        } finally {
            stop(plain);
        }
        assertThat(Files.readString(root.resolve("daemon.log"))).doesNotContain("AOT-processed");
    }

    private static Path jar() throws Exception {
        Path jar = jars.resolve("captiond.jar");
        if (!Files.exists(jar)) {
            Files.copy(CaptiondJar.jar(), jar, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return jar;
    }

    /** The cores bin/captiond counts ({@code nproc}: the JVM's own count also follows CPU quotas). */
    private static int cores() throws Exception {
        Process nproc = new ProcessBuilder("nproc").redirectErrorStream(true).start();
        String out = new String(nproc.getInputStream().readAllBytes()).trim();
        nproc.waitFor(10, TimeUnit.SECONDS);
        return Integer.parseInt(out);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int status(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Waits for the daemon to answer {@code path} with 200 (connections are refused until Tomcat listens). */
    private static void awaitOk(int port, String path) {
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                .untilAsserted(() -> assertThat(status(port, path)).isEqualTo(200));
    }

    private static void stop(Process daemon) throws InterruptedException {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts bin/captiond as the daemon over the folders under {@code root}, its output in daemon.log. */
    private Process start(Path jar, Map<String, String> env, String... args) throws Exception {
        new DropFolders(root); // the inbox must exist, as on a mounted share; captiond makes the rest
        List<String> command = new ArrayList<>(List.of(Path.of("bin/captiond").toAbsolutePath().toString()));
        command.addAll(CaptiondJar.folderArgs(root));
        command.add("--captiond.provider=basic");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(root.resolve("daemon.log").toFile());
        builder.environment().putAll(env);
        builder.environment().putAll(launcherEnvironment(jar, "-Xmx512m"));
        return builder.start();
    }

    private static Map<String, String> launcherEnvironment(Path jar, String javaOpts) {
        Path javaHome = Path.of(System.getProperty("java.home"));
        return Map.of("CAPTIOND_JAR", jar.toString(), "JAVA_OPTS", javaOpts,
                "PATH", javaHome.resolve("bin") + ":" + System.getenv("PATH"));
    }

    /** Runs bin/captiond once over the folders under {@code root}; returns what it printed. */
    private String launch(Path jar, String javaOpts) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("bin/captiond").toAbsolutePath().toString()));
        command.addAll(CaptiondJar.folderArgs(root));
        command.addAll(List.of("--captiond.once=true", "--captiond.provider=basic"));
        Path log = Files.createTempFile(root, "launcher-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(launcherEnvironment(jar, javaOpts));
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("bin/captiond did not finish:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}

package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.support.CaptiondJar;
import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/captiond}, the launcher the README and the Docker image use: its first start of a jar
 * prepares the extracted jar and a class data sharing archive beside it, and later starts load
 * captiond's classes from that archive. Both runs do the real work of a once-mode run.
 */
class LauncherJarIT {

    @TempDir
    Path root;

    @Test
    void theFirstStartPreparesTheArchiveAndTheNextStartLoadsCaptiondFromIt() throws Exception {
        Path jar = Files.copy(CaptiondJar.jar(), root.resolve("captiond.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        DropFolders folders = new DropFolders(root);
        folders.drop("cds_check", Fixtures.image("Landscape_6.jpg"), "IMG_0001.jpg");

        String first = launch(jar, "-Xmx512m");
        assertThat(first).doesNotContain("could not prepare");
        Path cds = root.resolve("captiond.jar.cds");
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
    }

    /** Runs bin/captiond once over the folders under {@code root}; returns what it printed. */
    private String launch(Path jar, String javaOpts) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("bin/captiond").toAbsolutePath().toString()));
        command.addAll(CaptiondJar.folderArgs(root));
        command.addAll(List.of("--captiond.once=true", "--captiond.provider=basic"));
        Path log = Files.createTempFile(root, "launcher-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Path javaHome = Path.of(System.getProperty("java.home"));
        builder.environment().putAll(Map.of("CAPTIOND_JAR", jar.toString(), "JAVA_OPTS", javaOpts,
                "PATH", javaHome.resolve("bin") + ":" + System.getenv("PATH")));
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

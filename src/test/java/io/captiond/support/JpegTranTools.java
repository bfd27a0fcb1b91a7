package io.captiond.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * libjpeg-turbo's jpegtran for tests: whether it is installed, and a bare run to make test inputs
 * (a photo turned sideways losslessly, a lossless crop). Tests that need it skip with a visible
 * reason where it is missing; {@code .ci/run} installs it.
 */
public final class JpegTranTools {

    private static final boolean INSTALLED = canRun();

    private JpegTranTools() {
    }

    public static void assumeInstalled() {
        assumeTrue(INSTALLED, "libjpeg-turbo's jpegtran is not installed (apt-get install libjpeg-turbo-progs): "
                + "lossless JPEG turn tests skipped here; .ci/run installs it and runs them");
    }

    /** {@code jpegtran -copy all OPTIONS -outfile OUT IN}. */
    public static Path run(Path in, Path out, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("jpegtran", "-copy", "all"));
        command.addAll(List.of(options));
        command.addAll(List.of("-outfile", out.toString(), in.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
        return out;
    }

    private static boolean canRun() {
        try {
            Process p = new ProcessBuilder("jpegtran", "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

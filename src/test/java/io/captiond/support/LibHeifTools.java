package io.captiond.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * libheif's command-line tools for tests: whether they are installed, and a bare heif-convert run
 * as the reference decode. Tests that need them skip with a visible reason where they are missing;
 * {@code .ci/run} installs them, so CI always runs those tests.
 */
public final class LibHeifTools {

    private static final boolean INSTALLED = canRun("heif-convert");

    private LibHeifTools() {
    }

    public static void assumeInstalled() {
        assumeTrue(INSTALLED, "libheif's heif-convert is not installed (apt-get install libheif-examples): "
                + "HEIC/HEIF/AVIF conversion tests skipped here; .ci/run installs it and runs them");
    }

    /** {@code heif-convert IN OUT} with no options, as a user would run it: the reference decode. */
    public static Path referenceDecode(Path heif, Path out) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("heif-convert", "--quiet", heif.toAbsolutePath().toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("reference heif-convert failed on " + heif);
        }
        return out;
    }

    private static boolean canRun(String command) {
        try {
            Process p = new ProcessBuilder(command, "--help").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(10, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

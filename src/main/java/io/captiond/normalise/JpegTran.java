package io.captiond.normalise;

import io.captiond.config.CaptiondProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * libjpeg-turbo's {@code jpegtran}, run out of process by {@link ExternalTool}: turns a JPEG
 * upright by rearranging its DCT blocks, so no pixel changes. {@code -perfect} makes it refuse
 * when the image's edge is not a whole number of MCUs on a side the turn moves (the partial edge
 * blocks would otherwise be left where they were, or trimmed off); the caller then re-encodes.
 */
@Component
public class JpegTran {

    static final String INSTALL_HINT = "install libjpeg-turbo's tools: apt-get install libjpeg-turbo-progs";

    /**
     * glibc malloc settings for jpegtran's run: its coefficient arrays (about 70 MB for a 12 MP
     * turn) come from the heap instead of fresh mmaps, on transparent huge pages, so the kernel
     * faults in 2 MB pages rather than 4 KB ones. A 12 MP turn took 124 ms instead of 224 ms
     * (medians of 9 bare runs on libheif's JPEG of Example1.heic); half of the difference was system time. Other
     * C libraries ignore the variable, and a user's own GLIBC_TUNABLES is left as it is.
     */
    static final Map<String, String> MALLOC_TUNING = System.getenv("GLIBC_TUNABLES") != null ? Map.of()
            : Map.of("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432");

    private final ExternalTool tool;

    @Autowired
    public JpegTran(CaptiondProperties props) {
        this.tool = new ExternalTool(props.normalise().jpegtran(), props.normalise().jpegtranTimeout(),
                props.normalise().jpegtranParallelism(), "JPEGs with EXIF orientation 2-8 are re-encoded, not turned losslessly",
                "captiond.normalise.jpegtran", "captiond.normalise.jpegtran-timeout")
                .withEnvironment(MALLOC_TUNING);
    }

    /** Null when jpegtran can be run, else why not (with the install hint). */
    public String problem() {
        return tool.problem(INSTALL_HINT);
    }

    /** jpegtran's options that undo EXIF orientation {@code orientation} (2-8). */
    static List<String> transform(int orientation) {
        return switch (orientation) {
            case 2 -> List.of("-flip", "horizontal");
            case 3 -> List.of("-rotate", "180");
            case 4 -> List.of("-flip", "vertical");
            case 5 -> List.of("-transpose");
            case 6 -> List.of("-rotate", "90");
            case 7 -> List.of("-transverse");
            case 8 -> List.of("-rotate", "270");
            default -> throw new IllegalArgumentException("orientation " + orientation + " needs no turn");
        };
    }

    /**
     * {@code jpeg} turned upright with every marker segment copied (EXIF still says the old
     * orientation: the caller patches it), or null when the turn cannot be perfect.
     *
     * @throws RejectedInputException when jpegtran is missing, cannot read the file or runs out of time
     */
    public byte[] upright(byte[] jpeg, int orientation) throws IOException {
        Path dir = Files.createTempDirectory("captiond-jpegtran-");
        try {
            Files.write(dir.resolve("in.jpg"), jpeg);
            List<String> args = new ArrayList<>(List.of("-copy", "all", "-perfect"));
            args.addAll(transform(orientation));
            args.addAll(List.of("-outfile", "out.jpg", "in.jpg"));
            ExternalTool.Run run = tool.run(args, dir, INSTALL_HINT);
            Path out = dir.resolve("out.jpg");
            if (run.output().contains("transformation is not perfect")) {
                return null;
            }
            // exit code 2: libjpeg warnings (corrupt data it worked around); the output is written
            if ((run.exitCode() != 0 && run.exitCode() != 2) || !Files.exists(out) || Files.size(out) == 0) {
                throw new RejectedInputException("libjpeg-turbo's jpegtran cannot turn this JPEG: " + run.error());
            }
            return Files.readAllBytes(out);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

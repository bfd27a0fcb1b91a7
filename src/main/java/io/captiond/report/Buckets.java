package io.captiond.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The aspect-ratio bucket a trainer would put an image in at a training resolution, the way kohya's
 * sd-scripts build their buckets ({@code make_buckets}: sides in steps of 64 from 256, area at most
 * resolution², the bucket whose aspect ratio is nearest the image's); ai-toolkit's buckets are
 * formed alike. Hand-written: this is trainer arithmetic no library carries.
 */
final class Buckets {

    static final int[] RESOLUTIONS = {512, 768, 1024};
    private static final int STEP = 64;
    private static final int MIN_SIDE = 256;

    private Buckets() {
    }

    /** "WxH" of the bucket chosen for a {@code width}×{@code height} image at {@code resolution}. */
    static String bucket(int width, int height, int resolution) {
        double aspect = width / (double) height;
        int[] best = null;
        double bestError = Double.MAX_VALUE;
        for (int[] b : buckets(resolution)) {
            double error = Math.abs(b[0] / (double) b[1] - aspect);
            if (error < bestError) {
                bestError = error;
                best = b;
            }
        }
        return best[0] + "x" + best[1];
    }

    private static List<int[]> buckets(int resolution) {
        long maxArea = (long) resolution * resolution;
        int maxSide = resolution * 2;
        List<int[]> buckets = new ArrayList<>();
        for (int w = MIN_SIDE; w <= maxSide; w += STEP) {
            int h = (int) Math.min(maxSide, maxArea / w / STEP * STEP);
            if (h >= MIN_SIDE) {
                buckets.add(new int[] {w, h});
                buckets.add(new int[] {h, w});
            }
        }
        return buckets;
    }
}

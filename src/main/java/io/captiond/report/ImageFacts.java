package io.captiond.report;

/**
 * What the report measured on one member image.
 *
 * @param file       the member's file name (as in the zip)
 * @param sha256     digest of the file's bytes (exact duplicates)
 * @param hash       perceptual hash bits, as 64-bit words (near-duplicates, visual clusters)
 * @param sharpness  variance of the Laplacian of the grey image scaled to {@link ImageProbe#MEASURE_SIDE}
 * @param highlights share of pixels at or above 250 (of 255) luminance
 * @param shadows    share of pixels at or below 5 luminance
 * @param colours    a 4×4×4 RGB histogram, summing to 1 (visual clusters)
 */
record ImageFacts(String file, int width, int height, String sha256, long[] hash, double sharpness, double highlights,
        double shadows, double[] colours) {

    double megapixels() {
        return width * (double) height / 1_000_000;
    }

    int shortSide() {
        return Math.min(width, height);
    }

    int distance(ImageFacts other) {
        int d = 0;
        for (int i = 0; i < hash.length; i++) {
            d += Long.bitCount(hash[i] ^ other.hash[i]);
        }
        return d;
    }
}

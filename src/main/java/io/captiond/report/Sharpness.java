package io.captiond.report;

/**
 * Variance of the Laplacian, the usual focus measure (Pech-Pacheco et al. 2000; OpenCV's
 * {@code Laplacian(...).var()}): a blurred photo has few strong second derivatives. Hand-written
 * because it is one 3×3 kernel; the Java ports of OpenCV need native libraries.
 */
final class Sharpness {

    private Sharpness() {
    }

    static double laplacianVariance(float[] grey, int width, int height) {
        if (width < 3 || height < 3) {
            return 0;
        }
        double sum = 0;
        double sumSquares = 0;
        long n = 0;
        for (int y = 1; y < height - 1; y++) {
            int row = y * width;
            for (int x = 1; x < width - 1; x++) {
                int i = row + x;
                double lap = grey[i - 1] + grey[i + 1] + grey[i - width] + grey[i + width] - 4 * grey[i];
                sum += lap;
                sumSquares += lap * lap;
                n++;
            }
        }
        double mean = sum / n;
        return sumSquares / n - mean * mean;
    }
}

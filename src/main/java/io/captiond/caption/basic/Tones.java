package io.captiond.caption.basic;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Colour and light statistics of an image in plain words: the dominant named colours (each pixel
 * is binned by hue, saturation and brightness), overall brightness and contrast, warm or cool cast.
 */
record Tones(List<String> dominant, double meanLuma, double lumaSpread, double warmth) {

    enum Named {
        BLACK, DARK_GREY, GREY, WHITE, RED, ORANGE, BROWN, BEIGE, YELLOW, GREEN, TEAL, BLUE, PURPLE, PINK;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    static Tones of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int step = Math.max(1, (int) Math.sqrt((double) w * h / 40_000)); // about 40k samples whatever the size
        Map<Named, Integer> counts = new EnumMap<>(Named.class);
        double sum = 0;
        double sumSq = 0;
        double warm = 0;
        int n = 0;
        float[] hsb = new float[3];
        for (int y = 0; y < h; y += step) {
            for (int x = 0; x < w; x += step) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                double luma = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0;
                sum += luma;
                sumSq += luma * luma;
                warm += (r - b) / 255.0;
                java.awt.Color.RGBtoHSB(r, g, b, hsb);
                counts.merge(name(hsb[0] * 360, hsb[1], hsb[2]), 1, Integer::sum);
                n++;
            }
        }
        double mean = sum / n;
        double spread = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        List<Map.Entry<Named, Integer>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(Map.Entry.<Named, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<String> dominant = new ArrayList<>();
        for (Map.Entry<Named, Integer> e : ranked) {
            if (dominant.size() < 3 && (dominant.isEmpty() || e.getValue() >= n * 0.12)) {
                dominant.add(e.getKey().word());
            }
        }
        return new Tones(dominant, mean, spread, warm / n);
    }

    static Named name(double hue, double sat, double val) {
        if (val < 0.16) {
            return Named.BLACK;
        }
        if (sat < 0.14 || (sat < 0.25 && val < 0.35)) {
            return val < 0.4 ? Named.DARK_GREY : val < 0.78 ? Named.GREY : Named.WHITE;
        }
        if ((hue < 50 || hue >= 340) && val < 0.55 && sat > 0.25) {
            return Named.BROWN;
        }
        if (hue >= 20 && hue < 60 && sat < 0.35 && val >= 0.6) {
            return Named.BEIGE;
        }
        if (hue < 15 || hue >= 345) {
            return Named.RED;
        }
        if (hue < 40) {
            return Named.ORANGE;
        }
        if (hue < 68) {
            return Named.YELLOW;
        }
        if (hue < 165) {
            return Named.GREEN;
        }
        if (hue < 195) {
            return Named.TEAL;
        }
        if (hue < 255) {
            return Named.BLUE;
        }
        return hue < 290 ? Named.PURPLE : Named.PINK;
    }

    String colourPhrase() {
        String cast = warmth > 0.12 ? "warm " : warmth < -0.08 ? "cool " : "";
        if (dominant.size() == 1) {
            return "mostly " + cast + dominant.get(0) + " tones";
        }
        String list = String.join(", ", dominant.subList(0, dominant.size() - 1)) + " and " + dominant.get(dominant.size() - 1);
        return cast + list + " tones";
    }

    String lightPhrase() {
        String light = meanLuma < 0.22 ? "dark and moody" : meanLuma < 0.4 ? "dimly lit" : meanLuma < 0.68 ? "evenly lit" : "bright";
        String contrast = lumaSpread < 0.12 ? "low contrast" : lumaSpread > 0.27 ? "high contrast" : "moderate contrast";
        return light + " with " + contrast;
    }
}

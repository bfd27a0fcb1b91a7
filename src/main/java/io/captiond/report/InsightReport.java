package io.captiond.report;

import java.util.List;
import java.util.Map;

/**
 * The manifest's {@code report} object (and what the HTML page shows). Checks rely on
 * {@code nearDuplicates} (pairs of member file names), {@code blurry}, {@code lowResolution} (member
 * file names), {@code captions.topWords} ({@code [{word, count}]}) and {@code clusters}
 * ({@code [{members, topWords}]}); fields are only ever added.
 */
public record InsightReport(
        Settings settings,
        List<Verdict> verdicts,
        List<ImageRow> images,
        Map<String, List<BucketCount>> buckets,
        List<String> lowResolution,
        List<String> blurry,
        List<String> exposureClipped,
        List<List<String>> exactDuplicates,
        List<List<String>> nearDuplicates,
        Captions captions,
        List<Cluster> clusters,
        List<Cluster> visualClusters) {

    /**
     * @param blurBelow sharpness under which an image is flagged (blurRatio × the dataset's median)
     * @param hashBits  length of the perceptual hash; near-duplicates differ in at most nearDuplicateBits
     */
    public record Settings(int minSide, int hashBits, int nearDuplicateBits, double blurRatio, double blurBelow,
            double clippedFraction, String preset, String captionClustering, String visualClustering) {
    }

    /** A warning at the top of the page; {@code section} is the id of the part of the page that explains it. */
    public record Verdict(String level, String text, String section) {
    }

    public record ImageRow(String file, int width, int height, double megapixels, Map<String, String> buckets,
            double sharpness, double highlights, double shadows) {
    }

    public record BucketCount(String bucket, int count) {
    }

    public record Stats(double min, double mean, double max) {
    }

    public record WordCount(String word, int count) {
    }

    public record NgramCount(String ngram, int count) {
    }

    /** Caption facts of one image; {@code trigger} is start, middle, end or missing. */
    public record CaptionRow(String file, int words, int clipTokens, int t5Tokens, String trigger) {
    }

    /** For the character preset: captions that describe the person's looks, which the preset says not to write. */
    public record Looks(String preset, List<String> files, List<WordCount> words) {
    }

    public record Captions(Stats words, Stats clipTokens, Stats t5Tokens, List<String> overClipLimit,
            Map<String, Integer> triggerPlacement, List<String> triggerMissing, List<String> triggerInside,
            List<List<String>> identical, List<List<String>> nearIdentical, List<WordCount> topWords,
            List<NgramCount> topNgrams, Looks looks, List<CaptionRow> perImage) {
    }

    public record Cluster(List<String> members, List<String> topWords) {
    }
}

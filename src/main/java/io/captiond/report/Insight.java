package io.captiond.report;

import io.captiond.config.CaptiondProperties;
import io.captiond.report.InsightReport.BucketCount;
import io.captiond.report.InsightReport.Cluster;
import io.captiond.report.InsightReport.ImageRow;
import io.captiond.report.InsightReport.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Computes the insight report of one dataset round from its member images and captions. The images
 * are measured in parallel (one decode each); everything after works on the small per-image facts.
 */
final class Insight {

    /** Near-duplicate pairs listed at most (a burst of 100 shots alone makes 4,950 pairs); the verdict counts them all. */
    static final int MAX_PAIRS = 1000;

    private Insight() {
    }

    /** A member as the report reads it. */
    record Member(String file, Path image, int width, int height, String caption) {
    }

    /** The report, with what the page needs beside it: thumbnails, captions and the word cloud's words. */
    record Computed(InsightReport report, List<Member> members, Thumbnails thumbnails, List<InsightReport.WordCount> cloud,
            List<ImageFacts> facts, int tableThumbnails) {
    }

    static Computed compute(List<Member> members, String trigger, String preset, CaptiondProperties.Report settings,
            Path scratch) throws IOException {
        int n = members.size();
        Thumbnails thumbnails = new Thumbnails(scratch.resolve("thumbnails.bin"), n);
        ImageFacts[] measured = new ImageFacts[n];
        try {
            IntStream.range(0, n).parallel().forEach(i -> {
                Member m = members.get(i);
                try {
                    ImageProbe.Probed probed = ImageProbe.probe(m.image(), m.file(), m.width(), m.height(),
                            settings.thumbnailSide());
                    measured[i] = probed.facts();
                    thumbnails.put(i, probed.thumbnail());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot measure " + m.file() + ": " + e.getMessage(), e);
                }
            });
        } catch (UncheckedIOException e) {
            thumbnails.close();
            throw e.getCause();
        }
        List<ImageFacts> facts = Arrays.asList(measured);
        List<String> files = members.stream().map(Member::file).toList();
        CaptionAnalysis.Result captions = CaptionAnalysis.analyse(files,
                members.stream().map(Member::caption).toList(), trigger, preset);

        double median = median(facts.stream().mapToDouble(ImageFacts::sharpness).toArray());
        double blurBelow = round(settings.blurRatio() * median, 1);
        List<String> blurry = facts.stream().filter(f -> f.sharpness() < blurBelow)
                .sorted(java.util.Comparator.comparingDouble(ImageFacts::sharpness)).map(ImageFacts::file).toList();
        List<String> lowResolution = facts.stream().filter(f -> f.shortSide() < settings.minSide()).map(ImageFacts::file).toList();
        List<String> clipped = facts.stream().filter(f -> f.highlights() > settings.clippedFraction()
                || f.shadows() > settings.clippedFraction()).map(ImageFacts::file).toList();

        Map<String, List<String>> byDigest = new TreeMap<>();
        facts.forEach(f -> byDigest.computeIfAbsent(f.sha256(), d -> new ArrayList<>()).add(f.file()));
        List<List<String>> exact = byDigest.values().stream().filter(g -> g.size() > 1).toList();
        List<List<String>> near = new ArrayList<>();
        int nearPairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                ImageFacts a = facts.get(i);
                ImageFacts b = facts.get(j);
                if (a.distance(b) <= settings.nearDuplicateBits() && !a.sha256().equals(b.sha256())) {
                    nearPairs++;
                    if (near.size() < MAX_PAIRS) {
                        near.add(List.of(a.file(), b.file()));
                    }
                }
            }
        }

        List<ImageRow> rows = new ArrayList<>(n);
        Map<String, Map<String, Integer>> bucketCounts = new LinkedHashMap<>();
        for (ImageFacts f : facts) {
            Map<String, String> buckets = new LinkedHashMap<>();
            for (int resolution : Buckets.RESOLUTIONS) {
                String bucket = Buckets.bucket(f.width(), f.height(), resolution);
                buckets.put(String.valueOf(resolution), bucket);
                bucketCounts.computeIfAbsent(String.valueOf(resolution), r -> new TreeMap<>()).merge(bucket, 1, Integer::sum);
            }
            rows.add(new ImageRow(f.file(), f.width(), f.height(), round(f.megapixels(), 2), buckets,
                    round(f.sharpness(), 1), round(f.highlights(), 4), round(f.shadows(), 4)));
        }
        Map<String, List<BucketCount>> buckets = new LinkedHashMap<>();
        bucketCounts.forEach((resolution, counts) -> buckets.put(resolution, CaptionAnalysis.top(counts, Integer.MAX_VALUE)
                .stream().map(e -> new BucketCount(e.getKey(), e.getValue())).toList()));

        List<Cluster> clusters = Clusters.byCaption(files, captions.contentWords(), settings.maxClusters());
        List<Cluster> visual = Clusters.byLook(facts, captions.contentWords(), settings.maxClusters());

        InsightReport.Settings used = new InsightReport.Settings(settings.minSide(), ImageProbe.HASH_BITS,
                settings.nearDuplicateBits(), settings.blurRatio(), blurBelow, settings.clippedFraction(), preset,
                "TF-IDF of caption words, k-means++ (Apache Commons Math)",
                "colour histogram + perceptual hash bits, k-means++ (Apache Commons Math)");
        InsightReport report = new InsightReport(used, null, rows, buckets, lowResolution, blurry, clipped, exact, near,
                captions.captions(), clusters, visual);
        report = withVerdicts(report, n, nearPairs);
        return new Computed(report, members, thumbnails, captions.cloud(), facts, settings.maxThumbnails());
    }

    private static InsightReport withVerdicts(InsightReport r, int n, int nearPairs) {
        List<Verdict> v = new ArrayList<>();
        InsightReport.Captions c = r.captions();
        if (!r.exactDuplicates().isEmpty()) {
            v.add(new Verdict("error", plural(r.exactDuplicates().size(), "group") + " of identical files", "duplicates"));
        }
        if (!r.nearDuplicates().isEmpty()) {
            v.add(new Verdict("warning", plural(nearPairs, "near-duplicate pair")
                    + (nearPairs > MAX_PAIRS ? " (the first " + MAX_PAIRS + " listed)" : ""), "near-duplicates"));
        }
        if (!r.lowResolution().isEmpty()) {
            v.add(new Verdict("warning", plural(r.lowResolution().size(), "image") + " under " + r.settings().minSide() + " px",
                    "resolution"));
        }
        if (!r.blurry().isEmpty()) {
            v.add(new Verdict("warning", plural(r.blurry().size(), "blurry image") + " (sharpness under "
                    + r.settings().blurBelow() + ")", "sharpness"));
        }
        if (!r.exposureClipped().isEmpty()) {
            v.add(new Verdict("info", plural(r.exposureClipped().size(), "image") + " with clipped highlights or shadows",
                    "exposure"));
        }
        if (c.looks() != null && !c.looks().files().isEmpty()) {
            v.add(new Verdict("warning", "captions mention looks (" + String.join(", ", c.looks().words().stream()
                    .limit(3).map(InsightReport.WordCount::word).toList()) + ") in " + c.looks().files().size() + " of " + n
                    + " (the character preset leaves them to the pixels)", "looks"));
        }
        if (!c.triggerMissing().isEmpty()) {
            v.add(new Verdict("error", "trigger word missing from " + plural(c.triggerMissing().size(), "caption"), "trigger"));
        }
        if (!c.triggerInside().isEmpty()) {
            v.add(new Verdict("warning", "trigger word in the middle of " + plural(c.triggerInside().size(), "caption"),
                    "trigger"));
        }
        if (!c.overClipLimit().isEmpty()) {
            v.add(new Verdict("info", plural(c.overClipLimit().size(), "caption") + " over CLIP's 77 tokens (cut for SD 1.5/SDXL)",
                    "caption-length"));
        }
        if (!c.identical().isEmpty()) {
            v.add(new Verdict("warning", plural(c.identical().stream().mapToInt(List::size).sum(), "caption")
                    + " repeated word for word", "identical-captions"));
        }
        if (!c.nearIdentical().isEmpty()) {
            v.add(new Verdict("info", plural(c.nearIdentical().size(), "pair") + " of near-identical captions",
                    "identical-captions"));
        }
        if (n >= 5 && !c.topNgrams().isEmpty() && c.topNgrams().get(0).count() >= 0.8 * n) {
            v.add(new Verdict("info", "'" + c.topNgrams().get(0).ngram() + "' is in " + c.topNgrams().get(0).count() + " of "
                    + n + " captions", "ngrams"));
        }
        if (v.isEmpty()) {
            v.add(new Verdict("ok", "no warnings: no duplicates, no blur, no small images, captions in order", "images"));
        }
        return new InsightReport(r.settings(), v, r.images(), r.buckets(), r.lowResolution(), r.blurry(), r.exposureClipped(),
                r.exactDuplicates(), r.nearDuplicates(), r.captions(), r.clusters(), r.visualClusters());
    }

    static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    static Map<String, Integer> indexOf(List<Member> members) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            index.put(members.get(i).file(), i);
        }
        return index;
    }
}

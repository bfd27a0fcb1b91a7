package io.captiond.report;

import io.captiond.report.InsightReport.Cluster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.Clusterable;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Groups the images twice, as the NVIDIA seed's cluster exploration does: by caption (TF-IDF vectors,
 * L2-normalised so that Euclidean k-means follows cosine similarity) and by look (colour histogram
 * plus perceptual-hash bits). K-means++ from Apache Commons Math (Apache-2.0; Smile's GPL-3.0 would
 * bind the whole jar), seeded so that the same dataset always gives the same clusters.
 */
final class Clusters {

    /** The vocabulary kept for TF-IDF: the words most captions share, enough to separate scenes, bounded for memory. */
    static final int VOCABULARY = 300;
    private static final int ITERATIONS = 100;
    private static final int SEED = 20261128;

    private Clusters() {
    }

    /** How many clusters: about √(n/2) (a rule of thumb for k), at least 2, at most {@code max}. */
    static int k(int n, int max) {
        return Math.max(1, Math.min(max, Math.min(n, (int) Math.round(Math.sqrt(n / 2.0)) + 1)));
    }

    static List<Cluster> byCaption(List<String> files, List<List<String>> contentWords, int maxClusters) {
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (List<String> words : contentWords) {
            new HashSet<>(words).forEach(w -> documentFrequency.merge(w, 1, Integer::sum));
        }
        List<String> vocabulary = CaptionAnalysis.top(documentFrequency, VOCABULARY).stream()
                .filter(e -> e.getValue() >= 2 || documentFrequency.size() <= VOCABULARY).map(Map.Entry::getKey).toList();
        Map<String, Integer> column = new HashMap<>();
        vocabulary.forEach(w -> column.put(w, column.size()));
        int n = contentWords.size();
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] v = new double[vocabulary.size()];
            for (String w : contentWords.get(i)) {
                Integer c = column.get(w);
                if (c != null) {
                    v[c] += Math.log((1.0 + n) / (1.0 + documentFrequency.get(w))) + 1; // smoothed idf, as scikit-learn's
                }
            }
            points.add(new Point(i, normalised(v)));
        }
        List<List<Integer>> groups = kMeans(points, maxClusters);
        List<Cluster> clusters = new ArrayList<>();
        for (List<Integer> group : groups) {
            double[] sum = new double[vocabulary.size()];
            for (int i : group) {
                double[] v = points.get(i).vector;
                for (int c = 0; c < v.length; c++) {
                    sum[c] += v[c];
                }
            }
            List<String> top = topColumns(sum, 5).stream().map(vocabulary::get).toList();
            clusters.add(new Cluster(group.stream().map(files::get).toList(), top));
        }
        return clusters;
    }

    static List<Cluster> byLook(List<ImageFacts> facts, List<List<String>> contentWords, int maxClusters) {
        List<Point> points = new ArrayList<>(facts.size());
        for (int i = 0; i < facts.size(); i++) {
            ImageFacts f = facts.get(i);
            double[] v = new double[f.colours().length + ImageProbe.HASH_BITS];
            double[] colours = normalised(f.colours().clone());
            System.arraycopy(colours, 0, v, 0, colours.length);
            for (int b = 0; b < ImageProbe.HASH_BITS; b++) {
                // the hash's 64 bits weigh as much as the colour vector in all
                v[colours.length + b] = ((f.hash()[b / 64] >>> (b % 64)) & 1) / 8.0;
            }
            points.add(new Point(i, v));
        }
        List<Cluster> clusters = new ArrayList<>();
        for (List<Integer> group : kMeans(points, maxClusters)) {
            Map<String, Integer> counts = new HashMap<>();
            group.forEach(i -> new HashSet<>(contentWords.get(i)).forEach(w -> counts.merge(w, 1, Integer::sum)));
            clusters.add(new Cluster(group.stream().map(i -> facts.get(i).file()).toList(),
                    CaptionAnalysis.top(counts, 5).stream().map(Map.Entry::getKey).toList()));
        }
        return clusters;
    }

    /** K-means++ groups of point indices, largest first; fewer groups when there are fewer distinct points. */
    private static List<List<Integer>> kMeans(List<Point> points, int maxClusters) {
        if (points.isEmpty()) {
            return List.of();
        }
        Set<List<Double>> distinct = new HashSet<>();
        for (Point p : points) {
            distinct.add(Arrays.stream(p.vector).boxed().toList());
            if (distinct.size() > maxClusters) {
                break;
            }
        }
        int k = Math.min(k(points.size(), maxClusters), distinct.size());
        List<List<Integer>> groups = new ArrayList<>();
        if (k <= 1) {
            groups.add(points.stream().map(p -> p.index).toList());
            return groups;
        }
        JDKRandomGenerator random = new JDKRandomGenerator();
        random.setSeed(SEED);
        KMeansPlusPlusClusterer<Point> kMeans = new KMeansPlusPlusClusterer<>(k, ITERATIONS,
                new org.apache.commons.math3.ml.distance.EuclideanDistance(), random);
        for (CentroidCluster<Point> cluster : kMeans.cluster(points)) {
            if (!cluster.getPoints().isEmpty()) {
                groups.add(cluster.getPoints().stream().map(p -> p.index).sorted().toList());
            }
        }
        groups.sort(Comparator.<List<Integer>>comparingInt(List::size).reversed().thenComparing(g -> g.get(0)));
        return groups;
    }

    private static List<Integer> topColumns(double[] sum, int limit) {
        List<Integer> columns = new ArrayList<>();
        for (int c = 0; c < sum.length; c++) {
            if (sum[c] > 0) {
                columns.add(c);
            }
        }
        columns.sort(Comparator.<Integer>comparingDouble(c -> -sum[c]).thenComparing(c -> c));
        return columns.subList(0, Math.min(limit, columns.size()));
    }

    private static double[] normalised(double[] v) {
        double norm = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
        return v;
    }

    private static final class Point implements Clusterable {
        final int index;
        final double[] vector;

        Point(int index, double[] vector) {
            this.index = index;
            this.vector = vector;
        }

        @Override
        public double[] getPoint() {
            return vector;
        }
    }
}

package io.captiond.report;

import io.captiond.report.InsightReport.CaptionRow;
import io.captiond.report.InsightReport.Captions;
import io.captiond.report.InsightReport.NgramCount;
import io.captiond.report.InsightReport.Stats;
import io.captiond.report.InsightReport.WordCount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/** The caption side of the report: lengths, token estimates, trigger placement, repeats, vocabulary. */
final class CaptionAnalysis {

    static final int CLIP_LIMIT = 77;
    /** Captions compared pair by pair for near-identity up to this many (above, only exact repeats are shown). */
    static final int PAIRWISE_LIMIT = 3000;
    static final double NEAR_IDENTICAL = 0.8;

    private CaptionAnalysis() {
    }

    /** The analysis plus each caption's content words (for clustering) and the vocabulary's counts. */
    record Result(Captions captions, List<List<String>> contentWords, List<WordCount> cloud) {
    }

    static Result analyse(List<String> files, List<String> captions, String trigger, String preset) {
        String trig = trigger.toLowerCase(Locale.ROOT);
        int n = captions.size();
        List<CaptionRow> rows = new ArrayList<>(n);
        List<List<String>> content = new ArrayList<>(n);
        Map<String, Integer> wordCounts = new HashMap<>();
        Map<String, Integer> ngramCounts = new HashMap<>();
        Map<String, Integer> placement = new LinkedHashMap<>();
        for (String p : List.of("start", "middle", "end", "missing")) {
            placement.put(p, 0);
        }
        List<String> missing = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        List<String> overLimit = new ArrayList<>();
        Map<String, Integer> lookCounts = new HashMap<>();
        List<String> lookFiles = new ArrayList<>();
        boolean character = "character".equals(preset);
        for (int i = 0; i < n; i++) {
            String caption = captions.get(i);
            List<String> words = Words.of(caption);
            String where = placement(words, trig);
            placement.merge(where, 1, Integer::sum);
            if (where.equals("missing")) {
                missing.add(files.get(i));
            } else if (where.equals("middle")) {
                inside.add(files.get(i));
            }
            int clip = Words.clipTokens(caption);
            if (clip > CLIP_LIMIT) {
                overLimit.add(files.get(i));
            }
            rows.add(new CaptionRow(files.get(i), words.size(), clip, Words.t5Tokens(caption), where));
            List<String> kept = words.stream().filter(w -> Words.content(w, trig)).toList();
            content.add(kept);
            kept.forEach(w -> wordCounts.merge(w, 1, Integer::sum));
            countNgrams(words.stream().filter(w -> !w.equals(trig)).toList(), ngramCounts);
            if (character) {
                List<String> looks = LookWords.in(caption);
                if (!looks.isEmpty()) {
                    lookFiles.add(files.get(i));
                    looks.forEach(l -> lookCounts.merge(l, 1, Integer::sum));
                }
            }
        }
        List<WordCount> ranked = top(wordCounts, Integer.MAX_VALUE).stream()
                .map(e -> new WordCount(e.getKey(), e.getValue())).toList();
        Captions result = new Captions(stats(rows, CaptionRow::words), stats(rows, CaptionRow::clipTokens),
                stats(rows, CaptionRow::t5Tokens), overLimit, placement, missing, inside, identical(files, captions),
                nearIdentical(files, content), ranked.subList(0, Math.min(30, ranked.size())),
                top(ngramCounts, 15).stream().map(e -> new NgramCount(e.getKey(), e.getValue())).toList(),
                character ? new InsightReport.Looks(preset, lookFiles, top(lookCounts, 20).stream()
                        .map(e -> new WordCount(e.getKey(), e.getValue())).toList()) : null,
                rows);
        return new Result(result, content, ranked.subList(0, Math.min(60, ranked.size())));
    }

    /** start: within the first four words ("photo of zeke, ..."); end: among the last two; missing: absent. */
    static String placement(List<String> words, String trigger) {
        int at = words.indexOf(trigger);
        if (at < 0) {
            return "missing";
        }
        if (at < 4) {
            return "start";
        }
        return at >= words.size() - 2 ? "end" : "middle";
    }

    /** Bigrams and trigrams that neither start nor end with a filler word ("in front of" is dropped, "red car" kept). */
    private static void countNgrams(List<String> words, Map<String, Integer> counts) {
        for (int size = 2; size <= 3; size++) {
            for (int i = 0; i + size <= words.size(); i++) {
                String first = words.get(i);
                String last = words.get(i + size - 1);
                if (!Words.STOP.contains(first) && !Words.STOP.contains(last)) {
                    counts.merge(String.join(" ", words.subList(i, i + size)), 1, Integer::sum);
                }
            }
        }
    }

    private static List<List<String>> identical(List<String> files, List<String> captions) {
        Map<String, List<String>> groups = new TreeMap<>();
        for (int i = 0; i < captions.size(); i++) {
            String key = String.join(" ", Words.of(captions.get(i)));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(files.get(i));
        }
        return groups.values().stream().filter(g -> g.size() > 1).toList();
    }

    /**
     * Pairs of captions whose content words overlap by at least 80 % (Jaccard), not identical. Pairwise,
     * on sorted word ids: 3,000 captions are 4.5 million comparisons of a few dozen ids each.
     */
    private static List<List<String>> nearIdentical(List<String> files, List<List<String>> content) {
        List<List<String>> pairs = new ArrayList<>();
        if (content.size() > PAIRWISE_LIMIT) {
            return pairs;
        }
        Map<String, Integer> ids = new HashMap<>();
        int[][] sets = new int[content.size()][];
        for (int i = 0; i < sets.length; i++) {
            sets[i] = content.get(i).stream().mapToInt(w -> ids.computeIfAbsent(w, k -> ids.size())).distinct().sorted().toArray();
        }
        for (int i = 0; i < sets.length; i++) {
            for (int j = i + 1; j < sets.length; j++) {
                if (sets[i].length == 0 || sets[j].length == 0 || Arrays.equals(sets[i], sets[j])) {
                    continue;
                }
                int small = Math.min(sets[i].length, sets[j].length);
                int large = Math.max(sets[i].length, sets[j].length);
                if (small < NEAR_IDENTICAL * large) {
                    continue; // the Jaccard index cannot reach the threshold
                }
                int common = intersection(sets[i], sets[j]);
                if (common >= NEAR_IDENTICAL * (sets[i].length + sets[j].length - common)) {
                    pairs.add(List.of(files.get(i), files.get(j)));
                }
            }
        }
        return pairs;
    }

    private static int intersection(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return common;
    }

    static <K extends Comparable<K>> List<Map.Entry<K, Integer>> top(Map<K, Integer> counts, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<K, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).toList();
    }

    private static Stats stats(List<CaptionRow> rows, ToIntFunction<CaptionRow> value) {
        if (rows.isEmpty()) {
            return new Stats(0, 0, 0);
        }
        int min = rows.stream().mapToInt(value).min().orElse(0);
        int max = rows.stream().mapToInt(value).max().orElse(0);
        double mean = rows.stream().mapToInt(value).average().orElse(0);
        return new Stats(min, Math.round(mean * 10) / 10.0, max);
    }

}

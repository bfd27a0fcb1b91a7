package io.captiond.report;

import io.captiond.report.InsightReport.Cluster;
import io.captiond.report.InsightReport.ImageRow;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code outbox/<trigger>_report.html}: one self-contained page (inline CSS, inline SVG, thumbnails
 * as data URIs, a few lines of inline script for the keyword filter; nothing is fetched). Each
 * thumbnail is embedded once, as a CSS class, however often the page shows it.
 */
public final class ReportPage {

    static final int CLUSTER_THUMBNAILS = 12;

    private final Insight.Computed c;
    private final InsightReport r;
    private final Map<String, Integer> index;
    private final Set<Integer> shown = new LinkedHashSet<>();
    private final Writer out;

    private ReportPage(Insight.Computed computed, Writer out) {
        this.c = computed;
        this.r = computed.report();
        this.index = Insight.indexOf(computed.members());
        this.out = out;
    }

    static void write(Insight.Computed computed, String dataset, String trigger, Writer out) throws IOException {
        new ReportPage(computed, out).page(dataset, trigger);
    }

    private void page(String dataset, String trigger) throws IOException {
        // the body first (it decides which thumbnails are shown), then head + styles + body
        String body = verdicts() + images() + captions() + clusters();
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.escape(trigger) + " — dataset report</title><style>" + CSS);
        for (int i : shown) {
            String uri = c.thumbnails().dataUri(i);
            if (uri != null) {
                out.write(".t" + i + "{background-image:url(" + uri + ")}\n");
            }
        }
        out.write("</style></head><body><header><h1>Dataset report: " + Html.escape(dataset) + "</h1><p>trigger word <code>"
                + Html.escape(trigger) + "</code> · " + c.members().size() + " images · " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + " · <a href=\"#verdicts\">Verdicts</a> · <a href=\"#images\">Images</a> · <a href=\"#captions\">Captions</a>"
                + " · <a href=\"#clusters\">Clusters</a></p></header><main>");
        out.write(body);
        out.write("</main><script>" + FILTER_SCRIPT + "</script></body></html>\n");
    }

    private String verdicts() {
        StringBuilder s = new StringBuilder("<section id=\"verdicts\"><h2>Verdicts</h2><ul class=\"verdicts\">");
        for (InsightReport.Verdict v : r.verdicts()) {
            s.append("<li class=\"").append(v.level()).append("\"><a href=\"#").append(v.section()).append("\">")
                    .append(Html.escape(v.text())).append("</a></li>");
        }
        return s.append("</ul></section>").toString();
    }

    private String images() {
        StringBuilder s = new StringBuilder("<section id=\"images\"><h2>Images</h2>");
        s.append("<h3 id=\"resolution\">Resolution and buckets</h3><p>Shorter side under <b>").append(r.settings().minSide())
                .append(" px</b>: ").append(names(r.lowResolution())).append("</p>");
        s.append("<p>Aspect-ratio buckets as kohya / ai-toolkit form them (sides in steps of 64, area ≤ resolution²):</p><div class=\"row\">");
        r.buckets().forEach((resolution, counts) -> s.append("<div><h4>at ").append(resolution).append("</h4>")
                .append(Svg.bars(counts.stream().map(b -> new Svg.Bar(b.bucket(), b.count(), false)).toList(), 0, ""))
                .append("</div>"));
        s.append("</div><details><summary>Every image</summary><table><tr><th>image</th><th>size</th><th>MP</th>"
                + "<th>512</th><th>768</th><th>1024</th><th>sharpness</th><th>highlights</th><th>shadows</th></tr>");
        for (ImageRow row : r.images()) {
            boolean low = r.lowResolution().contains(row.file());
            s.append("<tr").append(low ? " class=\"flag\"" : "").append("><td>").append(Html.escape(row.file())).append("</td><td>")
                    .append(row.width()).append("×").append(row.height()).append("</td><td>").append(row.megapixels()).append("</td>");
            row.buckets().values().forEach(b -> s.append("<td>").append(b).append("</td>"));
            s.append("<td>").append(row.sharpness()).append("</td><td>").append(percent(row.highlights())).append("</td><td>")
                    .append(percent(row.shadows())).append("</td></tr>");
        }
        s.append("</table></details>");

        s.append("<h3 id=\"sharpness\">Sharpness</h3><p>Variance of the Laplacian at ").append(ImageProbe.MEASURE_SIDE)
                .append(" px; flagged under ").append(r.settings().blurRatio()).append(" × the dataset's median = <b>")
                .append(r.settings().blurBelow()).append("</b>. Blurriest first:</p>");
        List<ImageRow> bySharpness = r.images().stream().sorted(Comparator.comparingDouble(ImageRow::sharpness)).toList();
        s.append(Svg.bars(bySharpness.stream().limit(40).map(i -> new Svg.Bar(i.file(), i.sharpness(),
                r.blurry().contains(i.file()))).toList(), r.settings().blurBelow(), ""));
        if (!r.blurry().isEmpty()) {
            s.append("<div class=\"thumbs\">");
            r.blurry().stream().limit(24).forEach(f -> s.append(thumb(f)));
            s.append("</div>");
        }

        s.append("<h3 id=\"exposure\">Exposure</h3><p>Clipped: more than ").append(percent(r.settings().clippedFraction()))
                .append(" of the pixels at ≥ 250 (highlights) or ≤ 5 (shadows).</p>");
        if (r.exposureClipped().isEmpty()) {
            s.append("<p>None.</p>");
        } else {
            s.append("<div class=\"thumbs\">");
            r.exposureClipped().stream().limit(24).forEach(f -> {
                ImageRow row = row(f);
                s.append(thumb(f, "highlights " + percent(row.highlights()) + ", shadows " + percent(row.shadows())));
            });
            s.append("</div>");
        }

        s.append("<h3 id=\"duplicates\">Exact duplicates</h3><p>Same bytes (SHA-256).</p>");
        if (r.exactDuplicates().isEmpty()) {
            s.append("<p>None.</p>");
        }
        for (List<String> group : r.exactDuplicates()) {
            s.append("<div class=\"thumbs pair\">");
            group.forEach(f -> s.append(thumb(f)));
            s.append("</div>");
        }
        s.append("<h3 id=\"near-duplicates\">Near-duplicates</h3><p>Perceptual hashes (DCT pHash, ").append(r.settings().hashBits())
                .append(" bits) differing in at most <b>").append(r.settings().nearDuplicateBits()).append(" bits</b> (Hamming distance).</p>");
        if (r.nearDuplicates().isEmpty()) {
            s.append("<p>None.</p>");
        }
        for (List<String> pair : r.nearDuplicates().stream().limit(200).toList()) {
            int d = c.facts().get(index.get(pair.get(0))).distance(c.facts().get(index.get(pair.get(1))));
            s.append("<div class=\"thumbs pair\">").append(thumb(pair.get(0))).append(thumb(pair.get(1)))
                    .append("<span class=\"distance\">").append(d).append(" bits</span></div>");
        }
        return s.append("</section>").toString();
    }

    private String captions() {
        InsightReport.Captions k = r.captions();
        StringBuilder s = new StringBuilder("<section id=\"captions\"><h2>Captions</h2>");
        s.append("<h3 id=\"caption-length\">Length</h3><table><tr><th></th><th>min</th><th>mean</th><th>max</th></tr>")
                .append(statsRow("words", k.words())).append(statsRow("CLIP tokens (estimate; 77 max)", k.clipTokens()))
                .append(statsRow("T5 tokens (estimate)", k.t5Tokens())).append("</table><p>Over CLIP's 77 tokens: ")
                .append(names(k.overClipLimit())).append("</p>");
        s.append("<h3 id=\"trigger\">Trigger word</h3><p>");
        k.triggerPlacement().forEach((where, count) -> s.append(where).append(": <b>").append(count).append("</b> · "));
        s.append("</p><p>In the middle of the caption: ").append(names(k.triggerInside())).append("</p><p>Missing: ")
                .append(names(k.triggerMissing())).append("</p>");
        s.append("<h3 id=\"identical-captions\">Identical and near-identical captions</h3>");
        if (k.identical().isEmpty() && k.nearIdentical().isEmpty()) {
            s.append("<p>None.</p>");
        }
        k.identical().forEach(g -> s.append("<p>identical: ").append(names(g)).append("</p>"));
        k.nearIdentical().stream().limit(200).forEach(g -> s.append("<p>near-identical (≥ 80 % of words shared): ")
                .append(names(g)).append("</p>"));
        s.append("<h3 id=\"words\">Word frequencies</h3>").append(Svg.wordCloud(c.cloud(), 760))
                .append("<table class=\"compact\"><tr><th>word</th><th>count</th></tr>");
        k.topWords().forEach(w -> s.append("<tr><td>").append(Html.escape(w.word())).append("</td><td>").append(w.count())
                .append("</td></tr>"));
        s.append("</table><h3 id=\"ngrams\">Top n-grams</h3><table class=\"compact\"><tr><th>n-gram</th><th>count</th></tr>");
        k.topNgrams().forEach(w -> s.append("<tr><td>").append(Html.escape(w.ngram())).append("</td><td>").append(w.count())
                .append("</td></tr>"));
        s.append("</table>");
        if (k.looks() != null) {
            s.append("<h3 id=\"looks\">Looks in a character dataset</h3><p>The <code>character</code> preset leaves hair, eyes,"
                    + " skin, body and age to the pixels; these captions name them anyway (").append(k.looks().files().size())
                    .append(" of ").append(c.members().size()).append("):</p><p>");
            k.looks().words().forEach(w -> s.append("<code>").append(Html.escape(w.word())).append("</code> ×").append(w.count())
                    .append(" "));
            s.append("</p><p>").append(names(k.looks().files())).append("</p>");
        }
        s.append("<h3 id=\"filter\">Keyword filter</h3><p><input id=\"kw\" type=\"search\" placeholder=\"words, e.g. red car\" "
                + "autocomplete=\"off\"> <span id=\"kw-count\">").append(c.members().size()).append(" of ")
                .append(c.members().size()).append("</span></p><table id=\"filter-table\">");
        for (int i = 0; i < c.members().size(); i++) {
            Insight.Member m = c.members().get(i);
            // thumbnails for the first rows only: the page stays a few MB even for 10,000 images
            s.append("<tr data-text=\"").append(Html.escape(String.join(" ", Words.of(m.caption())))).append("\"><td>")
                    .append(i < c.tableThumbnails() ? thumb(m.file()) : "").append("</td><td><b>").append(Html.escape(m.file())).append("</b><br>")
                    .append(Html.escape(m.caption())).append("</td></tr>");
        }
        return s.append("</table></section>").toString();
    }

    private String clusters() {
        StringBuilder s = new StringBuilder("<section id=\"clusters\"><h2>Clusters</h2>");
        s.append("<h3 id=\"caption-clusters\">By caption</h3><p>").append(Html.escape(r.settings().captionClustering())).append("</p>");
        r.clusters().forEach(cl -> s.append(cluster(cl)));
        s.append("<h3 id=\"visual-clusters\">By look</h3><p>").append(Html.escape(r.settings().visualClustering())).append("</p>");
        r.visualClusters().forEach(cl -> s.append(cluster(cl)));
        return s.append("</section>").toString();
    }

    private String cluster(Cluster cl) {
        StringBuilder s = new StringBuilder("<div class=\"cluster\"><p><b>").append(cl.members().size()).append(" images</b> · ");
        cl.topWords().forEach(w -> s.append("<code>").append(Html.escape(w)).append("</code> "));
        s.append("</p><div class=\"thumbs\">");
        cl.members().stream().limit(CLUSTER_THUMBNAILS).forEach(f -> s.append(thumb(f)));
        if (cl.members().size() > CLUSTER_THUMBNAILS) {
            s.append("<details><summary>").append(cl.members().size() - CLUSTER_THUMBNAILS).append(" more</summary>")
                    .append(names(cl.members().subList(CLUSTER_THUMBNAILS, cl.members().size()))).append("</details>");
        }
        return s.append("</div></div>").toString();
    }

    private String thumb(String file) {
        return thumb(file, null);
    }

    private String thumb(String file, String note) {
        Integer i = index.get(file);
        Insight.Member m = c.members().get(i);
        int side = 120;
        double scale = side / (double) Math.max(m.width(), m.height());
        int w = Math.max(1, (int) Math.round(m.width() * scale));
        int h = Math.max(1, (int) Math.round(m.height() * scale));
        shown.add(i);
        return "<figure><div class=\"th t" + i + "\" style=\"width:" + w + "px;height:" + h + "px\" title=\"" + Html.escape(file)
                + "\"></div><figcaption>" + Html.escape(file) + (note == null ? "" : "<br>" + Html.escape(note))
                + "</figcaption></figure>";
    }

    private ImageRow row(String file) {
        return r.images().get(index.get(file));
    }

    private static String statsRow(String name, InsightReport.Stats st) {
        return "<tr><td>" + name + "</td><td>" + Svg.fmt(st.min()) + "</td><td>" + Svg.fmt(st.mean()) + "</td><td>"
                + Svg.fmt(st.max()) + "</td></tr>";
    }

    private static String names(List<String> files) {
        if (files.isEmpty()) {
            return "none";
        }
        List<String> shown = new ArrayList<>(files.subList(0, Math.min(50, files.size())));
        String more = files.size() > 50 ? " and " + (files.size() - 50) + " more" : "";
        return "<code>" + String.join("</code>, <code>", shown.stream().map(Html::escape).toList()) + "</code>" + more;
    }

    private static String percent(double fraction) {
        return Svg.fmt(Math.round(fraction * 1000) / 10.0) + " %";
    }

    private static final String CSS = """
            body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
            header{background:#1f5f8b;color:#fff;padding:12px 24px}header a{color:#fff}header code{background:#fff;color:#1f5f8b}
            main{padding:8px 24px}section{background:#fff;border:1px solid #ddd;border-radius:6px;margin:14px 0;padding:4px 18px 14px}
            h2{border-bottom:2px solid #1f5f8b;padding-bottom:4px}h3{margin-top:22px}
            table{border-collapse:collapse;margin:6px 0}td,th{border-bottom:1px solid #eee;padding:3px 8px;text-align:left;vertical-align:top}
            table.compact{display:inline-table;margin-right:24px}tr.flag td{color:#b00020}
            .verdicts li{margin:4px 0}.verdicts .error a{color:#b00020;font-weight:600}.verdicts .warning a{color:#a4590b;font-weight:600}
            .verdicts .info a{color:#1f5f8b}.verdicts .ok a{color:#2a7d2a}
            .row{display:flex;flex-wrap:wrap;gap:18px}.thumbs{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}
            figure{margin:0;width:124px;font-size:11px;word-break:break-all}
            .th{background-size:cover;background-position:center;border:1px solid #ccc;border-radius:3px}
            .pair{border-left:3px solid #e76f51;padding-left:8px;margin:8px 0}.distance{font-weight:600;color:#e76f51}
            .cluster{border-top:1px solid #eee;padding-top:6px}code{background:#f0f0f0;padding:0 3px;border-radius:3px}
            #kw{font-size:15px;padding:4px 8px;width:320px}svg text{font-family:system-ui,sans-serif}
            """;

    /**
     * The Content-Security-Policy for this page when the review station serves it: its own inline
     * style and data: thumbnails, its one inline script by hash (nothing else runs, even if a caption
     * were ever written out unescaped), and a sandbox, so that it cannot act as the logged-in user.
     */
    public static String contentSecurityPolicy() {
        return "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '" + SCRIPT_HASH + "'; "
                + "sandbox allow-scripts; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /** The keyword filter: rows whose caption words contain every typed word stay visible. */
    private static final String FILTER_SCRIPT = """
            (function(){var box=document.getElementById('kw');var rows=document.querySelectorAll('#filter-table tr[data-text]');
            box.addEventListener('input',function(){var want=box.value.toLowerCase().split(/[\\s,]+/).filter(Boolean);var n=0;
            rows.forEach(function(r){var words=' '+r.getAttribute('data-text')+' ';var ok=want.every(function(w){return words.indexOf(w)>=0;});
            r.style.display=ok?'':'none';if(ok){n++;}});document.getElementById('kw-count').textContent=n+' of '+rows.length;});})();
            """;

    private static final String SCRIPT_HASH = "sha256-" + java.util.Base64.getEncoder().encodeToString(sha256(FILTER_SCRIPT));

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

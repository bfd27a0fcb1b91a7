package io.captiond.report;

import java.util.List;
import java.util.Locale;

/** The page's charts as inline SVG: bars and a word cloud. No chart library: a few rectangles and texts. */
final class Svg {

    private static final String[] PALETTE = {"#1f5f8b", "#2a9d8f", "#e76f51", "#6d597a", "#b5651d", "#3d405b"};

    private Svg() {
    }

    record Bar(String label, double value, boolean flagged) {
    }

    /** Horizontal bars, one per row, with an optional vertical threshold line. */
    static String bars(List<Bar> bars, double threshold, String unit) {
        int rowHeight = 18;
        int labelWidth = 220;
        int chartWidth = 480;
        double max = Math.max(threshold, bars.stream().mapToDouble(Bar::value).max().orElse(1));
        max = max <= 0 ? 1 : max;
        int height = bars.size() * rowHeight + 24;
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" width=\"").append(labelWidth + chartWidth + 90).append("\" height=\"").append(height)
                .append("\" role=\"img\">");
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = i * rowHeight + 4;
            double w = Math.max(1, b.value() / max * chartWidth);
            s.append("<text x=\"").append(labelWidth - 6).append("\" y=\"").append(y + 12)
                    .append("\" text-anchor=\"end\" font-size=\"11\">").append(Html.escape(shorten(b.label(), 34))).append("</text>");
            s.append("<rect x=\"").append(labelWidth).append("\" y=\"").append(y).append("\" width=\"").append(fmt(w))
                    .append("\" height=\"").append(rowHeight - 4).append("\" fill=\"").append(b.flagged() ? "#d62828" : "#1f5f8b")
                    .append("\"/>");
            s.append("<text x=\"").append(fmt(labelWidth + w + 4)).append("\" y=\"").append(y + 12).append("\" font-size=\"11\">")
                    .append(fmt(b.value())).append(unit).append("</text>");
        }
        if (threshold > 0) {
            double x = labelWidth + threshold / max * chartWidth;
            s.append("<line x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x)).append("\" y1=\"0\" y2=\"").append(height - 16)
                    .append("\" stroke=\"#d62828\" stroke-dasharray=\"4 3\"/>");
            s.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(height - 4)
                    .append("\" font-size=\"11\" fill=\"#d62828\" text-anchor=\"middle\">").append(fmt(threshold)).append("</text>");
        }
        return s.append("</svg>").toString();
    }

    /**
     * A word cloud: the most frequent words, font size by the square root of their count, laid out in
     * centred lines (a flow layout; widths are estimated from the letter count, which is close enough
     * for a sans-serif face).
     */
    static String wordCloud(List<InsightReport.WordCount> words, int width) {
        if (words.isEmpty()) {
            return "<p>No words.</p>";
        }
        int max = words.get(0).count();
        int min = words.get(words.size() - 1).count();
        StringBuilder body = new StringBuilder();
        double lineWidth = 0;
        double lineHeight = 0;
        double y = 0;
        int colour = 0;
        List<Object[]> placed = new java.util.ArrayList<>();
        // big and small words mixed, the same way every time
        List<InsightReport.WordCount> order = new java.util.ArrayList<>(words);
        java.util.Collections.shuffle(order, new java.util.Random(words.size()));
        for (InsightReport.WordCount w : order) {
            double size = max == min ? 28 : 13 + 35 * Math.sqrt((w.count() - min) / (double) (max - min));
            double wordWidth = w.word().length() * size * 0.58 + 12;
            if (lineWidth + wordWidth > width && !placed.isEmpty()) {
                flush(body, placed, lineWidth, width, y + lineHeight);
                y += lineHeight + 4;
                lineWidth = 0;
                lineHeight = 0;
                placed.clear();
            }
            placed.add(new Object[] {w, size, lineWidth, PALETTE[colour++ % PALETTE.length]});
            lineWidth += wordWidth;
            lineHeight = Math.max(lineHeight, size);
        }
        flush(body, placed, lineWidth, width, y + lineHeight);
        y += lineHeight + 8;
        return "<svg class=\"cloud\" width=\"" + width + "\" height=\"" + fmt(y) + "\" role=\"img\">" + body + "</svg>";
    }

    private static void flush(StringBuilder body, List<Object[]> placed, double lineWidth, int width, double baseline) {
        double offset = (width - lineWidth) / 2;
        for (Object[] p : placed) {
            InsightReport.WordCount w = (InsightReport.WordCount) p[0];
            body.append("<text x=\"").append(fmt(offset + (double) p[2])).append("\" y=\"").append(fmt(baseline - 2))
                    .append("\" font-size=\"").append(fmt((double) p[1])).append("\" fill=\"").append(p[3])
                    .append("\"><title>").append(w.count()).append("</title>").append(Html.escape(w.word())).append("</text>");
        }
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}

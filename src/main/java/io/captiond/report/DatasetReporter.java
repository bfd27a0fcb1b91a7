package io.captiond.report;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.ImageRecord;
import io.captiond.core.RoundExtra;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The dataset insight report of every packaged round: computed before the manifest is written (the
 * manifest carries it as {@code report}), and {@code outbox/<trigger>_report.html} beside the zip.
 * Runs inside the package route's step through {@link RoundExtra}, so the round's lock covers it.
 */
@Component
@Order(1)
public class DatasetReporter implements RoundExtra {

    private static final Logger log = LoggerFactory.getLogger(DatasetReporter.class);

    private final CaptiondProperties.Report settings;
    private final String defaultStyle;

    public DatasetReporter(CaptiondProperties props) {
        this.settings = props.report();
        this.defaultStyle = props.caption().style();
    }

    @Override
    public Added prepare(Round round) throws IOException {
        // the report looks at photos; a video dataset's clips are described by their probe facts in the manifest
        List<ImageRecord> photos = round.members().stream().filter(r -> r.video() == null).toList();
        if (!settings.enabled() || photos.isEmpty()) {
            return Added.NOTHING;
        }
        long started = System.nanoTime();
        List<Insight.Member> members = new ArrayList<>(photos.size());
        for (ImageRecord r : photos) {
            members.add(new Insight.Member(r.output(), round.work().resolve(r.output()), r.width(), r.height(),
                    Files.readString(round.work().resolve(r.sidecarName()), StandardCharsets.UTF_8).strip()));
        }
        String style = round.dataset().settings().style() != null ? round.dataset().settings().style() : defaultStyle;
        String trigger = round.dataset().trigger();
        String name = io.captiond.core.Folders.reportName(trigger);
        Insight.Computed computed = Insight.compute(members, trigger, style, settings, round.scratch());
        try (Thumbnails ignored = computed.thumbnails()) {
            AtomicFiles.write(round.outbox().resolve(name), out -> {
                Writer writer = new java.io.BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                ReportPage.write(computed, round.dataset().name(), trigger, writer);
                writer.flush();
            });
        }
        log.info("Report of dataset '{}': {} in {} ms -> {}", round.dataset().name(), String.join("; ",
                computed.report().verdicts().stream().map(InsightReport.Verdict::text).toList()),
                (System.nanoTime() - started) / 1_000_000, round.outbox().resolve(name));
        return new Added(List.of(), computed.report(), List.of(name));
    }
}

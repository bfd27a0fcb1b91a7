package io.captiond.export;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.ImageRecord;
import io.captiond.core.RoundExtra;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The export formats a round asks for ({@code formats:} in dataset.yaml, else
 * {@code captiond.package.formats}; none by default): {@code metadata.jsonl} and {@code caption-ext}
 * go into the zip, {@code captions.json} and {@code webdataset} beside it. Every file is streamed
 * member by member and appears under its final name only when complete.
 */
@Component
@Order(2)
public class DatasetExports implements RoundExtra {

    private final CaptiondProperties.Packaging settings;

    public DatasetExports(CaptiondProperties props) {
        this.settings = props.packaging();
    }

    @Override
    public Added prepare(Round round) throws IOException {
        List<String> formats = round.dataset().settings().formats() != null ? round.dataset().settings().formats()
                : settings.formats();
        if (formats.isEmpty()) {
            return Added.NOTHING;
        }
        String trigger = round.dataset().trigger();
        List<ZipEntry> entries = new ArrayList<>();
        List<String> files = new ArrayList<>();
        if (formats.contains("caption-ext")) {
            // kohya's --caption_extension=.caption: the same caption under the other name, the .txt stays for everyone else
            for (ImageRecord member : round.members()) {
                String sidecar = member.sidecarName();
                entries.add(new ZipEntry(sidecar.substring(0, sidecar.length() - ".txt".length()) + ".caption",
                        round.work().resolve(sidecar)));
            }
        }
        if (formats.contains("metadata.jsonl")) {
            Path jsonl = round.scratch().resolve(MetadataJsonl.NAME);
            MetadataJsonl.write(jsonl, members(round));
            entries.add(new ZipEntry(MetadataJsonl.NAME, jsonl));
        }
        if (formats.contains("captions.json")) {
            files.addAll(CaptionFiles.write(round.outbox(), trigger, round.dataset().name(), members(round)));
        }
        if (formats.contains("webdataset")) {
            files.addAll(WebDatasetShards.write(round.outbox(), trigger, members(round), settings.webdatasetShardSize()));
        }
        return new Added(entries, null, files);
    }

    /** The members with their image file and caption, read one at a time as the writers go. */
    static Iterable<Member> members(Round round) {
        return () -> round.members().stream().map(r -> new Member(r, round.work().resolve(r.output()),
                round.work().resolve(r.sidecarName()))).iterator();
    }

    /** One member as the writers see it. */
    record Member(ImageRecord record, Path image, Path sidecar) {

        String caption() throws IOException {
            return Files.readString(sidecar, StandardCharsets.UTF_8).strip();
        }
    }
}

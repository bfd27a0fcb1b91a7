package io.captiond.export;

import com.fasterxml.jackson.core.JsonGenerator;
import io.captiond.support.AtomicFiles;
import io.captiond.support.Json;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The Captioning Pro seed's two caption files beside the zip: {@code <trigger>_captions.json}
 * (structured: dataset, trigger and a file name → caption map, in zip order) and
 * {@code <trigger>_captions.txt} (human-readable: each file name, its caption, a blank line).
 */
final class CaptionFiles {

    private CaptionFiles() {
    }

    static List<String> write(Path outbox, String trigger, String dataset, Iterable<DatasetExports.Member> members)
            throws IOException {
        String json = trigger + "_captions.json";
        String txt = trigger + "_captions.txt";
        AtomicFiles.write(outbox.resolve(json), out -> {
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("dataset", dataset);
                g.writeStringField("trigger", trigger);
                g.writeObjectFieldStart("captions");
                for (DatasetExports.Member member : members) {
                    g.writeStringField(member.record().output(), member.caption());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
        });
        AtomicFiles.write(outbox.resolve(txt), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("# captions of dataset " + dataset + " (trigger word: " + trigger + ")\n\n");
            for (DatasetExports.Member member : members) {
                w.write(member.record().output() + "\n" + member.caption() + "\n\n");
            }
            w.flush();
        });
        return List.of(json, txt);
    }
}

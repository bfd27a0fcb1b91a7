package io.captiond.export;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.captiond.support.AtomicFiles;
import io.captiond.support.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hugging Face {@code imagefolder} metadata: one JSON object per line, {@code file_name} and
 * {@code text}, so {@code load_dataset("imagefolder", data_dir=...)} pairs each image with its caption.
 */
final class MetadataJsonl {

    static final String NAME = "metadata.jsonl";
    private static final ObjectWriter LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private MetadataJsonl() {
    }

    static void write(Path target, Iterable<DatasetExports.Member> members) throws IOException {
        AtomicFiles.write(target, out -> {
            for (DatasetExports.Member member : members) {
                Map<String, String> line = new LinkedHashMap<>();
                line.put("file_name", member.record().output());
                line.put("text", member.caption());
                writeLine(out, line);
            }
        });
    }

    private static void writeLine(OutputStream out, Map<String, String> line) throws IOException {
        out.write(LINE.writeValueAsBytes(line));
        out.write('\n');
    }
}

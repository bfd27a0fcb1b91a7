package io.captiond.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Something a stage-like package adds to a packaged round (the insight report, the extra export
 * formats) without the packaging stage knowing it: called once per round, with the members sorted
 * by name, before the zip is written. Implementations live in their own packages; the packaging
 * stage sees only this interface (stages never import each other).
 */
public interface RoundExtra {

    Added prepare(Round round) throws IOException;

    /**
     * @param members the round's members, sorted by output name, each with its caption sidecar in {@code work}
     * @param work    work/&lt;dataset&gt;/, where members and sidecars are read from
     * @param scratch an empty hidden folder for temporary files that must live until the zip is written
     * @param outbox  where files beside the zip go
     */
    record Round(Dataset dataset, List<ImageRecord> members, Path work, Path scratch, Path outbox) {
    }

    /** An extra zip entry: its name at the zip root and the file it is streamed from. */
    record ZipEntry(String name, Path file) {
    }

    /**
     * What one extra contributes.
     *
     * @param zipEntries entries appended to the zip after the members
     * @param report     the manifest's {@code report} object, or null
     * @param files      names of files written beside the zip in the outbox (for the manifest)
     */
    record Added(List<ZipEntry> zipEntries, Object report, List<String> files) {

        public static final Added NOTHING = new Added(List.of(), null, List.of());
    }
}

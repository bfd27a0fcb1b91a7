package io.captiond.packaging;

import io.captiond.core.CaptionRules;
import io.captiond.core.CaptionText;
import io.captiond.core.Companions;
import io.captiond.core.Dataset;
import io.captiond.core.FileNames;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.core.Quarantine;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * User captions ({@code <stem>.txt}) that arrived after their image was captioned replace the
 * model's caption; tags and captions now belong to the round and move to .originals. A caption
 * or tags file that matches no member goes to failed/ with the reason.
 */
@Component
public class LateCompanions {

    private static final Logger log = LoggerFactory.getLogger(LateCompanions.class);

    private final Folders folders;
    private final ImageRecords records;
    private final CaptionRules captions;
    private final Quarantine quarantine;

    public LateCompanions(Folders folders, ImageRecords records, CaptionRules captions, Quarantine quarantine) {
        this.folders = folders;
        this.records = records;
        this.captions = captions;
        this.quarantine = quarantine;
    }

    public void apply(Dataset dataset, List<ImageRecord> members) throws IOException {
        Path inbox = folders.inbox(dataset.name());
        List<Path> companions = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(inbox, entry -> {
            String name = entry.getFileName().toString();
            return FileNames.isCaptionFile(name) || FileNames.isTagsFile(name);
        })) {
            files.forEach(companions::add);
        }
        for (Path file : companions) {
            String fileName = file.getFileName().toString();
            if (fileName.equals(Folders.PROBLEM_FILE) || fileName.startsWith(".")) {
                continue;
            }
            String stem = FileNames.stem(fileName);
            boolean isCaption = FileNames.isCaptionFile(fileName);
            List<ImageRecord> owners = members.stream().filter(r -> Companions.belongsTo(fileName, r.sourceStem())).toList();
            if (owners.isEmpty()) {
                quarantine.put(dataset.name(), file, "package", (isCaption ? "caption" : "tags")
                        + " file without a matching image in this dataset (no image named " + stem + ".*)");
                continue;
            }
            if (isCaption) {
                String text = Companions.text(file);
                for (ImageRecord owner : owners) {
                    useUserCaption(dataset, owner, text);
                }
            }
            AtomicFiles.moveToFolderKeepingBoth(file, folders.originals(dataset.name()), fileName);
        }
    }

    /**
     * A caption the user dropped (possibly after the model's was made), by captiond.caption.existing:
     * keep replaces the model's caption, append adds the user's words to it, overwrite ignores them.
     */
    private void useUserCaption(Dataset dataset, ImageRecord owner, String text) throws IOException {
        Path sidecar = folders.work(dataset.name()).resolve(owner.sidecarName());
        String current = Files.exists(sidecar) ? Files.readString(sidecar, StandardCharsets.UTF_8).strip() : "";
        if (text.isEmpty() || "overwrite".equals(captions.existing())) {
            return;
        }
        boolean append = "append".equals(captions.existing()) && !current.isEmpty() && !"user".equals(owner.captioner());
        String caption = append ? CaptionRules.appended(current, text) : captions.finish(CaptionText.clean(text), dataset, true);
        if (!caption.equals(current)) {
            String who = append ? owner.captioner().replace("+user", "") + "+user" : "user";
            records.save(dataset.name(), owner.captionedBy(who, List.of()));
            AtomicFiles.writeString(sidecar, caption + "\n");
            log.info("{} the user's caption for {}/{}", append ? "Appended" : "Used", dataset.name(), owner.output());
        }
    }
}

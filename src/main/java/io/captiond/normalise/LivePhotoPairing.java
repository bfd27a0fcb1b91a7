package io.captiond.normalise;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.makernotes.AppleMakernoteDirectory;
import io.captiond.core.Dataset;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.core.VideoFacts;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Finds the still a video belongs to when it is a Live Photo's motion part: an iPhone exports
 * {@code IMG_1234.HEIC} (or {@code .JPG}) with {@code IMG_1234.MOV}. Same stem (case aside), the
 * still in the inbox, already a member, or among the originals; when both files carry Apple's
 * {@code ContentIdentifier} (QuickTime metadata in the clip, maker note 0x11 in the still), they must
 * agree, so a clip that merely shares a name with an unrelated photo is not taken for one.
 */
@Component
public class LivePhotoPairing {

    private final Folders folders;
    private final ImageRecords records;

    public LivePhotoPairing(Folders folders, ImageRecords records) {
        this.folders = folders;
        this.records = records;
    }

    /** Whether the dataset wants motion parts as video members (dataset.yaml wins over the property). */
    static boolean clipsAreMembers(Dataset dataset, String configured) {
        String wanted = dataset.settings().livePhotos() != null ? dataset.settings().livePhotos() : configured;
        return "video".equals(wanted.strip().toLowerCase(Locale.ROOT));
    }

    /** The name of the still this clip is the motion part of, if any. */
    public Optional<String> photoFor(String dataset, Path clip, VideoFacts facts) throws IOException {
        String stem = stem(clip.getFileName().toString());
        for (Path still : candidates(dataset, clip, stem)) {
            if (facts.contentIdentifier() == null || agrees(still, facts.contentIdentifier())) {
                return Optional.of(still.getFileName().toString());
            }
        }
        for (ImageRecord member : records.all(dataset)) {
            if (member.video() == null && member.sourceStem().equalsIgnoreCase(stem)) {
                Path kept = folders.originals(dataset).resolve(member.source());
                if (facts.contentIdentifier() == null || !Files.isRegularFile(kept) || agrees(kept, facts.contentIdentifier())) {
                    return Optional.of(member.source());
                }
            }
        }
        return Optional.empty();
    }

    /** Stills of the same stem still in the inbox (the clip may be read before its photo). */
    private List<Path> candidates(String dataset, Path clip, String stem) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folders.inbox(dataset))) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!file.equals(clip) && stem(name).equalsIgnoreCase(stem) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    ImageType type = ImageSniffer.sniff(file);
                    if (type.supported() && !type.video()) {
                        found.add(file);
                    }
                }
            }
        }
        return found;
    }

    /** True when the still carries no ContentIdentifier (nothing to contradict) or the same one. */
    private static boolean agrees(Path still, String clipId) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(still.toFile());
            for (AppleMakernoteDirectory apple : metadata.getDirectoriesOfType(AppleMakernoteDirectory.class)) {
                String id = apple.getString(AppleMakernoteDirectory.TAG_CONTENT_IDENTIFIER);
                if (id != null && !id.isBlank()) {
                    return id.strip().equalsIgnoreCase(clipId.strip());
                }
            }
            return true;
        } catch (Exception e) {
            return true; // unreadable maker notes say nothing against the pairing by name
        }
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}

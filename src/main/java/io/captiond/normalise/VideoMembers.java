package io.captiond.normalise;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.CaptionJob;
import io.captiond.core.Dataset;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.core.LivePhotos;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The normalise stage for one video: limits, ffprobe, Live Photo pairing, then the member(s) made
 * by {@link VideoConverter}. The original moves to work/&lt;dataset&gt;/.originals/ like a photo's;
 * a Live Photo's motion part in an image dataset goes there too, recorded but not a member.
 */
@Component
public class VideoMembers {

    private static final Logger log = LoggerFactory.getLogger(VideoMembers.class);

    private final Folders folders;
    private final ImageRecords records;
    private final VideoProbe probe;
    private final VideoConverter converter;
    private final LivePhotoPairing pairing;
    private final LivePhotos livePhotos;
    private final CaptiondProperties.Video config;

    public VideoMembers(Folders folders, ImageRecords records, VideoProbe probe, VideoConverter converter,
            LivePhotoPairing pairing, LivePhotos livePhotos, CaptiondProperties props) {
        this.folders = folders;
        this.records = records;
        this.probe = probe;
        this.converter = converter;
        this.pairing = pairing;
        this.livePhotos = livePhotos;
        this.config = props.video();
    }

    List<CaptionJob> normalise(Dataset dataset, Path source) throws IOException {
        String ds = dataset.name();
        String name = source.getFileName().toString();
        long bytes = Files.size(source);
        List<ImageRecord> previous = fromSource(ds, name);
        if (!previous.isEmpty()) {
            Path work = folders.work(ds);
            if (previous.get(0).sourceBytes() == bytes && previous.stream().allMatch(r -> Files.exists(work.resolve(r.output())))) {
                keepOriginal(ds, source); // a restart after the members were written but before the original moved
                return jobs(ds, previous);
            }
            for (ImageRecord old : previous) {
                Files.deleteIfExists(work.resolve(old.output()));
                Files.deleteIfExists(work.resolve(old.sidecarName()));
                records.delete(ds, old);
            }
            log.info("{}/{} was dropped again: it replaces {} member(s)", ds, name, previous.size());
        }
        if (bytes > config.maxBytes().toBytes()) {
            throw new RejectedInputException("video is " + bytes / (1024 * 1024) + " MB, over the limit of "
                    + config.maxBytes().toMegabytes() + " MB (captiond.video.max-bytes)");
        }
        ImageType type = ImageSniffer.sniff(source);
        Path temp = folders.records(ds).getParent();
        Files.createDirectories(temp);
        VideoProbe.Probed probed = probe.probe(source, type, temp);
        if (!LivePhotoPairing.clipsAreMembers(dataset, config.livePhotos())) {
            Optional<String> photo = pairing.photoFor(ds, source, probed.facts());
            if (photo.isPresent()) {
                livePhotos.setAside(ds, new LivePhotos.MotionPart(name, photo.get(), probed.facts().contentIdentifier(),
                        probed.facts().durationSeconds(), Instant.now()));
                keepOriginal(ds, source);
                log.info("{}/{} is the Live Photo motion part of {}: kept in .originals, not a member "
                        + "(live-photos: video in dataset.yaml makes such clips video members)", ds, name, photo.get());
                return List.of();
            }
        }
        Path work = folders.work(ds);
        Files.createDirectories(work);
        List<ImageRecord> made = converter.convert(ds, source, name, bytes, type, probed, work, temp);
        for (ImageRecord record : made) {
            records.save(ds, record);
        }
        keepOriginal(ds, source);
        var f = probed.facts();
        log.info("Normalised {}/{} -> {} ({} {} {}x{} {} s, {}{})", ds, name,
                String.join(", ", made.stream().map(ImageRecord::output).toList()), f.container(), f.codec(),
                f.displayWidth(), f.displayHeight(), Math.round(f.durationSeconds() * 10) / 10.0,
                made.get(0).video().processing(), made.get(0).warnings().isEmpty() ? "" : "; " + String.join("; ", made.get(0).warnings()));
        return jobs(ds, made);
    }

    private List<ImageRecord> fromSource(String dataset, String name) {
        return records.all(dataset).stream().filter(r -> r.video() != null && r.sourceFile().equals(name)).toList();
    }

    private static List<CaptionJob> jobs(String dataset, List<ImageRecord> made) {
        return made.stream().map(r -> new CaptionJob(dataset, r.output())).toList();
    }

    private void keepOriginal(String dataset, Path source) throws IOException {
        AtomicFiles.moveToFolderKeepingBoth(source, folders.originals(dataset), source.getFileName().toString());
    }
}

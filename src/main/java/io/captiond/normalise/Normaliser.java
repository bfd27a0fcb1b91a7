package io.captiond.normalise;

import io.captiond.core.CaptionJob;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.Dataset;
import io.captiond.core.Datasets;
import io.captiond.core.EnvironmentFaultException;
import io.captiond.core.EnvironmentFaults;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.support.AtomicFiles;
import io.captiond.support.StoppingException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The normalise stage: turns one settled inbox file into a dataset member in work/&lt;dataset&gt;/
 * (JPEG, PNG or WebP, upright, within limits), records it, and moves the original to
 * work/&lt;dataset&gt;/.originals/. Inputs it will not take raise {@link RejectedInputException}, which
 * the route turns into a quarantine entry.
 */
@Component("normaliser")
public class Normaliser {

    private static final Logger log = LoggerFactory.getLogger(Normaliser.class);

    private final Folders folders;
    private final Datasets datasets;
    private final ImageRecords records;
    private final ImageConverters converters;
    private final CaptiondProperties.Normalise limits;
    private final EnvironmentFaults faults;
    private final VideoMembers videos;

    public Normaliser(Folders folders, Datasets datasets, ImageRecords records,
            ImageConverters converters, CaptiondProperties props, EnvironmentFaults faults, VideoMembers videos) {
        this.videos = videos;
        this.folders = folders;
        this.faults = faults;
        this.datasets = datasets;
        this.records = records;
        this.converters = converters;
        this.limits = props.normalise();
    }

    /**
     * Returns the caption jobs for the new member(s): one for an image, one per part for a video
     * (a long video may be split), none when there is nothing (more) to do.
     */
    public List<CaptionJob> normalise(@Header("CamelFileAbsolutePath") String path) throws IOException {
        Path source = Path.of(path);
        if (Files.isRegularFile(source) && !Files.isSymbolicLink(source) && Files.size(source) > 0
                && ImageSniffer.sniff(source).video()) {
            Dataset dataset = datasets.get(folders.datasetOf(source));
            return dataset.usable() ? videos.normalise(dataset, source) : List.of();
        }
        CaptionJob job = normalise(source);
        return job == null ? List.of() : List.of(job);
    }

    /**
     * A full disk, a read-only work/ or an I/O error is not the file's fault: it stays in the inbox
     * (intake pauses until the fault is gone) instead of going to failed/.
     */
    CaptionJob normalise(Path source) throws IOException {
        if (faults.paused()) {
            return null; // taken just before the pause: left in the inbox for after it
        }
        try {
            return normaliseFile(source);
        } catch (StoppingException | EnvironmentFaultException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (faults.report(folders.work(), e)) {
                throw new EnvironmentFaultException(source.getFileName() + " stays in the inbox: " + faults.summary(), e);
            }
            throw e;
        }
    }

    private CaptionJob normaliseFile(Path source) throws IOException {
        String name = source.getFileName().toString();
        Dataset dataset = datasets.get(folders.datasetOf(source));
        if (!dataset.usable()) {
            return null; // stopped between poll and processing; the file stays for when it is fixed
        }
        if (Files.isSymbolicLink(source)) {
            throw new RejectedInputException("symbolic link: captiond does not follow links out of the inbox");
        }
        if (!Files.isRegularFile(source)) {
            if (Files.exists(source) && !Files.isDirectory(source)) {
                // never opened: reading a FIFO blocks until a writer comes, a device may never end
                throw new RejectedInputException("not a regular file (a FIFO, socket or device): captiond reads only regular files");
            }
            return null; // deleted (or replaced by a folder) since the poll
        }
        long bytes = Files.size(source);
        Optional<ImageRecord> previous = records.bySource(dataset.name(), name);
        if (previous.isPresent()) {
            if (previous.get().sourceBytes() == bytes && Files.exists(folders.work(dataset.name()).resolve(previous.get().output()))) {
                // a restart after the member was written but before the original moved: finish the move
                keepOriginal(dataset.name(), source);
                return new CaptionJob(dataset.name(), previous.get().output());
            }
            replacePrevious(dataset.name(), previous.get());
        }
        ImageRecord record = convert(dataset, source, name, bytes);
        try {
            records.save(dataset.name(), record);
        } catch (IOException | RuntimeException e) {
            discardPartial(dataset.name(), folders.work(dataset.name()).resolve(record.output()), record.output());
            throw e;
        }
        keepOriginal(dataset.name(), source);
        log.info("Normalised {}/{} -> {} ({} {}x{}{})", dataset.name(), name, record.output(), record.sourceFormat(),
                record.width(), record.height(), record.warnings().isEmpty() ? "" : "; " + String.join("; ", record.warnings()));
        return new CaptionJob(dataset.name(), record.output());
    }

    private ImageRecord convert(Dataset dataset, Path source, String name, long bytes) throws IOException {
        if (bytes == 0) {
            throw new RejectedInputException("empty file (0 bytes)");
        }
        if (bytes > limits.maxBytes().toBytes()) {
            throw new RejectedInputException("file is " + bytes / (1024 * 1024) + " MB, over the limit of "
                    + limits.maxBytes().toMegabytes() + " MB (captiond.normalise.max-bytes)");
        }
        ImageType type = ImageSniffer.sniff(source);
        if (!type.supported()) {
            throw new RejectedInputException("unsupported file type: " + describe(type)
                    + "; captiond takes JPEG, PNG, WebP, HEIC/HEIF/AVIF, MPO, BMP, TIFF, GIF and videos (MP4, MOV, WebM, MKV, AVI)");
        }
        ExifFacts exif = ExifFacts.read(source, type);
        ImageConverter converter = converters.forType(type);
        String output = records.allocateOutputName(dataset.name(), name, converter.outputExtension(source, type, exif));
        Path target = folders.work(dataset.name()).resolve(output);
        Files.createDirectories(target.getParent());
        Converted converted;
        try {
            converted = converter.convert(source, target, type, exif);
        } catch (RejectedInputException | FileSystemException | StoppingException e) {
            discardPartial(dataset.name(), target, output);
            throw e; // the input's fault / the environment's fault / a shutdown: each says so itself
        } catch (IOException | RuntimeException e) {
            discardPartial(dataset.name(), target, output);
            if (faults.conditionOf(e) != null) {
                throw e; // "No space left on device" while writing the member: the machine's fault, not the file's
            }
            throw new RejectedInputException("cannot decode this " + type.label() + ": " + e.getMessage(), e);
        }
        java.util.List<String> warnings = new java.util.ArrayList<>(converted.warnings());
        if (exif.orientationWarning() != null) {
            warnings.add(exif.orientationWarning());
        }
        return new ImageRecord(name, type.label(), bytes, output, converted.format(), converted.width(),
                converted.height(), Files.size(target), exif.camera(), warnings, null, Instant.now(), null,
                converted.alpha(), null);
    }

    /** A member that was not finished is no member: its half-written file goes, its name is free again. */
    private void discardPartial(String dataset, Path target, String output) {
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            log.debug("Could not remove the unfinished {}: {}", target, e.toString());
        }
        records.releaseOutputName(dataset, output);
    }

    /** A file dropped again under the same name replaces the member made from the earlier one. */
    private void replacePrevious(String dataset, ImageRecord previous) throws IOException {
        Path work = folders.work(dataset);
        Files.deleteIfExists(work.resolve(previous.output()));
        Files.deleteIfExists(work.resolve(previous.sidecarName()));
        records.delete(dataset, previous);
        log.info("{}/{} was dropped again: it replaces the member {}", dataset, previous.source(), previous.output());
    }

    private void keepOriginal(String dataset, Path source) throws IOException {
        AtomicFiles.moveToFolderKeepingBoth(source, folders.originals(dataset), source.getFileName().toString());
    }

    private static String describe(ImageType type) {
        return switch (type) {
            case UNKNOWN -> "not an image captiond recognises (checked by content, not by name)";
            default -> type.label().toUpperCase(java.util.Locale.ROOT);
        };
    }
}

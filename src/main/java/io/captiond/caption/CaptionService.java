package io.captiond.caption;

import io.captiond.core.CaptionJob;
import io.captiond.core.CaptionRules;
import io.captiond.core.CaptioningStatus;
import io.captiond.core.CaptionText;

import io.captiond.caption.provider.ProviderCaptioner;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.Companions;
import io.captiond.core.Dataset;
import io.captiond.core.Datasets;
import io.captiond.core.EnvironmentFaultException;
import io.captiond.core.EnvironmentFaults;
import io.captiond.core.Quarantine;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.support.AtomicFiles;
import io.captiond.support.Stopping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The caption stage for one member: a sidecar that exists is never made again (no request is paid
 * twice, across restarts); a caption the user dropped as {@code <stem>.txt} is used as written;
 * otherwise the active captioner describes the downscaled copy. Either way the text is cleaned,
 * carries the trigger word, and lands atomically in {@code <stem>.txt} next to the member.
 */
@Component("captionService")
public class CaptionService implements CaptioningStatus {

    private static final Logger log = LoggerFactory.getLogger(CaptionService.class);

    private final Folders folders;
    private final Datasets datasets;
    private final ImageRecords records;
    private final Companions companions;
    private final Captioner captioner;
    private final CaptiondProperties props;
    private final CaptionRules rules;
    private final EnvironmentFaults faults;
    private final PaidCaptions paid;
    private final Quarantine quarantine;
    private final ProviderProblemFiles problems;
    private final Stopping stopping;
    private final FrameSampler frames;

    public CaptionService(Folders folders, Datasets datasets, ImageRecords records, Companions companions,
            Captioner captioner, CaptiondProperties props, CaptionRules rules, EnvironmentFaults faults,
            PaidCaptions paid, Quarantine quarantine, ProviderProblemFiles problems, Stopping stopping,
            FrameSampler frames) {
        this.frames = frames;
        this.faults = faults;
        this.paid = paid;
        this.quarantine = quarantine;
        this.problems = problems;
        this.stopping = stopping;
        this.folders = folders;
        this.datasets = datasets;
        this.records = records;
        this.companions = companions;
        this.captioner = captioner;
        this.props = props;
        this.rules = rules;
    }

    public void caption(CaptionJob job) throws Exception {
        if (stopping.getAsBoolean()) { // taken from the queue during the stop: left for the next start
            throw new ProviderPausedException(job.dataset() + "/" + job.output() + " is left uncaptioned: captiond is stopping",
                    null);
        }
        Optional<ImageRecord> found = records.byOutput(job.dataset(), job.output());
        Path member = folders.work(job.dataset()).resolve(job.output());
        if (found.isEmpty() || !Files.exists(member)) {
            log.info("{}/{} is no longer there; nothing to caption", job.dataset(), job.output());
            return;
        }
        ImageRecord record = found.get();
        Path sidecar = member.resolveSibling(record.sidecarName());
        if (Files.exists(sidecar)) {
            return;
        }
        Dataset dataset = datasets.get(job.dataset());
        if (!dataset.usable()) {
            return; // the recovery pass picks it up once the dataset is fixed
        }
        if (quarantine.verdict(job.dataset(), job.output()).isPresent()) {
            quarantine.retryMember(job); // failed for good earlier, only failed/ would not take it: never paid again
            return;
        }
        if (faults.paused()) {
            throw new EnvironmentFaultException(job.output() + " waits uncaptioned: " + faults.summary(), null);
        }
        Optional<PaidCaptions.Kept> kept = paid.of(job, record.normalisedAt());
        if (kept.isPresent()) {
            write(job, record, sidecar, kept.get().caption(), kept.get().who());
            return;
        }
        Optional<String> userCaption = companions.caption(job.dataset(), record.sourceStem())
                .filter(text -> !"overwrite".equals(rules.existing()));
        String text;
        String who;
        if (userCaption.isPresent() && "keep".equals(rules.existing())) {
            text = userCaption.get();
            who = "user";
        } else {
            if (captioner instanceof ProviderCaptioner provider) {
                provider.checkConfigured(); // the recovery pass requeues waiting members: no preview for nothing
            }
            String tags = companions.tags(job.dataset(), record.sourceStem()).orElse(null);
            text = captioner.describe(request(member, record, dataset, tags));
            who = captioner.name();
            if (userCaption.isPresent()) { // append: the user's words follow the model's
                text = CaptionRules.appended(CaptionText.clean(text), userCaption.get());
                who = who + "+user";
            }
        }
        String caption = finish(text, dataset, who, record.video() != null);
        Optional<ImageRecord> now = records.byOutput(job.dataset(), job.output());
        if (now.isEmpty() || !Objects.equals(now.get().normalisedAt(), record.normalisedAt())) {
            // the photo was dropped again (or removed) while it was being captioned: this caption
            // describes the old one; the recovery pass queues the new member for its own caption
            log.info("{}/{} changed while it was captioned; its caption is made again", job.dataset(), job.output());
            return;
        }
        write(job, record, sidecar, caption, who);
        if (!"user".equals(who)) {
            problems.captioned(job.dataset());
        }
    }

    /** A caption paid for is never thrown away: when work/ cannot take it, it is kept for the next try. */
    private void write(CaptionJob job, ImageRecord record, Path sidecar, String caption, String who) throws Exception {
        try {
            records.save(job.dataset(), record.captionedBy(who, List.of()));
            AtomicFiles.writeString(sidecar, caption + "\n");
        } catch (java.io.IOException | RuntimeException e) {
            if (faults.report(folders.work(), e)) {
                paid.keep(job, record.normalisedAt(), caption, who);
                throw new EnvironmentFaultException("the caption of " + job.output() + " is kept until work/ takes it: "
                        + faults.summary(), e);
            }
            throw e;
        }
        paid.written(job);
        log.info("Captioned {}/{} ({}): {}", job.dataset(), record.output(), who, caption);
    }

    /** A video member is described from the clip and frames sampled across it; an image from its preview. */
    private CaptionRequest request(Path member, ImageRecord record, Dataset dataset, String tags) throws Exception {
        int side = props.normalise().captionSide();
        if (record.video() != null) {
            ClipFrames clip = frames.sample(member, record, props.video().captionFrames(), side);
            return new CaptionRequest(clip.middle(), record, dataset, tags, clip);
        }
        return new CaptionRequest(Preview.of(member, record.width(), record.height(), side), record, dataset, tags);
    }

    /**
     * Why captions are not coming, when the provider is paused (daily quota, no credit): appended to
     * the packager's "waiting" line, so the log says what a dataset waits for. Empty otherwise.
     */
    @Override
    public String pauseNotice() {
        if (captioner instanceof ProviderCaptioner provider && provider.misconfiguration() != null) {
            return " (" + provider.name() + " cannot be used until its configuration is fixed: "
                    + provider.misconfiguration().problem() + "; fix: " + provider.misconfiguration().fix() + ")";
        }
        if (captioner instanceof ProviderCaptioner provider && provider.limiter().pausedUntil() != null) {
            return " (" + provider.name() + " is paused until " + provider.limiter().pausedUntil() + ": "
                    + provider.limiter().pauseReason() + ")";
        }
        return "";
    }

    @Override
    public Instant captionsResumeAt() {
        if (captioner instanceof ProviderCaptioner provider) {
            return provider.misconfiguration() != null ? Instant.MAX : provider.limiter().pausedUntil();
        }
        return null;
    }

    /** {@link #finish(String, Dataset, String, boolean)} for an image member. */
    public String finish(String raw, Dataset dataset, String who) {
        return finish(raw, dataset, who, false);
    }

    /**
     * Cleans a caption and enforces the trigger (a clip's with the video template); a model's empty
     * answer (retried) or refusal (not) is not a caption.
     */
    public String finish(String raw, Dataset dataset, String who, boolean video) {
        String cleaned = CaptionText.clean(raw);
        if (cleaned.isEmpty()) {
            throw new EmptyCaptionException(who + " returned no caption text");
        }
        boolean byUser = "user".equals(who);
        if (!byUser && CaptionText.isRefusal(cleaned)) { // paid for, and asked again it would refuse again
            throw new FatalCaptionException(who + " answered with a refusal, not a caption (not asked again): " + cleaned);
        }
        return rules.finish(cleaned, dataset, byUser, video);
    }
}

package io.captiond.upload;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the upload of one packaged zip stands; kept in {@code work/<dataset>/.captiond/uploads/
 * <contentSha256>.json} and shown in the manifest as {@code "upload"}. Written before every wait,
 * so a restart resumes exactly here: the file id before the training is created, the training id
 * before it is polled. Mutable on purpose: one upload route exchange owns it at a time.
 */
public class UploadState {

    /** Phases before a training exists. */
    public static final String QUEUED = "queued";
    public static final String UPLOADED = "uploaded";
    public static final String CREATING = "creating";
    public static final String TRAINING = "training";
    /** Ends without a training outcome: the zip or settings were refused, or Replicate refused a request. */
    public static final String REJECTED = "rejected";
    public static final String ERROR = "error";
    static final Set<String> ENDED_WITHOUT_TRAINING = Set.of(REJECTED, ERROR);

    public String dataset;
    public String trigger;
    public String contentSha256;
    public long zipBytes;
    /** queued, uploaded, creating, training, then the training's own end state, or rejected / error. */
    public String status;
    public String destination;
    public String trainer;
    public String hardware;
    public String visibility;
    public String webhook;
    /** Trainer options as written down: secret ones hold {@link SecretOptions#PLACEHOLDER}. */
    public Map<String, Object> options = new LinkedHashMap<>();
    /** The secret options' values: in memory only. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Map<String, Object> secrets = new LinkedHashMap<>();
    public String captionStyle;
    public String fileId;
    public String fileUrl;
    /** A training POST was sent for this content: whatever became of it, look before posting again. */
    public boolean creationAttempted;
    public Instant requestedAt;
    public Instant uploadedAt;
    public Instant updatedAt;
    public Training training;
    public List<String> warnings;
    public String error;

    /** Identifies the upload in this process: the same content may be a member of two datasets. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String key() {
        return dataset + "@" + contentSha256;
    }

    public boolean ended() {
        return ENDED_WITHOUT_TRAINING.contains(status) || (training != null && training.finished());
    }

    public boolean startedATraining() {
        return training != null && training.id() != null;
    }

    /** The one-line summary the log gets at the end. */
    public String summary() {
        if (training != null && training.finished()) {
            return "Training of '" + dataset + "' " + training.status() + " (" + training.url() + ")"
                    + (training.outputVersion() != null ? ": new version " + training.outputVersion() : "")
                    + (training.weights() != null ? ", weights " + training.weights() : "")
                    + (training.error() != null ? ": " + training.error() : "");
        }
        return "Upload of '" + dataset + "' " + status + (error != null ? ": " + error : "");
    }
}

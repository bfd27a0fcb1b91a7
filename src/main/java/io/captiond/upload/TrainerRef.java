package io.captiond.upload;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A model in Replicate's {@code owner/name:version} notation (a trainer; no version means "the latest"). */
public record TrainerRef(String owner, String name, String version) {

    private static final Pattern NOTATION = Pattern.compile("([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)(?::([0-9a-f]{64}))?");

    public static TrainerRef parse(String text) {
        Matcher m = NOTATION.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new UploadRejectedException("trainer '" + text + "' is not owner/name or owner/name:<64-hex version id>");
        }
        return new TrainerRef(m.group(1), m.group(2), m.group(3));
    }

    /** A training destination: owner/name, no version (each training adds one). */
    public static TrainerRef destination(String text) {
        Matcher m = NOTATION.matcher(text == null ? "" : text.strip());
        if (!m.matches() || m.group(3) != null) {
            throw new UploadRejectedException("destination '" + text + "' is not owner/name");
        }
        return new TrainerRef(m.group(1), m.group(2), null);
    }

    public TrainerRef withVersion(String versionId) {
        return new TrainerRef(owner, name, versionId);
    }

    public String model() {
        return owner + "/" + name;
    }

    @Override
    public String toString() {
        return version == null ? model() : model() + ":" + version;
    }
}

package io.captiond.packaging;

import java.nio.file.Path;

/** A dataset round that was just packaged: the message from the package route to upload. */
public record Packaged(String dataset, String trigger, Path zip, Path manifest, String contentSha256, int images) {
}

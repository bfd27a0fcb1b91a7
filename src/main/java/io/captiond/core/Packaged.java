package io.captiond.core;

import java.nio.file.Path;

/**
 * A dataset round that was just packaged: the message from the package route to upload.
 *
 * @param triggerNote what the user wrote into trigger.done (empty when it was empty); the upload
 *                    stage reads its upload wishes from it
 */
public record Packaged(String dataset, String trigger, Path zip, Path manifest, String contentSha256, int images,
        String triggerNote) {
}

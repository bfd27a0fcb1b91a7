package io.captiond.upload;

import java.time.Duration;

/** Waits between requests that end early, with {@link UploadStoppedException}, when captiond stops. */
@FunctionalInterface
public interface Pauses {

    void pause(Duration duration);
}

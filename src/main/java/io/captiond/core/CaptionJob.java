package io.captiond.core;

/** A dataset member waiting for its caption: the message from normalise (and recovery) to caption. */
public record CaptionJob(String dataset, String output) {
}

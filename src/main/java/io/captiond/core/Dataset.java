package io.captiond.core;

/**
 * A dataset as captiond sees it right now: its folder name and either its settings and trigger word
 * or the problem that stops it.
 */
public record Dataset(String name, DatasetSettings settings, String trigger, String problem) {

    public boolean usable() {
        return problem == null;
    }
}

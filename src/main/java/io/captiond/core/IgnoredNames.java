package io.captiond.core;

import java.util.Locale;
import java.util.Set;

/**
 * Names in a drop folder that are not the user's photos: hidden files, macOS AppleDouble and
 * Finder files, Windows and NAS system folders, and the temporary names of copies in progress.
 * They are skipped, not quarantined.
 */
public final class IgnoredNames {

    private static final Set<String> SYSTEM = Set.of(
            "thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r", "@eadir", "#recycle", "#snapshot",
            "$recycle.bin", "system volume information", "lost+found", "__macosx");
    /** Suffixes browsers, sync tools and copy programs give files they are still writing. */
    private static final Set<String> PARTIAL_SUFFIXES = Set.of(
            ".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".filepart", ".!sync", ".syncthing");

    private IgnoredNames() {
    }

    public static boolean ignored(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.startsWith("~$") || name.startsWith("@")) {
            return true;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (SYSTEM.contains(lower)) {
            return true;
        }
        return PARTIAL_SUFFIXES.stream().anyMatch(lower::endsWith);
    }
}

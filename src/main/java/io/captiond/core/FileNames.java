package io.captiond.core;

import java.util.Locale;

/**
 * Stems, extensions and what a caption file is, for every stage: one rule in one place. Extensions
 * are compared without regard to case ({@code IMG_1.TXT} captions {@code IMG_1.HEIC}), as for images.
 */
public final class FileNames {

    /** A caption file: {@code <stem of its image>.txt}, in the inbox, in work/ and in the zip. */
    public static final String CAPTION_EXTENSION = "txt";
    /** A tags file: {@code <stem of its image>.tags}, comma-separated tags given to the model. */
    public static final String TAGS_EXTENSION = "tags";

    private FileNames() {
    }

    /** The name without its last extension; a leading dot (a hidden name) is not an extension. */
    public static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** The last extension, lower case, without the dot; empty when there is none. */
    public static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /** The caption file of an image: its stem with {@code .txt}. */
    public static String captionFileOf(String imageName) {
        return stem(imageName) + "." + CAPTION_EXTENSION;
    }

    public static boolean isCaptionFile(String fileName) {
        return extension(fileName).equals(CAPTION_EXTENSION);
    }

    public static boolean isTagsFile(String fileName) {
        return extension(fileName).equals(TAGS_EXTENSION);
    }

    /** Whether two names are one on the case-insensitive shares users copy from (SMB, macOS, Windows). */
    public static boolean sameName(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }
}

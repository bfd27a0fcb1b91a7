package io.captiond.normalise;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import io.captiond.core.ImageRecord;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The EXIF facts captiond uses, read with metadata-extractor (JPEG, PNG, WebP and HEIF alike):
 * the orientation to bake into the pixels and the camera facts a caption may mention.
 */
public record ExifFacts(int orientation, boolean hasGps, ImageRecord.Exif camera, Integer invalidOrientation) {

    public ExifFacts(int orientation, boolean hasGps, ImageRecord.Exif camera) {
        this(orientation, hasGps, camera, null);
    }

    /** The manifest's warning when the file's Orientation tag held no valid value (treated as 1), else null. */
    public String orientationWarning() {
        return invalidOrientation == null ? null
                : "EXIF orientation " + invalidOrientation + " is not a valid value (1-8): treated as 1, the image as stored";
    }

    public static final ExifFacts NONE = new ExifFacts(1, false, null);

    /** The same facts with another orientation (one the decoder has already applied, say). */
    public ExifFacts withOrientation(int value) {
        return new ExifFacts(value, hasGps, camera, invalidOrientation);
    }

    public static ExifFacts read(Path file) {
        ImageType type;
        try {
            type = ImageSniffer.sniff(file);
        } catch (java.io.IOException e) {
            return NONE;
        }
        return read(file, type);
    }

    /**
     * For JPEG and MPO only the EXIF segments are read (the general reader also looks at every
     * other segment and may read on to the end of the file, which costs more than the pass-through
     * copy of an upright JPEG).
     */
    public static ExifFacts read(Path file, ImageType type) {
        Metadata metadata;
        try {
            metadata = type == ImageType.JPEG || type == ImageType.MPO
                    ? JpegMetadataReader.readMetadata(file.toFile(), List.of(new ExifReader()))
                    : ImageMetadataReader.readMetadata(file.toFile());
        } catch (Exception | StackOverflowError e) {
            return NONE; // metadata is a nicety; a file without readable EXIF is still an image
        }
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        ExifSubIFDDirectory sub = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        int orientation = 1;
        Integer invalid = null;
        if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
            Integer value = ifd0.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
            orientation = value != null && value >= 1 && value <= 8 ? value : 1;
            invalid = value != null && orientation != value ? value : null;
        }
        GpsDirectory gpsDirectory = metadata.getFirstDirectoryOfType(GpsDirectory.class);
        boolean gps = gpsDirectory != null && gpsDirectory.getTagCount() > 0; // a blanked one is no location
        String make = text(ifd0, ExifIFD0Directory.TAG_MAKE);
        String model = text(ifd0, ExifIFD0Directory.TAG_MODEL);
        String lens = text(sub, ExifSubIFDDirectory.TAG_LENS_MODEL);
        Double focal = sub != null && sub.containsTag(ExifSubIFDDirectory.TAG_FOCAL_LENGTH)
                ? sub.getDoubleObject(ExifSubIFDDirectory.TAG_FOCAL_LENGTH) : null;
        LocalDateTime taken = localTime(sub);
        ImageRecord.Exif camera = new ImageRecord.Exif(make, model, lens, focal, taken);
        return new ExifFacts(orientation, gps, camera.isEmpty() ? null : camera, invalid);
    }

    private static final DateTimeFormatter EXIF_TIME = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");

    /**
     * When the photo was taken, on the clock where it was taken. DateTimeOriginal is that
     * wall-clock time; OffsetTimeOriginal, when present, only says which zone the clock was in, so
     * it is never applied: metadata-extractor's {@code getDateOriginal} does apply it (it returns an
     * instant), which turned 14:33 at +09:00 into 05:33, "in the morning".
     */
    static LocalDateTime localTime(ExifSubIFDDirectory sub) {
        String text = sub == null ? null : sub.getString(ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL);
        if (text == null) {
            return null;
        }
        String trimmed = text.replace('\0', ' ').trim();
        try {
            return LocalDateTime.parse(trimmed.length() > 19 ? trimmed.substring(0, 19) : trimmed, EXIF_TIME);
        } catch (DateTimeParseException e) {
            return null; // "    :  :     :  :  " and other blanks cameras write
        }
    }

    private static String text(Directory dir, int tag) {
        if (dir == null) {
            return null;
        }
        String value = dir.getString(tag);
        if (value == null) {
            return null;
        }
        value = value.replace('\0', ' ').trim();
        return value.isEmpty() ? null : value;
    }
}

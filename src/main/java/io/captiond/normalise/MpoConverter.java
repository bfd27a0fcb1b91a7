package io.captiond.normalise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * MPO members: the primary frame, cut out byte for byte at the length the MPF index gives (see
 * {@link MpoFrames}), minus its APP2 MPF segment — that index would point at frames that are no
 * longer there, and Pillow or libjpeg-based tools would still take the file for an MPO. What is
 * left is a standard JPEG, handled as any JPEG is (orientation, GPS, pass-through when upright).
 */
@Component
public class MpoConverter implements ImageConverter {

    private final JpegConverter jpeg;

    public MpoConverter(JpegConverter jpeg) {
        this.jpeg = jpeg;
    }

    @Override
    public boolean handles(ImageType type) {
        return type == ImageType.MPO;
    }

    @Override
    public String outputExtension(ImageType type, ExifFacts exif) {
        return "jpg";
    }

    @Override
    public Converted convert(Path source, Path target, ImageType type, ExifFacts exif) throws IOException {
        byte[] mpo = Files.readAllBytes(source);
        MpoFrames.Primary primary = MpoFrames.primary(mpo);
        List<String> notes = new ArrayList<>();
        notes.add("MPO: " + primary.frames() + " frame" + (primary.frames() == 1 ? "" : "s")
                + ", primary kept (" + primary.length() + " bytes)");
        if (primary.note() != null) {
            notes.add(primary.note());
        }
        byte[] frame = MpoFrames.withoutMpfSegment(Arrays.copyOf(mpo, primary.length()));
        return jpeg.convert(frame, target, exif, notes);
    }
}

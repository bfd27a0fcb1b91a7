package io.captiond.caption.basic;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.normalise.ExifFacts;
import io.captiond.normalise.JpegSegments;
import io.captiond.support.Pixels;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The offline captioner's time of day is the clock where the photo was taken: DateTimeOriginal as
 * written, whatever OffsetTimeOriginal says (it names the zone, it is not applied), never UTC.
 */
class TimeOfDayTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "taken {0} at offset ''{1}'': {2}, in the {3}")
    @CsvSource({
        "2024:07:14 14:33:00, +09:00, 14, afternoon",
        "2024:07:14 14:33:00, -07:00, 14, afternoon",
        "2024:07:14 14:33:00, '', 14, afternoon",
        "2024:12:31 20:10:05, +05:30, 20, evening",
        "2024:01:02 06:45:00, -10:00, 6, morning",
    })
    void theHourIsTheLocalWallClock(String dateTime, String offset, int hour, String timeOfDay) throws Exception {
        Path jpeg = jpegTaken(dateTime, offset.isEmpty() ? null : offset);

        ExifFacts exif = ExifFacts.read(jpeg);

        assertThat(exif.camera().taken().getHour()).isEqualTo(hour);
        assertThat(BasicCaptioner.camera(exif.camera())).endsWith("in the " + timeOfDay);
    }

    /** A small JPEG whose EXIF has DateTimeOriginal and, when given, OffsetTimeOriginal. */
    private Path jpegTaken(String dateTime, String offset) throws Exception {
        List<byte[]> values = new ArrayList<>(List.of(ascii(dateTime)));
        List<Integer> tags = new ArrayList<>(List.of(0x9003));
        if (offset != null) {
            values.add(ascii(offset));
            tags.add(0x9011);
        }
        int subIfd = 8 + 2 + 12 + 4;
        int data = subIfd + 2 + tags.size() * 12 + 4;
        ByteBuffer b = ByteBuffer.allocate(data + values.stream().mapToInt(v -> v.length).sum());
        b.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        b.putShort((short) 1).putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(subIfd).putInt(0);
        b.putShort((short) tags.size());
        int at = data;
        for (int i = 0; i < tags.size(); i++) {
            b.putShort(tags.get(i).shortValue()).putShort((short) 2).putInt(values.get(i).length).putInt(at);
            at += values.get(i).length;
        }
        b.putInt(0);
        values.forEach(b::put);
        byte[] tiff = b.array();
        byte[] image = Pixels.encodeJpeg(new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR), 0.9f);
        Path file = tmp.resolve("taken.jpg");
        Files.write(file, JpegSegments.withSegments(image, List.of(JpegSegments.exifSegment(tiff, 0, tiff.length))));
        return file;
    }

    private static byte[] ascii(String text) {
        return (text + "\0").getBytes(StandardCharsets.US_ASCII);
    }
}

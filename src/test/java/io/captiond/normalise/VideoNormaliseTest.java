package io.captiond.normalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.CaptionJob;
import io.captiond.core.Dataset;
import io.captiond.core.DatasetSettings;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.core.LivePhotos;
import io.captiond.support.Clips;
import io.captiond.support.TestProperties;
import io.captiond.support.VideoTools;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phone videos into trainer-ready members, with the real ffprobe and ffmpeg: an iPhone's rotated
 * portrait HEVC becomes an upright H.264 MP4, a VFR clip a constant-rate one, audio is dropped, a
 * long clip is split into parts that fit a trainer's frame bucket, a clip that already fits passes
 * byte for byte, and broken or oversized files are refused with the tool's own words before any decode.
 */
class VideoNormaliseTest {

    @TempDir
    Path root;
    Path inbox;

    @BeforeEach
    void folders() throws Exception {
        Clips.assumeFfmpeg();
        inbox = Files.createDirectories(root.resolve("inbox/clips"));
    }

    @Test
    void aRotatedPortraitHevcFromAnIphoneBecomesAnUprightH264Mp4() throws Exception {
        Clips.assumeEncoder("libx265");
        Clips.rotatedPortraitHevc(inbox, "IMG_0001.MOV");
        Members made = normalise("IMG_0001.MOV");

        ImageRecord r = made.only();
        assertThat(r.output()).isEqualTo("IMG_0001.mp4");
        assertThat(r.video().source().codec()).isEqualTo("hevc");
        assertThat(r.video().source().rotation()).isNotZero();
        assertThat(r.video().processing()).isEqualTo("transcode");
        assertThat(r.video().output().codec()).isEqualTo("h264");
        assertThat(r.video().output().rotation()).isZero();
        assertThat(r.width()).isEqualTo(240);
        assertThat(r.height()).isEqualTo(320);
        Path member = made.work.resolve("IMG_0001.mp4");
        assertThat(Clips.stream(member, "width,height")).isEqualTo("240\n320");
        BufferedImage frame = Clips.frame(member, 0.5);
        assertThat(red(frame.getRGB(120, 10))).as("red band at the top, as the phone showed it").isGreaterThan(200);
        assertThat(red(frame.getRGB(120, 300))).as("blue below").isLessThan(60);
        assertThat(made.originals.resolve("IMG_0001.MOV")).exists();
        assertThat(inbox.resolve("IMG_0001.MOV")).doesNotExist();
    }

    @Test
    void aVariableFrameRateClipGetsAConstantFrameRate() throws Exception {
        Clips.variableFrameRate(inbox, "vfr.mp4");
        ImageRecord r = normalise("vfr.mp4").only();

        assertThat(r.video().source().variableFrameRate()).isTrue();
        assertThat(r.video().processing()).isEqualTo("transcode");
        assertThat(r.video().output().variableFrameRate()).isFalse();
        Path member = root.resolve("work/clips/vfr.mp4");
        assertThat(Clips.stream(member, "r_frame_rate")).isEqualTo(Clips.stream(member, "avg_frame_rate"));
        assertThat(r.video().changes()).anyMatch(c -> c.contains("constant"));
    }

    @Test
    void audioIsDroppedByStreamCopyAndAFittingClipPassesByteForByte() throws Exception {
        Clips.h264(inbox, "talk.mp4", 1, 320, 240, true);
        Path silent = Clips.h264(inbox, "silent.mp4", 1, 320, 240, false);
        byte[] silentBytes = Files.readAllBytes(silent);

        ImageRecord talk = normalise("talk.mp4").only();
        assertThat(talk.video().source().audio()).isEqualTo("aac");
        assertThat(talk.video().processing()).isEqualTo("remux");
        assertThat(talk.video().output().audio()).isNull();
        assertThat(Clips.streams(root.resolve("work/clips/talk.mp4"))).doesNotContain("audio");

        ImageRecord quiet = normalise("silent.mp4").only();
        assertThat(quiet.video().processing()).isEqualTo("passthrough");
        assertThat(root.resolve("work/clips/silent.mp4")).hasBinaryContent(silentBytes);
    }

    @Test
    void aTwentySecondClipIsSplitIntoPartsThatFitWansEightyOneFramesAtSixteenFps() throws Exception {
        Clips.h264(inbox, "walk.mp4", 20, 320, 240, true);
        Members made = normalise("walk.mp4", "captiond.video.split-seconds", "8", "captiond.video.fps", "16",
                "captiond.video.max-frames", "81", "captiond.video.max-side", "160");

        assertThat(made.records).extracting(ImageRecord::output)
                .containsExactly("walk_part01.mp4", "walk_part02.mp4", "walk_part03.mp4");
        assertThat(made.records).extracting(ImageRecord::source).containsExactly("walk.mp4", "walk.mp4#2", "walk.mp4#3");
        assertThat(made.records).allSatisfy(r -> {
            assertThat(r.sourceStem()).isEqualTo("walk");
            assertThat(r.video().output().fps()).isEqualTo(16.0);
            assertThat(r.video().output().frames()).isLessThanOrEqualTo(81);
            assertThat(Math.max(r.width(), r.height())).isEqualTo(160);
            assertThat(r.video().parts()).isEqualTo(3);
        });
        assertThat(made.records.get(0).video().output().frames()).isEqualTo(81);
        assertThat(made.records.get(2).video().startSeconds()).isEqualTo(16.0);
        assertThat(made.records.get(2).video().output().durationSeconds()).isBetween(3.5, 4.5);
        assertThat(made.jobs).hasSize(3);
    }

    @Test
    void aTruncatedRecordingIsRefusedWithFfprobesOwnWords() throws Exception {
        Clips.truncated(inbox, "cut.mp4");
        assertThatThrownBy(() -> normalise("cut.mp4"))
                .isInstanceOf(RejectedInputException.class)
                .hasMessageContaining("ffprobe cannot read this video")
                .hasMessageContaining("moov atom not found")
                .hasMessageNotContaining(root.toString());
    }

    @Test
    void limitsAreCheckedFromTheProbeBeforeAnythingIsDecoded() throws Exception {
        Clips.h264(inbox, "long.mp4", 3, 320, 240, false);
        assertThatThrownBy(() -> normalise("long.mp4", "captiond.video.max-duration", "2s"))
                .isInstanceOf(RejectedInputException.class).hasMessageContaining("captiond.video.max-duration");
        assertThatThrownBy(() -> normalise("long.mp4", "captiond.video.max-pixels", "1000"))
                .isInstanceOf(RejectedInputException.class).hasMessageContaining("320x240");
        assertThatThrownBy(() -> normalise("long.mp4", "captiond.video.max-bytes", "1KB"))
                .isInstanceOf(RejectedInputException.class).hasMessageContaining("captiond.video.max-bytes");
        assertThat(root.resolve("work/clips/long.mp4")).doesNotExist();
        assertThat(inbox.resolve("long.mp4")).exists(); // the route's error handler quarantines it
    }

    @Test
    void videosAreRecognisedFromTheirBytesWhateverTheirName() throws Exception {
        Path mov = Clips.h264(inbox, "a.bin", 1, 64, 48, false);
        assertThat(ImageSniffer.sniff(mov)).isEqualTo(ImageType.MP4);
        Path webm = inbox.resolve("b.dat");
        Clips.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10", "-t", "1", "-c:v", "libvpx-vp9", "-f", "webm",
                webm.toString());
        assertThat(ImageSniffer.sniff(webm)).isEqualTo(ImageType.WEBM);
        Path mkv = inbox.resolve("c.dat");
        Clips.ffmpeg("-i", mov.toString(), "-c", "copy", "-f", "matroska", mkv.toString());
        assertThat(ImageSniffer.sniff(mkv)).isEqualTo(ImageType.MKV);
        Path avi = inbox.resolve("d.dat");
        Clips.ffmpeg("-i", mov.toString(), "-c:v", "mpeg4", "-f", "avi", avi.toString());
        assertThat(ImageSniffer.sniff(avi)).isEqualTo(ImageType.AVI);
        Path qt = inbox.resolve("e.dat");
        Clips.ffmpeg("-i", mov.toString(), "-c", "copy", "-f", "mov", qt.toString());
        assertThat(ImageSniffer.sniff(qt)).isEqualTo(ImageType.MOV);

        ImageRecord fromWebm = normalise("b.dat").only();
        assertThat(fromWebm.output()).isEqualTo("b.mp4");
        assertThat(fromWebm.video().source().container()).isEqualTo("webm");
        assertThat(fromWebm.video().output().codec()).isEqualTo("h264");
    }

    @Test
    void aLivePhotoMotionPartIsSetAsideWithItsContentIdentifierNotMadeAMember() throws Exception {
        Files.copy(io.captiond.support.Fixtures.image("Landscape_6.jpg"), inbox.resolve("IMG_0300.JPG"));
        Clips.livePhotoClip(inbox, "IMG_0300.MOV", "4F1C2A7E-1234-4E5B-9C3D-ABCDEF012345");

        Members made = normalise("IMG_0300.MOV");

        assertThat(made.jobs).isEmpty();
        assertThat(made.records).isEmpty();
        assertThat(made.originals.resolve("IMG_0300.MOV")).exists();
        assertThat(inbox.resolve("IMG_0300.MOV")).doesNotExist();
        List<LivePhotos.MotionPart> parts = new LivePhotos(new Folders(TestProperties.with("captiond.work",
                root.resolve("work").toString()))).all("clips");
        assertThat(parts).singleElement().satisfies(p -> {
            assertThat(p.clip()).isEqualTo("IMG_0300.MOV");
            assertThat(p.photo()).isEqualTo("IMG_0300.JPG");
            assertThat(p.contentIdentifier()).isEqualTo("4F1C2A7E-1234-4E5B-9C3D-ABCDEF012345");
        });
    }

    @Test
    void aClipWithoutAStillOfItsStemIsAVideoMember() throws Exception {
        Files.copy(io.captiond.support.Fixtures.image("Landscape_6.jpg"), inbox.resolve("IMG_0400.JPG"));
        Clips.livePhotoClip(inbox, "IMG_0401.MOV", "0C7D1E2F-0000-4E5B-9C3D-ABCDEF012345");

        assertThat(normalise("IMG_0401.MOV").only().video().source().contentIdentifier())
                .isEqualTo("0C7D1E2F-0000-4E5B-9C3D-ABCDEF012345");
    }

    private Members normalise(String name, String... properties) throws Exception {
        List<String> all = new ArrayList<>(List.of("captiond.inbox", root.resolve("inbox").toString(),
                "captiond.work", root.resolve("work").toString()));
        all.addAll(List.of(properties));
        CaptiondProperties props = TestProperties.with(all.toArray(String[]::new));
        Folders folders = new Folders(props);
        ImageRecords records = new ImageRecords(folders);
        VideoTools tools = new VideoTools(props);
        VideoProbe probe = new VideoProbe(tools);
        VideoMembers members = new VideoMembers(folders, records, probe, new VideoConverter(tools, probe, records, props),
                new LivePhotoPairing(folders, records), new LivePhotos(folders), props);
        List<CaptionJob> jobs = members.normalise(new Dataset("clips", DatasetSettings.NONE, "clips", null),
                inbox.resolve(name));
        return new Members(jobs, records.all("clips").stream().filter(r -> r.sourceFile().equals(name)).toList(),
                folders.work("clips"), folders.originals("clips"));
    }

    private record Members(List<CaptionJob> jobs, List<ImageRecord> records, Path work, Path originals) {
        ImageRecord only() {
            assertThat(records).hasSize(1);
            return records.get(0);
        }
    }

    private static int red(int rgb) {
        return (rgb >> 16) & 0xFF;
    }
}

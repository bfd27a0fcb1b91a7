package io.captiond.caption;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.caption.prompt.Prompts;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.CaptionRules;
import io.captiond.core.Dataset;
import io.captiond.core.DatasetSettings;
import io.captiond.support.ProviderHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A clip's caption reads as a video caption ("video of TOK, …") wherever its template comes from,
 * and the model is told so; an image's caption keeps its photo wording. Anchor mode and the user's
 * own words are not templated, for clips as for images.
 */
class VideoCaptionWordingTest {

    private static final String ANSWER = "A man walks along a pier, the camera tracking him";

    private static CaptiondProperties props(Map<String, String> settings) {
        return new ProviderHarness(settings).props;
    }

    private static Dataset dataset(String template, String videoTemplate, String mode) {
        return new Dataset("pier", new DatasetSettings("pier_walk", null, template, mode, null, null, null, null,
                videoTemplate), "pier_walk", null);
    }

    @Test
    void theDefaultTemplateSaysVideoForAClipAndPhotoForAnImage() {
        CaptionRules rules = new CaptionRules(props(Map.of()));
        Dataset ds = dataset(null, null, null);

        assertThat(rules.finish(ANSWER, ds, false, true)).isEqualTo("video of pier_walk, a man walks along a pier, the camera tracking him");
        assertThat(rules.finish(ANSWER, ds, false, false)).isEqualTo("photo of pier_walk, a man walks along a pier, the camera tracking him");
        assertThat(rules.finish(ANSWER, ds, false)).startsWith("photo of pier_walk, ");
    }

    @Test
    void aCustomImageTemplateCarriesOverToClipsWithItsNounSwapped() {
        CaptionRules daemonWide = new CaptionRules(props(Map.of("captiond.caption.template", "A Photograph of {trigger}: {caption}")));
        assertThat(daemonWide.finish(ANSWER, dataset(null, null, null), false, true))
                .isEqualTo("A Video of pier_walk: a man walks along a pier, the camera tracking him");

        CaptionRules rules = new CaptionRules(props(Map.of()));
        assertThat(rules.finish(ANSWER, dataset("an image of {trigger}, {caption}", null, null), false, true))
                .startsWith("a video of pier_walk, ");
        assertThat(rules.finish(ANSWER, dataset("{trigger} {caption}", null, null), false, true))
                .isEqualTo("pier_walk a man walks along a pier, the camera tracking him");
    }

    @Test
    void anExplicitVideoTemplateWinsForClipsOnly() {
        CaptionRules configured = new CaptionRules(props(Map.of("captiond.caption.video-template", "a clip of {trigger}, {caption}")));
        assertThat(configured.finish(ANSWER, dataset(null, null, null), false, true)).startsWith("a clip of pier_walk, a man walks");
        assertThat(configured.finish(ANSWER, dataset(null, null, null), false, false)).startsWith("photo of pier_walk, a man walks");

        CaptionRules rules = new CaptionRules(props(Map.of()));
        Dataset own = dataset("photo of {trigger}, {caption}", "footage of {trigger}, {caption}", null);
        assertThat(rules.finish(ANSWER, own, false, true)).startsWith("footage of pier_walk, a man walks");
        assertThat(rules.finish(ANSWER, own, false, false)).startsWith("photo of pier_walk, a man walks");
    }

    @Test
    void anchorModeAndTheUsersOwnWordsAreNotTemplated() {
        CaptionRules rules = new CaptionRules(props(Map.of()));
        assertThat(rules.finish(ANSWER, dataset(null, null, "anchor"), false, true)).isEqualTo("pier_walk, " + ANSWER);
        assertThat(rules.finish("pier_walk jogs at dawn", dataset(null, null, null), true, true)).isEqualTo("pier_walk jogs at dawn");
        assertThat(rules.finish("jogs at dawn", dataset(null, null, null), true, true)).isEqualTo("pier_walk, jogs at dawn");
    }

    @Test
    void theModelIsToldItsCaptionFollowsTheVideoTemplate() {
        Prompts prompts = new Prompts(props(Map.of()).caption());
        ClipFrames clip = new ClipFrames(Path.of("walk.mp4"), 1, null, List.of(ProviderHarness.preview().image()),
                List.of(ProviderHarness.preview().jpeg()));
        Dataset ds = dataset(null, null, null);

        var video = prompts.forRequest(new CaptionRequest(ProviderHarness.preview(), null, ds, "pier, dusk", clip));
        assertThat(video.system()).contains("appended to \"video of pier_walk,\"").doesNotContain("photo of");
        assertThat(video.user()).contains("this video clip").contains("Tags given for this clip");

        var image = prompts.forRequest(new CaptionRequest(ProviderHarness.preview(), null, ds, null));
        assertThat(image.system()).contains("appended to \"photo of pier_walk,\"");
    }
}

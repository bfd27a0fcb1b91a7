package io.captiond.caption;

import io.captiond.core.CaptionText;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.caption.prompt.CaptionPrompt;
import io.captiond.caption.prompt.Prompts;
import io.captiond.support.http.RetryHints;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.Dataset;
import io.captiond.core.DatasetSettings;
import io.captiond.support.ProviderHarness;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a model's answer must go through before it is a caption, what the model is asked, and the hints it gives back. */
class CaptionHygieneTest {

    @Test
    void refusalsAreRecognisedAndCaptionsAreNot() {
        assertThat(CaptionText.isRefusal("I'm sorry, but I can't help with identifying people.")).isTrue();
        assertThat(CaptionText.isRefusal("I\u2019m sorry, I cannot describe this image")).isTrue();
        assertThat(CaptionText.isRefusal("Sorry, I am unable to process images of this kind.")).isTrue();
        assertThat(CaptionText.isRefusal("I cannot identify the person in this photo.")).isTrue();
        assertThat(CaptionText.isRefusal("a sorry-looking dog under the rain")).isFalse();
        assertThat(CaptionText.isRefusal("Icelandic horses grazing near a fjord")).isFalse();
    }

    @Test
    void smartQuotesMarkdownAndPreamblesAreCleanedThenDecorated() {
        String cleaned = CaptionText.clean("Sure! Here's a caption for the image:\n\n\u201C**A woman** in a red coat\nwalks a dog.\u201D");
        assertThat(cleaned).isEqualTo("A woman in a red coat walks a dog.");
        String withTrigger = CaptionText.withTrigger(cleaned, "zeke_portrait", "photo of {trigger}, {caption}", "template");
        assertThat(CaptionText.decorate(withTrigger, "", ", 35mm film", List.of(new CaptiondProperties.Replacement("dog", "beagle"))))
                .isEqualTo("photo of zeke_portrait, a woman in a red coat walks a beagle., 35mm film");
    }

    @Test
    void theCharacterPresetAsksForPoseAndFramingNotLooksAndTagsGoAlong() {
        var props = new ProviderHarness(Map.of("captiond.caption.length", "long")).props;
        Dataset dataset = new Dataset("annika", new DatasetSettings("annika_v2", "character", null, "anchor", null, null),
                "annika_v2", null);
        CaptionPrompt prompt = new Prompts(props.caption()).forRequest(
                new CaptionRequest(ProviderHarness.preview(), null, dataset, "beach,\nsunset"));

        assertThat(prompt.system()).contains("pose").contains("framing").contains("Do not describe the person's face")
                .contains("by the name annika_v2").contains("two to four sentences");
        assertThat(prompt.user()).contains("beach, sunset");

        Dataset custom = new Dataset("shop", new DatasetSettings("shop_mug", null, null, null,
                "Describe only the table setting around {trigger}.", null), "shop_mug", null);
        assertThat(new Prompts(props.caption()).forRequest(new CaptionRequest(ProviderHarness.preview(), null, custom, null))
                .system()).contains("Describe only the table setting around shop_mug.").doesNotContain("main subject and what");
    }

    @Test
    void everyAdvertisedWaitIsRead() {
        assertThat(RetryHints.fromHeaders(Map.of("retry-after-ms", "1500", "Retry-After", "9"))).isEqualTo(Duration.ofMillis(1500));
        assertThat(RetryHints.fromHeaders(Map.of("Retry-After", "7"))).isEqualTo(Duration.ofSeconds(7));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        assertThat(RetryHints.fromHeaders(Map.of("retry-after", date))).isBetween(Duration.ofSeconds(28), Duration.ofSeconds(30));
        assertThat(RetryHints.fromText("Quota exceeded. Please retry in 22.4s.")).isEqualTo(Duration.ofMillis(22400));
        assertThat(RetryHints.fromText("Request was throttled. Your rate limit resets in ~30s.")).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryHints.fromText("Request was throttled. Expected available in 1 second.")).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryHints.fromText("Rate limit reached. Please try again in 820ms.")).isEqualTo(Duration.ofMillis(820));
        assertThat(RetryHints.fromHeaders(Map.of())).isNull();
        assertThat(RetryHints.fromResetHeader(Map.of("x-ratelimit-reset-requests", "6m0s"))).isEqualTo(Duration.ofMinutes(6));
        assertThat(RetryHints.fromResetHeader(Map.of("X-RateLimit-Reset-Requests", "1.5s"))).isEqualTo(Duration.ofMillis(1500));
        assertThat(RetryHints.fromResetHeader(Map.of("x-ratelimit-reset-requests", "12ms"))).isEqualTo(Duration.ofMillis(12));
    }

    @Test
    void keysNeverAppearInConfigurationText() {
        var props = new ProviderHarness(Map.of("captiond.gemini.api-key", "AIza-secret-1", "captiond.openai.api-key", "sk-secret-2",
                "captiond.replicate.api-token", "r8_secret-3")).props;
        assertThat(props.toString()).doesNotContain("secret").contains("apiKey=(set)").contains("apiToken=(set)");
    }
}

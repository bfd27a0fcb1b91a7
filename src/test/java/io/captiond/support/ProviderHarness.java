package io.captiond.support;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.captiond.caption.CaptionRequest;
import io.captiond.caption.Preview;
import io.captiond.caption.prompt.Prompts;
import io.captiond.caption.provider.CamelProviderHttp;
import io.captiond.caption.provider.GeminiCaptioner;
import io.captiond.caption.provider.OpenAiCaptioner;
import io.captiond.caption.provider.ProviderCaptioner;
import io.captiond.caption.provider.ProviderHttp;
import io.captiond.caption.provider.ProviderMetrics;
import io.captiond.caption.provider.ReplicateCaptioner;
import io.captiond.caption.provider.ReplicatePredictions;
import io.captiond.caption.provider.ReplicateProviderHttp;
import io.captiond.caption.throttle.ProviderLimiter;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.Dataset;
import io.captiond.core.DatasetSettings;
import io.captiond.support.replicate.ReplicateClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * A provider captioner as the daemon builds it (typed configuration bound from properties with
 * their defaults, camel-http with automatic retries off, a real limiter and meters), without the
 * rest of the daemon: contract tests call it against a local server speaking the provider's protocol.
 */
public final class ProviderHarness implements AutoCloseable {

    private final CamelContext camel;
    private final ProducerTemplate template;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final CaptiondProperties props;

    public ProviderHarness(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("captiond.rate.window", "1s", "captiond.rate.connect-timeout", "1s"));
        all.putAll(properties);
        this.props = new Binder(new MapConfigurationPropertySource(all)).bind("captiond", CaptiondProperties.class)
                .orElseThrow(() -> new IllegalStateException("cannot bind"));
        try {
            camel = new DefaultCamelContext();
            HttpComponent http = new HttpComponent();
            http.setAutomaticRetriesDisabled(true);
            CamelProviderHttp.sizePool(http, props.rate().workers()); // as CaptionerConfiguration does
            camel.addComponent("http", http);
            camel.start();
            template = camel.createProducerTemplate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public GeminiCaptioner gemini() {
        var c = props.gemini();
        ProviderLimiter limiter = ProviderLimiter.create("gemini", props.rate(), c.defaultRpm());
        return new GeminiCaptioner(c, http(c.baseUrl(), c.timeout()), limiter, new ProviderMetrics(registry, "gemini", limiter),
                new Prompts(props.caption()), props);
    }

    public OpenAiCaptioner openai() {
        var c = props.openai();
        ProviderLimiter limiter = ProviderLimiter.create("openai", props.rate(), c.defaultRpm());
        return new OpenAiCaptioner(c, http(c.baseUrl(), c.timeout()), limiter, new ProviderMetrics(registry, "openai", limiter),
                new Prompts(props.caption()), props);
    }

    public ReplicateCaptioner replicate() {
        return replicate(dataset -> {
            throw new IllegalStateException("this harness keeps no prediction files");
        });
    }

    /** A Replicate captioner that remembers its predictions under {@code stateFolder.apply(dataset)}, as the daemon does. */
    public ReplicateCaptioner replicate(java.util.function.Function<String, java.nio.file.Path> stateFolder) {
        var c = props.replicate();
        ProviderLimiter limiter = ProviderLimiter.create("replicate", props.rate(), c.defaultRpm());
        var client = new ReplicateClient(c.baseUrl(), c::apiToken, props.rate().connectTimeout());
        return new ReplicateCaptioner(c, new ReplicateProviderHttp(client, c.timeout()), limiter,
                new ProviderMetrics(registry, "replicate", limiter), new Prompts(props.caption()), props,
                new ReplicatePredictions(stateFolder));
    }

    private ProviderHttp http(String baseUrl, Duration timeout) {
        return new CamelProviderHttp(template, baseUrl, props.rate().connectTimeout(), timeout);
    }

    /** A request for a small real JPEG in dataset "zeke" with trigger zeke_portrait. */
    public static CaptionRequest request(String tags) {
        return new CaptionRequest(preview(), null, new Dataset("zeke", DatasetSettings.NONE, "zeke_portrait", null), tags);
    }

    public static Preview preview() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(8, 8, 40, 30);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", jpeg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Preview(image, jpeg.toByteArray());
    }

    /** A JSON answer as the providers send it. */
    public static ResponseDefinitionBuilder json(int status, String body) {
        return WireMock.aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body);
    }

    public double count(String meter, String... tags) {
        var search = registry.find(meter).tags(tags);
        return search.counter() == null ? 0 : search.counter().count();
    }

    public static String describe(ProviderCaptioner captioner) {
        try {
            return captioner.describe(request(null));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            camel.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

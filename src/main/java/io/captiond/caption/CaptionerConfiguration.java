package io.captiond.caption;

import io.captiond.caption.basic.BasicCaptioner;
import io.captiond.caption.prompt.Prompts;
import io.captiond.caption.provider.GeminiCaptioner;
import io.captiond.caption.provider.OpenAiCaptioner;
import io.captiond.caption.provider.ProviderCaptioner;
import io.captiond.caption.provider.CamelProviderHttp;
import io.captiond.caption.provider.ProviderHttp;
import io.captiond.caption.provider.ProviderMetrics;
import io.captiond.caption.provider.ReplicateCaptioner;
import io.captiond.caption.provider.ReplicatePredictions;
import io.captiond.caption.provider.ReplicateProviderHttp;
import io.captiond.caption.throttle.ProviderLimiter;
import io.captiond.config.CaptiondConfigurationException;
import io.captiond.config.CaptiondProperties;
import io.captiond.core.Folders;
import io.captiond.support.Stopping;
import io.captiond.support.replicate.ReplicateClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.camel.Ordered;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the active captioner from {@code captiond.provider} and says at start-up which provider
 * and model run. {@code auto}: Gemini when a Gemini key is set, else Replicate when a Replicate
 * token is set, else an OpenAI-compatible server when its base URL is set, else the embedded
 * {@code basic}. One captioner runs per daemon, so its limiter is the provider's one limiter.
 */
@Configuration(proxyBeanMethods = false)
public class CaptionerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CaptionerConfiguration.class);

    @Bean
    Captioner captioner(CaptiondProperties props, ProducerTemplate template, MeterRegistry registry, Folders folders,
            Stopping stopping, ReplicateClient replicateClient) {
        String chosen = choose(props);
        Captioner captioner = switch (chosen) {
            case "gemini" -> gemini(props, template, registry);
            case "openai" -> openai(props, template, registry);
            case "replicate" -> replicate(props, replicateClient, registry,
                    new ReplicatePredictions(dataset -> folders.records(dataset).getParent()));
            default -> new BasicCaptioner();
        };
        if (captioner instanceof ProviderCaptioner p) {
            p.stopWhen(stopping);
            var limiter = p.limiter();
            String inFlight = props.rate().concurrency() > 0 ? String.valueOf(props.rate().concurrency())
                    : "up to " + limiter.maxConcurrency() + " (adaptive)";
            log.info("Captioning with {} (captiond.provider={}): at most {} requests per {} s ({}), {} at once, {} attempts per image",
                    p.name(), props.provider(), Math.round(limiter.limit()), props.rate().window().toSeconds(),
                    limiter.mode().name().toLowerCase(java.util.Locale.ROOT), inFlight, props.rate().maxAttempts());
        } else {
            log.info("Captioning with the embedded offline captioner 'basic' (captiond.provider={})", props.provider());
        }
        return captioner;
    }

    /** The provider {@code auto} stands for, or the one configured (checked for what it needs). */
    static String choose(CaptiondProperties props) {
        String provider = props.provider();
        if (provider.equals("auto")) {
            if (!props.gemini().apiKey().isBlank()) {
                return "gemini";
            }
            if (!props.replicate().apiToken().isBlank()) {
                return "replicate";
            }
            return props.openai().baseUrl().isBlank() ? "basic" : "openai";
        }
        if (provider.equals("gemini") && props.gemini().apiKey().isBlank()) {
            throw new CaptiondConfigurationException("captiond.provider=gemini needs a key, and none is set",
                    "set GEMINI_API_KEY (or captiond.gemini.api-key)");
        }
        if (provider.equals("replicate") && props.replicate().apiToken().isBlank()) {
            throw new CaptiondConfigurationException("captiond.provider=replicate needs a token, and none is set",
                    "set REPLICATE_API_TOKEN (or captiond.replicate.api-token)");
        }
        if (provider.equals("openai") && props.openai().baseUrl().isBlank()) {
            throw new CaptiondConfigurationException("captiond.provider=openai needs captiond.openai.base-url, and it is "
                    + "not set", "set captiond.openai.base-url (e.g. http://localhost:11434/v1 for Ollama)");
        }
        if (!provider.equals("basic") && props.openai().model().isBlank() && (provider.equals("openai")
                || (provider.equals("auto") && !props.openai().baseUrl().isBlank()))) {
            throw new CaptiondConfigurationException("captiond.openai.model is not set: captiond does not know which vision "
                    + "model the OpenAI-compatible server at " + props.openai().baseUrl() + " should run",
                    "set captiond.openai.model (e.g. qwen2.5vl:7b for Ollama, gpt-4o-mini for OpenAI)");
        }
        return provider;
    }

    private static GeminiCaptioner gemini(CaptiondProperties props, ProducerTemplate template, MeterRegistry registry) {
        var config = props.gemini();
        ProviderLimiter limiter = limiter("gemini", props, config.defaultRpm());
        return new GeminiCaptioner(config, http(template, config.baseUrl(), props, config.timeout()), limiter,
                new ProviderMetrics(registry, "gemini", limiter), new Prompts(props.caption()), props);
    }

    private static OpenAiCaptioner openai(CaptiondProperties props, ProducerTemplate template, MeterRegistry registry) {
        var config = props.openai();
        ProviderLimiter limiter = limiter("openai", props, config.defaultRpm());
        return new OpenAiCaptioner(config, http(template, config.baseUrl(), props, config.timeout()), limiter,
                new ProviderMetrics(registry, "openai", limiter), new Prompts(props.caption()), props);
    }

    private static ReplicateCaptioner replicate(CaptiondProperties props, ReplicateClient client,
            MeterRegistry registry, ReplicatePredictions predictions) {
        var config = props.replicate();
        ProviderLimiter limiter = limiter("replicate", props, config.defaultRpm());
        // the create waits up to wait-seconds server-side (Prefer: wait), so the read timeout is longer
        Duration response = Duration.ofSeconds(config.waitSeconds() + 15L);
        return new ReplicateCaptioner(config, new ReplicateProviderHttp(client, response, config.timeout()), limiter,
                new ProviderMetrics(registry, "replicate", limiter), new Prompts(props.caption()), props, predictions);
    }

    private static ProviderLimiter limiter(String provider, CaptiondProperties props, int defaultRpm) {
        return ProviderLimiter.create(provider, props.rate(), defaultRpm);
    }

    private static ProviderHttp http(ProducerTemplate template, String baseUrl, CaptiondProperties props,
            Duration timeout) {
        return new CamelProviderHttp(template, baseUrl, props.rate().connectTimeout(), timeout);
    }

    /**
     * When Camel makes its http component, before any provider endpoint (with its connection pool)
     * exists. Camel makes it on first use, so the offline captioner never loads HttpClient (0.14 s
     * of a start logged at DEBUG). Last of the customizers: the one camel.component.http.* settings make
     * sets every pool setting, its defaults included.
     */
    @Bean
    ComponentCustomizer httpPoolFitsTheCaptionWorkers(CaptiondProperties props) {
        return ComponentCustomizer.builder(HttpComponent.class).withOrder(Ordered.LOWEST)
                .build(http -> CamelProviderHttp.sizePool(http, props.rate().workers()));
    }

    /**
     * /actuator/health: which captioner runs and, when it is paused (quota, long wait), until when and
     * why; DOWN with the problem and the setting to fix when the provider's configuration is wrong.
     */
    @Bean
    HealthIndicator captioning(Captioner captioner) {
        return () -> {
            Health.Builder health = Health.up().withDetail("captioner", captioner.name());
            if (captioner instanceof ProviderCaptioner p && p.misconfiguration() != null) {
                return health.down().withDetail("configurationProblem", p.misconfiguration().problem())
                        .withDetail("fix", p.misconfiguration().fix() + ", then restart captiond").build();
            }
            if (captioner instanceof ProviderCaptioner p) {
                health.withDetail("requestsPerWindow", Math.round(p.limiter().limit()));
                var until = p.limiter().pausedUntil();
                if (until != null) {
                    health.withDetail("pausedUntil", until.toString()).withDetail("pauseReason", p.limiter().pauseReason());
                }
            }
            return health.build();
        };
    }
}

package io.captiond.upload;

import io.captiond.config.CaptiondProperties;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Replicate client of the upload stage. It shares {@code captiond.replicate.*} with the
 * Replicate captioner: the same base URL and the same token ({@code REPLICATE_API_TOKEN}, bound in
 * application.yaml; the record masks it in {@code toString()} and actuator exposes no configprops).
 */
@Configuration
public class ReplicateConfiguration {

    @Bean
    ReplicateApi replicateApi(CaptiondProperties props, UploadTracker tracker) {
        var replicate = props.replicate();
        return new ReplicateApi(URI.create(replicate.baseUrl()), replicate::apiToken, props.upload(), tracker);
    }
}

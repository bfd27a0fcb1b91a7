package io.captiond.upload;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.replicate.ReplicateClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Replicate API of the upload stage, on the daemon's one {@link ReplicateClient}: the same
 * HTTP stack, base URL and token as the Replicate captioner ({@code REPLICATE_API_TOKEN}, bound in
 * application.yaml; the record masks it in {@code toString()} and actuator exposes no configprops).
 */
@Configuration(proxyBeanMethods = false)
public class ReplicateConfiguration {

    @Bean
    ReplicateApi replicateApi(ReplicateClient client, CaptiondProperties props, UploadTracker tracker) {
        return new ReplicateApi(client, props.upload(), tracker);
    }
}

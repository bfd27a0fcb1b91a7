package io.captiond.upload;

import io.captiond.config.CaptiondProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Replicate client of the upload stage. The token is read from {@code REPLICATE_API_TOKEN} through
 * Spring's environment (the process environment in production; a test may supply it as a property)
 * at each request, and kept out of the typed configuration, which actuator could show.
 */
@Configuration
public class ReplicateConfiguration {

    @Bean
    ReplicateApi replicateApi(CaptiondProperties props, Environment env, UploadTracker tracker) {
        return new ReplicateApi(java.net.URI.create(props.replicate().baseUrl()), () -> env.getProperty("REPLICATE_API_TOKEN"), props.upload(),
                tracker);
    }
}

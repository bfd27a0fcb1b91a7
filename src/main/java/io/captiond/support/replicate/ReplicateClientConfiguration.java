package io.captiond.support.replicate;

import io.captiond.config.CaptiondProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The daemon's one {@link ReplicateClient}, for the Replicate captioner and the upload stage alike. */
@Configuration(proxyBeanMethods = false)
public class ReplicateClientConfiguration {

    @Bean
    ReplicateClient replicateClient(CaptiondProperties props) {
        var replicate = props.replicate();
        return new ReplicateClient(replicate.baseUrl(), replicate::apiToken, props.rate().connectTimeout());
    }
}

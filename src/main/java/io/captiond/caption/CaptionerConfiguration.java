package io.captiond.caption;

import io.captiond.caption.basic.BasicCaptioner;
import io.captiond.config.CaptiondProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the active captioner from {@code captiond.provider} and says at start-up which runs. */
@Configuration
public class CaptionerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CaptionerConfiguration.class);

    @Bean
    Captioner captioner(CaptiondProperties props) {
        String provider = props.provider();
        if (!provider.equals("auto") && !provider.equals("basic")) {
            throw new IllegalStateException("captiond.provider=" + provider + " is not available in this build; "
                    + "use basic (the embedded offline captioner)");
        }
        log.info("Captioning with the embedded offline captioner 'basic' (captiond.provider={})", provider);
        return new BasicCaptioner();
    }
}

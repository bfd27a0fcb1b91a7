package io.captiond.normalise;

import org.apache.camel.dataformat.zipfile.ZipSplitter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** camel-zipfile's ZipSplitter for the unzip route: it streams a zip's entries one message each. */
@Configuration(proxyBeanMethods = false)
public class ZipWiring {

    @Bean
    public ZipSplitter zipSplitter() {
        return new ZipSplitter();
    }
}

package io.captiond.config;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.micrometer.MicrometerComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code micrometer:} endpoints in the routes (captiond's stage counters) write into Spring
 * Boot's registry, so they appear at /actuator/prometheus beside Camel's route metrics. Without
 * this the component can settle on a registry of its own when several candidates exist.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsWiring {

    @Bean
    ComponentCustomizer micrometerUsesBootRegistry(MeterRegistry registry) {
        return ComponentCustomizer.forType(MicrometerComponent.class, component -> component.setMetricsRegistry(registry));
    }
}

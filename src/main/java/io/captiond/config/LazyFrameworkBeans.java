package io.captiond.config;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code spring.main.lazy-initialization} (on by default, application.yaml), the framework's
 * beans that nothing needs at start (actuator endpoints, the login page, template resolvers, the
 * error views) are made on first use instead of at every start. captiond's own beans stay eager:
 * they check the folders, the provider's settings and the outside programs, and a mistake must stop
 * start-up, not the first request that happens to need the bean.
 */
@Configuration(proxyBeanMethods = false)
public class LazyFrameworkBeans {

    @Bean
    static LazyInitializationExcludeFilter captiondBeansStayEager() {
        return (beanName, definition, type) -> type.getName().startsWith("io.captiond.");
    }
}

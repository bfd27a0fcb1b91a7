package io.captiond.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;

/**
 * The framework settings Spring AOT fixes when the jar is built, and a refusal to start when one of
 * them differs at run time. bin/captiond starts the jar with Spring AOT (the context's bean
 * definitions as generated code, the start-up's largest saving): every {@code @Conditional} of
 * Spring Boot and Camel was evaluated at build time, so a setting that switches a bean on or off
 * (an actuator endpoint's exposure, a health indicator's {@code .enabled}, the management port, the
 * kind of web application) would otherwise be silently ignored. captiond's own settings are all read
 * at run time and are never refused.
 * <p>
 * At build time ({@code process-aot}) this records the values of those settings in
 * a {@link #resource} per variant; at run time, with AOT on, it compares. Spring offers no such check.
 */
public class BuildTimeSettings implements BeanFactoryInitializationAotProcessor, EnvironmentPostProcessor, Ordered {

    /** One file per variant the build generates AOT code for: the daemon and once mode's batch run. */
    static String resource(Environment env) {
        return "META-INF/captiond/build-time-settings-" + (ModeDefaults.batchVariant(env) ? "once" : "daemon") + ".properties";
    }

    /**
     * Settings that Spring Boot's and Camel's conditions read: their enabled flags, endpoint access and
     * exposure, the management port, the excluded auto-configurations. Only under management.*, spring.* and camel.*: the environment's
     * variables are settings too (FOO_ENABLED reads as foo.enabled), and a NAS's own must not stop captiond.
     */
    private static final Pattern SWITCHES = Pattern.compile("(?!spring\\.aot\\.)(management|spring|camel)\\..*"
            + "(\\.enabled|\\.enabled-by-default|\\.access|\\.access\\.default|\\.exposure\\.(include|exclude))"
            + "|management\\.server\\.port|spring\\.main\\.web-application-type|spring\\.autoconfigure\\.exclude(\\[\\d+])?");

    /** The current values of the settings that switch beans, by canonical name. */
    static TreeMap<String, String> switches(ConfigurableEnvironment env) {
        TreeMap<String, String> values = new TreeMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(env)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().map(Object::toString).filter(name -> SWITCHES.matcher(name).matches())
                        .forEach(name -> values.computeIfAbsent(name, env::getProperty));
            }
        }
        return values;
    }

    @Override
    public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        ConfigurableEnvironment env = beanFactory.getBean(ConfigurableEnvironment.class);
        TreeMap<String, String> atBuild = switches(env);
        String file = resource(env);
        return (generation, code) -> {
            Properties recorded = new Properties();
            recorded.putAll(atBuild);
            StringWriter text = new StringWriter();
            try {
                recorded.store(text, "framework settings fixed by Spring AOT when the jar was built (BuildTimeSettings)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            generation.getGeneratedFiles().addResourceFile(file, text.toString());
        };
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!AotDetector.useGeneratedArtifacts()) {
            return;
        }
        ClassPathResource resource = new ClassPathResource(resource(env), BuildTimeSettings.class.getClassLoader());
        if (!resource.exists()) {
            return;
        }
        Properties atBuild = new Properties();
        try (InputStream in = resource.getInputStream()) {
            atBuild.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TreeMap<String, String> now = switches(env);
        TreeSet<String> names = new TreeSet<>(now.keySet());
        atBuild.stringPropertyNames().forEach(names::add);
        List<String> changed = new ArrayList<>();
        for (String name : names) {
            String built = atBuild.getProperty(name);
            String runs = now.get(name);
            // the launcher's own training run asks for the servlet application the jar was built as
            boolean sameWebApplication = name.equals("spring.main.web-application-type") && built == null
                    && "servlet".equalsIgnoreCase(runs);
            if (!Objects.equals(built, runs) && !sameWebApplication) {
                changed.add(name + "=" + (runs == null ? "(unset)" : runs) + " (built with "
                        + (built == null ? "(unset)" : built) + ")");
            }
        }
        if (!changed.isEmpty()) {
            throw new CaptiondConfigurationException("Started with Spring AOT (bin/captiond), whose beans were fixed when the "
                    + "jar was built, but these framework settings differ: " + String.join(", ", changed),
                    "start with CAPTIOND_AOT=off (bin/captiond) or plain java -jar to change them, or remove them");
        }
    }

    /** After every other post-processor, {@link ModeDefaults} included: the settings as the application will see them. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}

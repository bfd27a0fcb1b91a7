package io.captiond.config;

import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.validation.MessageInterpolatorFactory;
import org.springframework.context.annotation.Role;
import org.springframework.stereotype.Component;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.Validator;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Checks the constraints of {@link CaptiondProperties} when Spring binds them (Spring Boot's hook: a
 * validator bean of this name), so a wrong setting still stops start-up with Spring's report.
 * <p>
 * Why not {@code @Validated}: Spring Boot then builds a Hibernate Validator and its metadata for the
 * ~20 nested records on the main thread, when the settings are bound: 0.4 s of a 4 s start on two
 * cores. This bean starts building the same validator on a second thread when the context makes it
 * (before the web server), so the work overlaps the web server's set-up, and binding waits only for
 * what is left (0.49-0.60 s of binding became 0.20-0.25 s). The report names each setting as users
 * write it ({@code captiond.rate.max-attempts}), where Spring Boot's named the record's field
 * ({@code captiond.rate.maxAttempts}).
 */
@Component(EnableConfigurationProperties.VALIDATOR_BEAN_NAME)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE) // made before the post-processors, as Spring Boot needs it: none applies
public class SettingsValidator implements Validator, DisposableBean {

    private final CompletableFuture<LocalValidatorFactoryBean> validator = CompletableFuture.supplyAsync(
            SettingsValidator::build, task -> {
                Thread thread = new Thread(task, "captiond-settings-validator");
                thread.setDaemon(true);
                thread.start();
            });

    private static LocalValidatorFactoryBean build() {
        LocalValidatorFactoryBean factory = new LocalValidatorFactoryBean();
        factory.setMessageInterpolator(new MessageInterpolatorFactory().getObject());
        factory.afterPropertiesSet();
        factory.getConstraintsForClass(CaptiondProperties.class);
        for (Class<?> nested : CaptiondProperties.class.getDeclaredClasses()) {
            factory.getConstraintsForClass(nested);
        }
        return factory;
    }

    @Override
    public boolean supports(Class<?> type) {
        return type == CaptiondProperties.class;
    }

    @Override
    public void validate(Object target, Errors errors) {
        BeanPropertyBindingResult found = new BeanPropertyBindingResult(target, errors.getObjectName());
        validator.join().validate(target, found);
        found.getGlobalErrors().forEach(e -> errors.reject(e.getCode(), e.getArguments(), e.getDefaultMessage()));
        for (FieldError e : found.getFieldErrors()) {
            String field = DataObjectPropertyName.toDashedForm(e.getField());
            if (errors instanceof BindingResult result) {
                result.addError(new FieldError(errors.getObjectName(), field, e.getRejectedValue(), false, e.getCodes(),
                        e.getArguments(), e.getDefaultMessage()));
            } else {
                errors.rejectValue(field, e.getCode(), e.getArguments(), e.getDefaultMessage());
            }
        }
    }

    @Override
    public void destroy() {
        validator.thenAccept(LocalValidatorFactoryBean::close);
    }
}

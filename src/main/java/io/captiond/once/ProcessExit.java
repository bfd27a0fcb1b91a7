package io.captiond.once;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;

/**
 * How once mode ends the process: closes the application context with the status, then exits the
 * JVM with it. A bean of this type replaces that (an in-process test of once mode records the
 * status instead of ending the JVM the test runs in).
 */
@FunctionalInterface
public interface ProcessExit {

    void exit(ApplicationContext context, int code);

    /** The real thing: what {@code java -jar captiond.jar --captiond.once=true} does at the end. */
    ProcessExit SYSTEM = (context, code) -> System.exit(SpringApplication.exit(context, () -> code));
}

package io.captiond.config;

/**
 * A setting captiond cannot start with. {@link CaptiondFailureAnalyzer} turns it into Spring Boot's
 * short "APPLICATION FAILED TO START" report (what is wrong, what to set) instead of a stack trace.
 */
public class CaptiondConfigurationException extends RuntimeException {

    private final String problem;
    private final String fix;

    public CaptiondConfigurationException(String problem, String fix) {
        super(problem + ": " + fix);
        this.problem = problem;
        this.fix = fix;
    }

    public String problem() {
        return problem;
    }

    public String fix() {
        return fix;
    }
}

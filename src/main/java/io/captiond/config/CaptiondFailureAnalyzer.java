package io.captiond.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Start-up stopped by a setting: Spring Boot prints the description and the action and logs the
 * stack trace only at DEBUG, so the user reads one line saying what is wrong and one saying what to set.
 */
public class CaptiondFailureAnalyzer extends AbstractFailureAnalyzer<CaptiondConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CaptiondConfigurationException cause) {
        return new FailureAnalysis(cause.problem(), cause.fix().substring(0, 1).toUpperCase() + cause.fix().substring(1) + ".",
                cause);
    }
}

package io.captiond.support;

import io.captiond.config.CaptiondProperties;
import org.springframework.stereotype.Component;

/** Hands the configured keys and tokens to the log masking, so they are masked in any log line, in any format. */
@Component
public class SecretsInLogs {

    public SecretsInLogs(CaptiondProperties props) {
        LogMasking.register(props.gemini().apiKey());
        LogMasking.register(props.openai().apiKey());
        LogMasking.register(props.replicate().apiToken());
        LogMasking.register(props.ui().password());
        // trainer inputs may be credentials too (hf_token, wandb_api_key)
        props.upload().options().forEach((name, value) -> {
            if (name.toLowerCase(java.util.Locale.ROOT).matches(".*(token|key|secret|password).*")) {
                LogMasking.register(value);
            }
        });
    }
}

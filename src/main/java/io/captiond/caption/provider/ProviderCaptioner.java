package io.captiond.caption.provider;

import io.captiond.support.http.HttpReply;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captiond.caption.CaptionRequest;
import io.captiond.caption.Captioner;
import io.captiond.caption.FatalCaptionException;
import io.captiond.caption.ProviderMisconfiguredException;
import io.captiond.caption.ProviderPausedException;
import io.captiond.caption.RetryableCaptionException;
import io.captiond.caption.prompt.CaptionPrompt;
import io.captiond.caption.prompt.Prompts;
import io.captiond.caption.throttle.ProviderLimiter;
import io.captiond.config.CaptiondProperties;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the three vision providers share: every request passes the provider's one
 * {@link ProviderLimiter}, is timed and counted, and its failure is sorted into the three outcomes
 * the caption route knows:
 * <ul>
 * <li>{@link RetryableCaptionException}: 408/409/5xx, timeouts, resets, truncated JSON, rate-limit
 * 429s (after pausing the whole provider for the advertised time);</li>
 * <li>{@link FatalCaptionException}: other 4xx (a request the provider rejects for this image) and
 * refusals (blocked, filtered, flagged: asking again would be paid again for the same answer);</li>
 * <li>{@link ProviderPausedException}: quota 429s and waits longer than
 * {@code captiond.rate.max-retry-after};</li>
 * <li>{@link ProviderMisconfiguredException}: a wrong key (401/403, Gemini's 400 API_KEY_INVALID), a
 * wrong base URL or an unknown model (404). Not the image's fault: the provider takes no further
 * request until captiond is restarted with the setting fixed; images wait uncaptioned in work/.</li>
 * </ul>
 * Once captiond is stopping no new request starts (checked before and after the limiter's wait).
 * Subclasses build the provider's request and read its answers and error bodies.
 */
public abstract class ProviderCaptioner implements Captioner {

    private static final Logger log = LoggerFactory.getLogger(ProviderCaptioner.class);
    protected static final ObjectMapper JSON = new ObjectMapper();

    protected final String provider;
    protected final String model;
    protected final ProviderHttp http;
    protected final ProviderLimiter limiter;
    protected final ProviderMetrics metrics;
    protected final Prompts prompts;
    protected final CaptiondProperties.Caption caption;
    protected final CaptiondProperties.Rate rate;
    private volatile Misconfiguration misconfiguration;
    private volatile BooleanSupplier stopping = () -> false;
    private final BackupCopies backups;

    /** What is wrong with the provider's settings and which setting fixes it. */
    public record Misconfiguration(String problem, String fix) {
    }

    protected ProviderCaptioner(String provider, String model, ProviderHttp http, ProviderLimiter limiter,
            ProviderMetrics metrics, Prompts prompts, CaptiondProperties props) {
        this.provider = provider;
        this.model = model;
        this.http = http;
        this.limiter = limiter;
        this.metrics = metrics;
        this.prompts = prompts;
        this.caption = props.caption();
        this.rate = props.rate();
        this.backups = new BackupCopies(provider, limiter);
    }

    @Override
    public String name() {
        return provider + "/" + model;
    }

    public ProviderLimiter limiter() {
        return limiter;
    }

    public ProviderMetrics metrics() {
        return metrics;
    }

    /** The configuration problem that stopped this provider, or null while it works. */
    public Misconfiguration misconfiguration() {
        return misconfiguration;
    }

    /** Tells the captioner when captiond is stopping: from then on no request is sent. */
    public void stopWhen(BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    /** Throws when the configuration is known to be wrong: nothing is sent before a restart. */
    public void checkConfigured() {
        Misconfiguration wrong = misconfiguration;
        if (wrong != null) {
            throw new ProviderMisconfiguredException(provider, wrong.problem(), wrong.fix());
        }
    }

    /** Throws when no request may start: the configuration is known to be wrong, or captiond is stopping. */
    protected void checkMayStart() {
        checkConfigured();
        if (stopping.getAsBoolean()) {
            throw new ProviderPausedException(provider + ": captiond is stopping, no new request is sent", null);
        }
    }

    @Override
    public String describe(CaptionRequest request) throws Exception {
        try {
            return describe(request, prompts.forRequest(request));
        } catch (InterruptedException e) {
            // shutdown interrupted a wait for the limiter or a poll: not the image's fault, so it is
            // not quarantined; it stays uncaptioned in work/ and is captioned after the restart
            Thread.currentThread().interrupt();
            throw new ProviderPausedException(provider + " request interrupted: captiond is stopping", Instant.now());
        }
    }

    protected abstract String describe(CaptionRequest request, CaptionPrompt prompt) throws Exception;

    /** What a 429 means: a quota (no retry, the provider pauses long) or a rate limit, and the advertised wait. */
    protected record Throttle(boolean quota, Duration advised, String message) {
    }

    /** Reads a 429's body and headers. */
    protected abstract Throttle throttle(HttpReply reply);

    /** The provider's error text from an error body (falls back to the status line). */
    protected abstract String errorMessage(HttpReply reply);

    /** What the user should check for a 401/403, e.g. "GEMINI_API_KEY". */
    protected abstract String credentialHint();

    /**
     * One request through the limiter. Returns 2xx replies; everything else becomes one of the three
     * outcomes. {@code createOnly} marks a request that must not be repeated unless it was throttled
     * (a Replicate prediction create: a repeat after a 5xx or timeout may be billed twice).
     */
    protected HttpReply send(String what, String url, Map<String, String> headers, byte[] json, boolean createOnly)
            throws InterruptedException {
        checkMayStart();
        ProviderLimiter.Permit permit = limiter.acquire();
        try {
            checkMayStart(); // the wait for a slot may have outlasted the configuration or the daemon
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
        BackupCopies.Attempt attempt = p -> attempt(p, url, headers, json);
        // a second copy of a create may be billed as a second prediction, so a create never gets one
        BackupCopies.Outcome outcome = createOnly ? BackupCopies.runAndClose(permit, attempt)
                : backups.run(permit, attempt, unused -> superseded(what, unused));
        return settle(what, outcome, createOnly);
    }

    private BackupCopies.Outcome attempt(ProviderLimiter.Permit permit, String url, Map<String, String> headers, byte[] json)
            throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            HttpReply reply = http.post(url, headers, json, permit::sent);
            return new BackupCopies.Outcome(permit, reply, null, null, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            return new BackupCopies.Outcome(permit, null, e, null, Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /**
     * The copy whose answer was not used (or that ended after captiond stopped waiting): it still cost
     * a request, counted as {@code superseded}; a 429 or a settings error in it still pauses or stops
     * the provider, as it would have in the copy that was used.
     */
    private void superseded(String what, BackupCopies.Outcome outcome) {
        metrics.request("superseded", outcome.took());
        HttpReply reply = outcome.reply();
        if (reply != null && reply.status() == 429) {
            throttled(outcome.permit(), throttle(reply)); // for its pause; nobody waits for its exception
        } else if (reply != null && !reply.ok()) {
            failed(what, reply, false); // for a settings mistake, which failed() records
        }
    }

    /** Counts the attempt and returns its 2xx reply; everything else becomes one of the outcomes above. */
    private HttpReply settle(String what, BackupCopies.Outcome outcome, boolean createOnly) {
        if (outcome.error() != null) {
            throw outcome.error();
        }
        metrics.request(outcomeName(outcome), outcome.took());
        if (outcome.failure() != null) {
            String problem = provider + " " + what + " failed: " + transportProblem(outcome.failure());
            if (createOnly) {
                throw new FatalCaptionException(problem + "; not sent again because the prediction may already "
                        + "exist and a second one would be billed too (drop the image again to retry)");
            }
            throw new RetryableCaptionException(problem, null, outcome.failure());
        }
        HttpReply reply = outcome.reply();
        if (reply.ok()) {
            limiter.succeeded(outcome.permit());
            return reply;
        }
        if (reply.status() == 429) {
            throw throttled(outcome.permit(), throttle(reply));
        }
        throw failed(what, reply, createOnly);
    }

    private static String outcomeName(BackupCopies.Outcome outcome) {
        if (outcome.failure() != null) {
            return "transport";
        }
        int status = outcome.reply().status();
        return outcome.ok() ? "ok" : status == 429 ? "throttled" : status >= 500 ? "server-error" : "client-error";
    }

    /** Pauses the whole provider and says what the caption route should do. */
    protected RuntimeException throttled(ProviderLimiter.Permit permit, Throttle t) {
        if (t.quota()) {
            Duration pause = t.advised() != null && t.advised().compareTo(rate.quotaPause()) > 0 ? t.advised() : rate.quotaPause();
            limiter.pause(pause, "quota exhausted: " + t.message());
            return new ProviderPausedException(provider + " quota exhausted, not retried: " + t.message(),
                    Instant.now().plus(pause));
        }
        Duration wait = t.advised() != null ? t.advised() : fallbackWait();
        if (wait.compareTo(rate.maxRetryAfter()) > 0) {
            limiter.pause(wait, "asked to wait " + wait.toSeconds() + " s: " + t.message());
            return new ProviderPausedException(provider + " asked for a wait of " + wait.toSeconds()
                    + " s (over captiond.rate.max-retry-after): " + t.message(), Instant.now().plus(wait));
        }
        limiter.pause(wait, "429: " + t.message());
        limiter.throttled(permit);
        return new RetryableCaptionException(provider + " rate limit (429), retrying after " + wait.toMillis() + " ms: "
                + t.message(), wait, null);
    }

    /** A 429 without any hint: half a window, the time a typical per-minute limit needs to free up. */
    private Duration fallbackWait() {
        return rate.window().dividedBy(2);
    }

    protected RuntimeException failed(String what, HttpReply reply, boolean createOnly) {
        int status = reply.status();
        String message = provider + " " + what + ": HTTP " + status + " " + errorMessage(reply);
        String fix = configurationFix(reply);
        if (fix != null) {
            return misconfigured(message, fix);
        }
        if (status == 408 || status == 409 || status >= 500) {
            if (createOnly) {
                return new FatalCaptionException(message + "; not sent again because the prediction may already exist "
                        + "and a second one would be billed too (drop the image again to retry)");
            }
            return new RetryableCaptionException(message);
        }
        return new FatalCaptionException(message);
    }

    /**
     * The setting to fix when {@code reply} says the provider's configuration is wrong (not this
     * image), or null. 401/403: the key; 404: the model name or the base URL.
     */
    protected String configurationFix(HttpReply reply) {
        return switch (reply.status()) {
            case 401, 403 -> "set " + credentialHint() + " (captiond." + provider + "." + credentialProperty()
                    + ") to a current key that may use this model";
            case 404 -> "check captiond." + provider + ".model ('" + model + "') and captiond." + provider + ".base-url";
            default -> null;
        };
    }

    /** The property the credential binds to: api-key, or api-token for Replicate. */
    protected String credentialProperty() {
        return "api-key";
    }

    /**
     * Stops the provider until a restart (the first problem wins, and is logged once) and says so to
     * the caption route, which leaves the image in work/ and writes the dataset's CAPTIOND-ERROR.txt.
     */
    protected ProviderMisconfiguredException misconfigured(String problem, String fix) {
        synchronized (this) {
            if (misconfiguration == null) {
                misconfiguration = new Misconfiguration(problem, fix);
                log.error("{} cannot be used: {}. Fix: {}, then restart captiond. Until then no request is sent and every "
                        + "image waits uncaptioned in work/; nothing is quarantined.", provider, problem, fix);
            }
        }
        return new ProviderMisconfiguredException(provider, misconfiguration.problem(), misconfiguration.fix());
    }

    /** Parses a 2xx body; a body that is not complete JSON (cut off mid-way) is worth another attempt. */
    protected JsonNode parse(String what, HttpReply reply) {
        try {
            JsonNode node = JSON.readTree(reply.body() == null ? new byte[0] : reply.body());
            if (node == null || node.isMissingNode()) {
                throw new RetryableCaptionException(provider + " " + what + ": empty response body");
            }
            return node.isArray() && node.size() == 1 ? node.get(0) : node;
        } catch (JsonProcessingException e) {
            throw new RetryableCaptionException(provider + " " + what + ": truncated or invalid JSON ("
                    + e.getOriginalMessage() + ")", null, e);
        } catch (IOException e) {
            throw new RetryableCaptionException(provider + " " + what + ": unreadable body", null, e);
        }
    }

    /** An error body as JSON, or null when it is not JSON (an HTML page from a proxy). */
    protected static JsonNode errorJson(HttpReply reply) {
        try {
            JsonNode node = JSON.readTree(reply.body() == null ? new byte[0] : reply.body());
            if (node == null || node.isMissingNode()) {
                return null;
            }
            return node.isArray() && node.size() == 1 ? node.get(0) : node;
        } catch (IOException e) {
            return null;
        }
    }

    protected static String statusLine(HttpReply reply) {
        String text = reply.text().strip();
        return text.isEmpty() ? "(no body)" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    protected static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String transportProblem(IOException e) {
        String type = e.getClass().getSimpleName();
        String message = e.getMessage();
        return message == null ? type : type + ": " + message;
    }
}

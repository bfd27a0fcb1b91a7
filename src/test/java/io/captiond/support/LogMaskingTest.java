package io.captiond.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Credentials never reach a log line in the shapes HTTP clients print them; names cannot split a line. */
class LogMaskingTest {

    @Test
    void credentialHeadersAndQueryKeysAreMaskedEvenWhenTheValueIsNotAConfiguredOne() {
        String wire = "http-outgoing-3 >> \"x-goog-api-key: AIzaUnregistered123[\\r][\\n]\"";
        assertThat(LogMasking.mask(wire)).isEqualTo("http-outgoing-3 >> \"x-goog-api-key: (redacted)[\\r][\\n]\"");
        assertThat(LogMasking.mask("http-outgoing-1 >> Authorization: Bearer r8_abcdef0123456789"))
                .isEqualTo("http-outgoing-1 >> Authorization: Bearer (redacted)");
        assertThat(LogMasking.mask("POST /v1beta/models/m:generateContent?alt=sse&key=AIzaQuery456 HTTP/1.1"))
                .isEqualTo("POST /v1beta/models/m:generateContent?alt=sse&key=(redacted) HTTP/1.1");
        assertThat(LogMasking.mask("{\"api_key\": \"sk-json-secret\"}")).doesNotContain("sk-json-secret");
    }

    @Test
    void aRegisteredSecretIsMaskedInAnyShape() {
        LogMasking.register("tok-registered-0123456789");
        assertThat(LogMasking.mask("server said: consumer tok-registered-0123456789 suspended"))
                .isEqualTo("server said: consumer (redacted) suspended");
    }

    @Test
    void controlCharactersInNamesAreEscaped() {
        assertThat(LogMasking.escapeControls("line\nbreak\r\t\u001b[31m.jpg")).isEqualTo("line\\nbreak\\r\\t\\u001b[31m.jpg");
        assertThat(LogMasking.escapeControls("plain é.jpg")).isEqualTo("plain é.jpg");
    }
}

package io.captiond.web;

import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.server.ResponseStatusException;

/** API errors as {@code {"error": why}} with their status, so a script (and the page) can say what went wrong. */
@RestControllerAdvice(assignableTypes = ApiController.class)
class ApiErrors {

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Map<String, String>> status(ResponseStatusException e) {
        return ResponseEntity.status(e.getStatusCode()).body(Map.of("error", String.valueOf(e.getReason())));
    }

    /** The folders cannot be read (a network share that went away): try again later, nothing is lost. */
    @ExceptionHandler(UncheckedIOException.class)
    ResponseEntity<Map<String, String>> foldersUnreadable(UncheckedIOException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error",
                "captiond cannot read its folders now (is the share mounted?): " + e.getCause().getMessage()));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Map<String, String>> tooLarge(MaxUploadSizeExceededException e) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                .body(Map.of("error", "upload too large (captiond.ui.max-file-size / captiond.ui.max-request-size)"));
    }
}

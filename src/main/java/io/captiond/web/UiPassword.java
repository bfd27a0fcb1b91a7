package io.captiond.web;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.Folders;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review station's one password: {@code captiond.ui.password} when set; otherwise a random one
 * made at first start, printed once to the log and kept in {@code <work>/.captiond/ui-password}
 * (owner-only) so that a restart keeps it. Delete that file to get a new one.
 */
public final class UiPassword {

    private static final Logger log = LoggerFactory.getLogger(UiPassword.class);
    static final String FILE = "ui-password";

    private final String value;

    private UiPassword(String value) {
        this.value = value;
    }

    public static UiPassword resolve(CaptiondProperties props, Folders folders) {
        if (!props.ui().password().isBlank()) {
            return new UiPassword(props.ui().password());
        }
        Path file = stored(folders);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!kept.isEmpty()) {
                    log.info("Review station: user 'captiond', password kept in {}", file);
                    return new UiPassword(kept);
                }
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String made = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            AtomicFiles.writeString(file, made + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions protect it
            }
            // printed this once, so the user can log in; later starts only say where it is kept
            log.warn("Review station: generated password for user 'captiond': {} (kept in {}; set captiond.ui.password "
                    + "to choose your own)", made, file);
            return new UiPassword(made);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the review station's password in " + file, e);
        }
    }

    static Path stored(Folders folders) {
        return folders.work().resolve(".captiond").resolve(FILE);
    }

    boolean matches(String candidate) {
        return candidate != null && java.security.MessageDigest.isEqual(
                candidate.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }
}

package io.captiond.core;

import java.io.IOException;

/**
 * The machine, not the file, stopped a step: a full disk, a read-only or unwritable folder, an I/O
 * error. Routes leave the file (or member) where it is, uncaptioned and unquarantined, for the time
 * the fault is gone; see {@link EnvironmentFaults}.
 */
public class EnvironmentFaultException extends IOException {

    public EnvironmentFaultException(String message, Throwable cause) {
        super(message, cause);
    }
}

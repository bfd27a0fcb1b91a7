package io.captiond.normalise;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "libheif": DOWN while heif-convert cannot be run, since every
 * HEIC/HEIF/AVIF photo dropped meanwhile is quarantined. It comes back UP once libheif is installed.
 */
@Component("libheif")
public class LibHeifHealthIndicator implements HealthIndicator {

    private final LibHeif libHeif;

    public LibHeifHealthIndicator(LibHeif libHeif) {
        this.libHeif = libHeif;
    }

    @Override
    public Health health() {
        String problem = libHeif.problem();
        if (problem != null) {
            return Health.down().withDetail("heif-convert", libHeif.command()).withDetail("problem", problem).build();
        }
        return Health.up().withDetail("heif-convert", libHeif.command()).build();
    }
}

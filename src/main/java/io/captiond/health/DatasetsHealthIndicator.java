package io.captiond.health;

import io.captiond.core.Dataset;
import io.captiond.core.DatasetScan;
import io.captiond.core.Datasets;
import io.captiond.packaging.DatasetPackager;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "datasets": DOWN while a dataset is stuck, that is stopped
 * (its CAPTIOND-ERROR.txt: an invalid or taken trigger word, a symlinked folder, a trigger.done
 * that is a folder...) or its last packaging attempt failed. The details name each one and why.
 */
@Component
public class DatasetsHealthIndicator implements HealthIndicator {

    private final DatasetScan scan;
    private final Datasets datasets;
    private final DatasetPackager packager;

    public DatasetsHealthIndicator(DatasetScan scan, Datasets datasets, DatasetPackager packager) {
        this.scan = scan;
        this.datasets = datasets;
        this.packager = packager;
    }

    @Override
    public Health health() {
        Map<String, String> stuck = new TreeMap<>(packager.failures());
        java.util.List<String> names;
        try {
            names = scan.datasetNames();
        } catch (java.io.UncheckedIOException e) {
            // an inbox that is gone (an unmounted share) is the "inbox" component's to report
            names = java.util.List.of();
        }
        for (String name : names) {
            Dataset dataset = datasets.get(name);
            if (!dataset.usable()) {
                stuck.put(name, dataset.problem());
            }
        }
        datasets.refusedLinks().forEach(name -> stuck.put(name, Datasets.SYMLINK_PROBLEM));
        return (stuck.isEmpty() ? Health.up() : Health.down()).withDetail("stuck", stuck).build();
    }
}

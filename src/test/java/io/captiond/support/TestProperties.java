package io.captiond.support;

import io.captiond.config.CaptiondProperties;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** captiond's configuration tree bound the way Spring binds it, defaults included, for tests without a context. */
public final class TestProperties {

    private TestProperties() {
    }

    /** {@code keyValues}: "captiond.normalise.max-pixels", "1000", ... */
    public static CaptiondProperties with(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("captiond", CaptiondProperties.class);
    }

    /** The four folders under {@code root} (inbox, work, outbox, failed), plus {@code keyValues}. */
    public static CaptiondProperties inFolders(java.nio.file.Path root, String... keyValues) {
        String[] all = java.util.Arrays.copyOf(keyValues, keyValues.length + 8);
        int i = keyValues.length;
        for (String folder : new String[] {"inbox", "work", "outbox", "failed"}) {
            all[i++] = "captiond." + folder;
            all[i++] = root.resolve(folder).toString();
        }
        return with(all);
    }
}

package io.captiond.normalise;

import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** Picks the converter for an input type. */
@Component
public class ImageConverters {

    private final List<ImageConverter> converters;

    public ImageConverters(List<ImageConverter> converters) {
        this.converters = converters;
    }

    public ImageConverter forType(ImageType type) {
        return converters.stream().filter(c -> c.handles(type)).findFirst()
                .orElseThrow(() -> new RejectedInputException(type.label().toUpperCase(Locale.ROOT)
                        + " input cannot be converted by this installation"));
    }
}

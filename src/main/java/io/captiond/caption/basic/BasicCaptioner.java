package io.captiond.caption.basic;

import io.captiond.caption.CaptionRequest;
import io.captiond.caption.Captioner;
import io.captiond.core.ImageRecord;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The embedded offline captioner: a deterministic description computed from the image itself
 * (framing, resolution, dominant colours, light and contrast) and its EXIF facts (camera, lens,
 * focal length, time of day). No model, no network: it lets a new user see the whole flow work,
 * and gives a trainer honest if plain captions.
 */
public class BasicCaptioner implements Captioner {

    @Override
    public String name() {
        return "basic";
    }

    @Override
    public String describe(CaptionRequest request) {
        if (request.video() != null) {
            return ClipDescription.describe(request.video());
        }
        ImageRecord record = request.record();
        BufferedImage image = request.preview().image();
        Tones tones = Tones.of(image);
        List<String> parts = new ArrayList<>();
        parts.add(article(framing(record.width(), record.height()) + " " + resolution(record.width(), record.height()))
                + " photo in " + tones.colourPhrase());
        parts.add(tones.lightPhrase());
        String camera = camera(record.exif());
        if (!camera.isEmpty()) {
            parts.add(camera);
        }
        return String.join(", ", parts);
    }

    static String framing(int width, int height) {
        if (height > width * 1.05) {
            return "portrait-orientation";
        }
        if (width > height * 1.05) {
            return width >= height * 1.9 ? "panoramic" : "landscape-orientation";
        }
        return "square";
    }

    static String resolution(int width, int height) {
        double mp = (double) width * height / 1_000_000;
        if (mp < 0.5) {
            return "low-resolution";
        }
        if (mp < 4) {
            return "medium-resolution";
        }
        return mp < 16 ? "high-resolution" : "very high-resolution";
    }

    /** "shot on an Apple iPhone 11 Pro with its back camera at 4.2 mm in the afternoon" */
    static String camera(ImageRecord.Exif exif) {
        if (exif == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        String device = device(exif.make(), exif.model());
        if (device != null) {
            text.append("shot on ").append(article(device));
        }
        if (exif.lens() != null && (device == null || !exif.lens().toLowerCase(Locale.ROOT)
                .startsWith(device.toLowerCase(Locale.ROOT)))) {
            text.append(text.isEmpty() ? "shot with " : " with ").append(exif.lens());
        }
        if (exif.focalLengthMm() != null && exif.focalLengthMm() > 0) {
            text.append(text.isEmpty() ? "shot" : "").append(" at ").append(trim(exif.focalLengthMm())).append(" mm");
        }
        if (exif.taken() != null) {
            text.append(text.isEmpty() ? "taken" : "").append(" in the ").append(timeOfDay(exif.taken().getHour()));
        }
        return text.toString().strip();
    }

    private static String device(String make, String model) {
        if (model == null) {
            return make;
        }
        if (make == null || model.toLowerCase(Locale.ROOT).startsWith(make.toLowerCase(Locale.ROOT).split(" ")[0])) {
            return model;
        }
        String shortMake = make.split(" ")[0];
        shortMake = shortMake.equals(shortMake.toUpperCase(Locale.ROOT)) && shortMake.length() > 3
                ? shortMake.charAt(0) + shortMake.substring(1).toLowerCase(Locale.ROOT) : shortMake;
        return shortMake + " " + model;
    }

    static String timeOfDay(int hour) {
        if (hour >= 5 && hour < 12) {
            return "morning";
        }
        if (hour >= 12 && hour < 17) {
            return "afternoon";
        }
        return hour >= 17 && hour < 21 ? "evening" : "night";
    }

    private static String trim(double mm) {
        return mm == Math.rint(mm) ? String.valueOf((long) mm) : String.format(Locale.ROOT, "%.1f", mm);
    }

    static String article(String phrase) {
        return ("aeiouAEIOU".indexOf(phrase.charAt(0)) >= 0 ? "an " : "a ") + phrase;
    }
}

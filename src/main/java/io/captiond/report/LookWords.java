package io.captiond.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words that describe a person's looks: hair, eyes, skin, face, body and age. The {@code character}
 * preset tells the model not to write them (the LoRA must learn the looks from the pixels, and a
 * caption naming them makes the looks promptable instead of part of the trigger word).
 */
final class LookWords {

    private static final String COLOUR = "(?:black|brown|blonde?|red|ginger|auburn|gr[ae]y|white|silver|dark|light|fair|"
            + "pale|tanned|olive|blue|green|hazel|amber|pink|purple|platinum|golden|chestnut)";
    private static final Pattern LOOKS = Pattern.compile("\\b(?:" + COLOUR + "[- ](?:hair(?:ed)?|eye[sd]?|skin(?:ned)?|"
            + "complexion|beard)|(?:long|short|curly|wavy|straight|braided)[- ]hair(?:ed)?|blonde?|brunette|redhead|bald(?:ing)?|"
            + "freckle[sd]?|bearded|beard|moustache|mustache|wrinkle[sd]?|complexion|(?:\\d+|twenty|thirty|forty|fifty)[- ]year[- ]old|"
            + "middle[- ]aged|elderly|teenage(?:d|r)?|slim|slender|muscular|overweight|chubby|petite)\\b");

    private LookWords() {
    }

    /** The look phrases in one caption, lower case. */
    static List<String> in(String caption) {
        List<String> found = new ArrayList<>();
        Matcher m = LOOKS.matcher(caption.toLowerCase(Locale.ROOT));
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}

package io.captiond.normalise;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What captiond needs to know about a HEIF/AVIF file before libheif decodes it, read from the
 * {@code meta} box alone: the primary image's size (checked against max-pixels, so a bomb is never
 * decoded), whether the container rotates or mirrors it (irot/imir), whether it has alpha, its ICC
 * profile, and the other top-level and auxiliary images (noted in the manifest).
 * <p>
 * Hand-written because metadata-extractor 2.19 reads ispe and irot boxes without the item
 * associations (ipma): for an iPhone grid it reports a 512x512 tile as the image size, and an irot
 * of the thumbnail as the image's. This reader follows pitm → ipma → ipco, the way libheif does.
 */
public record HeifContainer(Image primary, List<Image> topLevel, List<String> auxiliaries, List<Long> stereoPair) {

    /** One image item with the properties associated with it; {@code bitDepth} 0 when not stated. */
    public record Image(long id, String type, long width, long height, int rotation, boolean mirrored,
            boolean hasAlpha, byte[] icc, int bitDepth) {

        /** Size after the container's rotation, as libheif outputs it. */
        public long displayWidth() {
            return rotation == 90 || rotation == 270 ? height : width;
        }

        public long displayHeight() {
            return rotation == 90 || rotation == 270 ? width : height;
        }

        /** True when the container carries a transform (irot or imir) that libheif applies. */
        public boolean transformed() {
            return rotation != NO_ROTATION_BOX || mirrored;
        }
    }

    /** {@code rotation} when no irot box is associated (0 means "irot present, 0°"). */
    public static final int NO_ROTATION_BOX = -1;

    private static final long MAX_META = 16L * 1024 * 1024;
    private static final Set<String> IMAGE_TYPES = Set.of("hvc1", "av01", "grid", "iden", "iovl", "jpeg");

    /** Index of the primary image in libheif's top-level order: heif-convert names it out-(index+1). */
    public int primaryIndex() {
        return topLevel.indexOf(primary);
    }

    public static HeifContainer read(Path file) throws IOException {
        ByteBuffer meta = findMeta(file);
        if (meta == null) {
            throw new RejectedInputException("broken HEIF: no 'meta' box, so no image in it");
        }
        try {
            return parse(meta);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new RejectedInputException("broken HEIF: its 'meta' box cannot be read (" + e + ")");
        }
    }

    private static ByteBuffer findMeta(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = 0;
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(16);
            while (pos + 8 <= size) {
                head.clear().limit(16);
                ch.read(head, pos);
                head.flip();
                long boxSize = head.getInt() & 0xFFFFFFFFL;
                String type = fourCc(head);
                int headerLength = 8;
                if (boxSize == 1 && head.remaining() >= 8) {
                    boxSize = head.getLong();
                    headerLength = 16;
                } else if (boxSize == 0) {
                    boxSize = size - pos;
                }
                if (boxSize < headerLength) {
                    return null;
                }
                if (type.equals("meta")) {
                    long body = Math.min(boxSize, size - pos) - headerLength;
                    if (body > MAX_META) {
                        throw new RejectedInputException("broken HEIF: 'meta' box of " + body + " bytes");
                    }
                    ByteBuffer b = ByteBuffer.allocate((int) body);
                    while (b.hasRemaining() && ch.read(b, pos + headerLength + b.position()) > 0) {
                        // a channel may return fewer bytes than asked
                    }
                    return b.flip();
                }
                pos += boxSize;
            }
            return null;
        }
    }

    private static HeifContainer parse(ByteBuffer meta) {
        meta.getInt(); // FullBox version and flags
        long primaryId = -1;
        Map<Long, String> itemTypes = new TreeMap<>(); // sorted by id: libheif's top-level order
        Set<Long> hidden = new HashSet<>();
        Map<String, List<long[]>> refs = new HashMap<>(); // type -> {from, to}
        List<Box> properties = new ArrayList<>();
        Map<Long, List<Integer>> associations = new HashMap<>();
        List<Long> stereo = new ArrayList<>();
        for (Box b : children(meta)) {
            ByteBuffer box = b.read();
            switch (b.type()) {
                case "pitm" -> {
                    int version = box.get() & 0xFF;
                    box.position(box.position() + 3);
                    primaryId = version == 0 ? box.getShort() & 0xFFFF : box.getInt() & 0xFFFFFFFFL;
                }
                case "iinf" -> {
                    int version = box.get() & 0xFF;
                    box.position(box.position() + 3);
                    box.position(box.position() + (version == 0 ? 2 : 4));
                    for (Box entry : children(box)) {
                        if (!entry.type().equals("infe")) {
                            continue;
                        }
                        ByteBuffer infe = entry.read();
                        int v = infe.get() & 0xFF;
                        int flags = infe.getShort() << 8 | infe.get() & 0xFF;
                        if (v < 2) {
                            continue; // pre-HEIF item entries carry no item type
                        }
                        long id = v == 2 ? infe.getShort() & 0xFFFF : infe.getInt() & 0xFFFFFFFFL;
                        infe.getShort(); // protection index
                        itemTypes.put(id, fourCc(infe));
                        if ((flags & 1) != 0) {
                            hidden.add(id);
                        }
                    }
                }
                case "iref" -> {
                    int version = box.get() & 0xFF;
                    box.position(box.position() + 3);
                    for (Box r : children(box)) {
                        String refType = r.type();
                        ByteBuffer ref = r.read();
                        long from = version == 0 ? ref.getShort() & 0xFFFF : ref.getInt() & 0xFFFFFFFFL;
                        int count = ref.getShort() & 0xFFFF;
                        for (int i = 0; i < count; i++) {
                            long to = version == 0 ? ref.getShort() & 0xFFFF : ref.getInt() & 0xFFFFFFFFL;
                            refs.computeIfAbsent(refType, k -> new ArrayList<>()).add(new long[] {from, to});
                        }
                    }
                }
                case "grpl" -> {
                    // entity groups: 'ster' is a stereo pair (iPhone spatial photos), left eye first
                    for (Box group : children(box)) {
                        ByteBuffer g = group.read();
                        g.getInt(); // FullBox version and flags
                        g.getInt(); // group id
                        long n = g.getInt() & 0xFFFFFFFFL;
                        List<Long> ids = new ArrayList<>();
                        for (long i = 0; i < n && g.remaining() >= 4; i++) {
                            ids.add(g.getInt() & 0xFFFFFFFFL);
                        }
                        if (group.type().equals("ster") && stereo.isEmpty()) {
                            stereo.addAll(ids);
                        }
                    }
                }
                case "iprp" -> {
                    for (Box child : children(box)) {
                        if (child.type().equals("ipco")) {
                            properties.addAll(children(child.read()));
                        } else if (child.type().equals("ipma")) {
                            readAssociations(child.read(), associations);
                        }
                    }
                }
                default -> { }
            }
        }
        Map<Long, Image> images = new HashMap<>();
        for (var item : itemTypes.entrySet()) {
            if (IMAGE_TYPES.contains(item.getValue())) {
                images.put(item.getKey(), image(item.getKey(), item.getValue(),
                        associations.getOrDefault(item.getKey(), List.of()), properties));
            }
        }
        // libheif's top level: visible image items that are not thumbnails, auxiliaries or grid tiles
        Set<Long> notTopLevel = new HashSet<>(hidden);
        refs.getOrDefault("thmb", List.of()).forEach(r -> notTopLevel.add(r[0]));
        refs.getOrDefault("auxl", List.of()).forEach(r -> notTopLevel.add(r[0]));
        refs.getOrDefault("dimg", List.of()).forEach(r -> notTopLevel.add(r[1]));
        List<Image> topLevel = new ArrayList<>();
        for (Long id : itemTypes.keySet()) {
            if (images.containsKey(id) && !notTopLevel.contains(id)) {
                topLevel.add(images.get(id));
            }
        }
        Image primary = images.get(primaryId);
        if (primary == null) {
            throw new RejectedInputException("broken HEIF: the primary item (pitm " + primaryId + ") is not an image");
        }
        List<String> auxiliaries = new ArrayList<>();
        boolean alpha = false;
        for (long[] aux : refs.getOrDefault("auxl", List.of())) {
            if (aux[1] != primaryId || !images.containsKey(aux[0])) {
                continue;
            }
            String urn = auxType(associations.getOrDefault(aux[0], List.of()), properties);
            if (urn.endsWith("auxid:1") || urn.endsWith(":alpha")) {
                alpha = true;
            } else {
                Image a = images.get(aux[0]);
                auxiliaries.add(describeAux(urn) + " " + a.width() + "x" + a.height());
            }
        }
        byte[] icc = primary.icc();
        if (icc == null) {
            // a grid usually leaves the colour profile to its tiles; libheif takes the first tile's
            long grid = primaryId;
            icc = refs.getOrDefault("dimg", List.of()).stream().filter(r -> r[0] == grid && images.containsKey(r[1]))
                    .map(r -> images.get(r[1]).icc()).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
        int bitDepth = primary.bitDepth();
        if (bitDepth == 0) { // a grid states it on its tiles
            long grid = primaryId;
            bitDepth = refs.getOrDefault("dimg", List.of()).stream().filter(r -> r[0] == grid && images.containsKey(r[1]))
                    .mapToInt(r -> images.get(r[1]).bitDepth()).filter(d -> d > 0).findFirst().orElse(0);
        }
        if (alpha || icc != primary.icc() || bitDepth != primary.bitDepth()) {
            primary = new Image(primary.id(), primary.type(), primary.width(), primary.height(), primary.rotation(),
                    primary.mirrored(), alpha, icc, bitDepth);
            Image p = primary;
            topLevel.replaceAll(i -> i.id() == p.id() ? p : i);
        }
        if (!topLevel.contains(primary)) {
            topLevel.add(0, primary); // a hidden primary is still what libheif decodes first
        }
        return new HeifContainer(primary, List.copyOf(topLevel), List.copyOf(auxiliaries),
                stereo.contains(primaryId) ? List.copyOf(stereo) : List.of());
    }

    private static Image image(long id, String type, List<Integer> props, List<Box> properties) {
        long w = 0;
        long h = 0;
        int rotation = NO_ROTATION_BOX;
        boolean mirrored = false;
        byte[] icc = null;
        int bitDepth = 0;
        for (int index : props) {
            if (index < 1 || index > properties.size()) {
                continue;
            }
            Box box = properties.get(index - 1);
            ByteBuffer p = box.read();
            switch (box.type()) {
                case "ispe" -> {
                    p.getInt();
                    w = p.getInt() & 0xFFFFFFFFL;
                    h = p.getInt() & 0xFFFFFFFFL;
                }
                case "irot" -> rotation = (p.get() & 3) * 90;
                case "imir" -> mirrored = true;
                case "pixi" -> {
                    p.getInt(); // FullBox version and flags
                    if (p.get() > 0) {
                        bitDepth = p.get() & 0xFF;
                    }
                }
                case "hvcC" -> bitDepth = bitDepth > 0 || p.limit() < 18 ? bitDepth : 8 + (p.get(17) & 7);
                case "av1C" -> bitDepth = bitDepth > 0 || p.limit() < 3 ? bitDepth
                        : (p.get(2) & 0x40) == 0 ? 8 : (p.get(2) & 0x20) != 0 ? 12 : 10;
                case "colr" -> {
                    String colourType = fourCc(p);
                    if (colourType.equals("prof") || colourType.equals("rICC")) {
                        icc = new byte[p.remaining()];
                        p.get(icc);
                    }
                }
                default -> { }
            }
        }
        return new Image(id, type, w, h, rotation, mirrored, false, icc, bitDepth);
    }

    private static String auxType(List<Integer> props, List<Box> properties) {
        for (int index : props) {
            if (index >= 1 && index <= properties.size()) {
                Box box = properties.get(index - 1);
                ByteBuffer p = box.read();
                if (box.type().equals("auxC")) {
                    p.getInt();
                    int start = p.position();
                    int end = start;
                    while (end < p.limit() && p.get(end) != 0) {
                        end++;
                    }
                    byte[] urn = new byte[end - start];
                    p.get(urn);
                    return new String(urn, StandardCharsets.US_ASCII);
                }
            }
        }
        return "";
    }

    private static String describeAux(String urn) {
        if (urn.endsWith("auxid:2") || urn.endsWith(":depth")) {
            return "depth map";
        }
        if (urn.contains("hdrgainmap") || urn.contains("gainmap")) {
            return "HDR gain map";
        }
        return urn.isEmpty() ? "auxiliary image" : "auxiliary image (" + urn + ")";
    }

    private static void readAssociations(ByteBuffer ipma, Map<Long, List<Integer>> associations) {
        int version = ipma.get() & 0xFF;
        int flags = ipma.getShort() << 8 | ipma.get() & 0xFF;
        long entries = ipma.getInt() & 0xFFFFFFFFL;
        for (long e = 0; e < entries; e++) {
            long id = version < 1 ? ipma.getShort() & 0xFFFF : ipma.getInt() & 0xFFFFFFFFL;
            int count = ipma.get() & 0xFF;
            List<Integer> list = associations.computeIfAbsent(id, k -> new ArrayList<>());
            for (int i = 0; i < count; i++) {
                list.add((flags & 1) != 0 ? ipma.getShort() & 0x7FFF : ipma.get() & 0x7F);
            }
        }
    }

    /** One box: its type and a buffer over its body (after size and type). */
    private record Box(String type, ByteBuffer body) {

        /** A fresh reader over the body, so a box can be read more than once. */
        ByteBuffer read() {
            return body.duplicate();
        }
    }

    /** The boxes inside {@code parent} from its current position on. */
    private static List<Box> children(ByteBuffer parent) {
        List<Box> boxes = new ArrayList<>();
        int pos = parent.position();
        while (pos + 8 <= parent.limit()) {
            long size = parent.getInt(pos) & 0xFFFFFFFFL;
            if (size == 0) {
                size = parent.limit() - pos;
            }
            if (size < 8 || pos + size > parent.limit()) {
                throw new IllegalArgumentException("box at " + pos + " overruns its parent");
            }
            byte[] type = new byte[4];
            parent.duplicate().position(pos + 4).get(type);
            ByteBuffer body = parent.duplicate();
            body.limit((int) (pos + size)).position(pos + 8);
            boxes.add(new Box(new String(type, StandardCharsets.ISO_8859_1), body.slice()));
            pos += (int) size;
        }
        return boxes;
    }

    private static String fourCc(ByteBuffer b) {
        byte[] t = new byte[4];
        b.get(t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }
}

package io.captiond.normalise;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One ISO BMFF box of a HEIF meta box, for {@link HeifMetaEditor}: a leaf with its body, or a
 * container with a head (FullBox version and flags, entry counts) and child boxes. Only 32-bit
 * sizes: a layout that needs more is {@link Unsupported}.
 */
final class HeifBox {

    /** The layout is one the editor leaves alone (its caller keeps its slower route). */
    static final class Unsupported extends RuntimeException {
        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    final String type;
    byte[] body;
    byte[] head;
    List<HeifBox> children;

    private HeifBox(String type, byte[] body) {
        this.type = type;
        this.body = body;
    }

    static HeifBox leaf(String type, byte[] body) {
        return new HeifBox(type, body);
    }

    static HeifBox container(String type, byte[] body, int headLength) {
        return new HeifBox(type, body).open(headLength);
    }

    /** This box read as a container whose children start after {@code headLength} bytes. */
    HeifBox open(int headLength) {
        if (children != null) {
            return this; // already open: its children may have been changed
        }
        head = Arrays.copyOf(body, headLength);
        children = new ArrayList<>();
        int pos = headLength;
        while (pos + 8 <= body.length) {
            long size = ByteBuffer.wrap(body, pos, 4).getInt() & 0xFFFFFFFFL;
            if (size < 8 || pos + size > body.length) {
                throw new Unsupported("box at " + pos + " of " + type + " has size " + size);
            }
            String childType = new String(body, pos + 4, 4, StandardCharsets.ISO_8859_1);
            children.add(new HeifBox(childType, Arrays.copyOfRange(body, pos + 8, (int) (pos + size))));
            pos += (int) size;
        }
        return this;
    }

    HeifBox child(String childType) {
        HeifBox found = find(childType);
        if (found == null) {
            throw new Unsupported("no " + childType + " in " + type);
        }
        return found;
    }

    /** The one child of that type, null when there is none. */
    HeifBox find(String childType) {
        List<HeifBox> matches = children.stream().filter(c -> c.type.equals(childType)).toList();
        if (matches.size() > 1) {
            throw new Unsupported(matches.size() + " " + childType + " boxes in " + type);
        }
        return matches.isEmpty() ? null : matches.get(0);
    }

    void replace(String childType, HeifBox with) {
        children.replaceAll(c -> c.type.equals(childType) ? with : c);
    }

    long length() {
        if (children == null) {
            return 8L + body.length;
        }
        return 8L + head.length + children.stream().mapToLong(HeifBox::length).sum();
    }

    byte[] bytes() {
        long length = length();
        if (length > 0xFFFFFFFFL) {
            throw new Unsupported(type + " would need a 64-bit size");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) length);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) length).array());
        out.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
        if (children == null) {
            out.writeBytes(body);
        } else {
            out.writeBytes(head);
            children.forEach(c -> out.writeBytes(c.bytes()));
        }
        return out.toByteArray();
    }

    /** Item ids written in 16 bits must fit them. */
    static long narrowId(long id) {
        if (id > 0xFFFF) {
            throw new Unsupported("item id " + id + " does not fit 16 bits");
        }
        return id;
    }
}

package io.captiond.normalise;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The iloc box of a HEIF file, for {@link HeifMetaEditor}: where each item's bytes are. Offsets of
 * items stored in the file (construction method 0) are absolute, so when the meta box grows, those
 * pointing past it move by as much. An item can be added whose one extent is placed once the
 * final size of the meta box is known.
 */
final class HeifIloc {

    /** A field of the box: where it sits and how many bytes wide it is. */
    record Field(int at, int width) {
    }

    /** One item stored in the file: its base offset and the offsets of its extents. */
    private record Located(Field base, List<Field> extents) {
    }

    /** An item added by {@link #add}: its extent offset, to be placed. */
    record Entry(Field offset) {
    }

    private byte[] body;
    private final int version;
    private final int offsetSize;
    private final int lengthSize;
    private final int baseSize;
    private final int indexSize;
    private final int countAt;
    private final List<Located> located = new ArrayList<>();

    private HeifIloc(byte[] body) {
        this.body = body;
        this.version = body[0] & 0xFF;
        this.offsetSize = (body[4] & 0xFF) >> 4;
        this.lengthSize = body[4] & 0x0F;
        this.baseSize = (body[5] & 0xFF) >> 4;
        this.indexSize = version >= 1 ? body[5] & 0x0F : 0;
        this.countAt = 6;
        if (version > 2) {
            throw new HeifBox.Unsupported("iloc version " + version);
        }
    }

    static HeifIloc parse(HeifBox box) {
        HeifIloc iloc = new HeifIloc(box.body.clone());
        int pos = iloc.countAt;
        long items = iloc.read(pos, iloc.idWidth());
        pos += iloc.idWidth();
        for (long i = 0; i < items; i++) {
            pos += iloc.idWidth();
            int method = 0;
            if (iloc.version >= 1) {
                method = (int) iloc.read(pos, 2) & 0x0F;
                pos += 2;
            }
            int dataReference = (int) iloc.read(pos, 2);
            pos += 2;
            Field base = new Field(pos, iloc.baseSize);
            pos += iloc.baseSize;
            int extents = (int) iloc.read(pos, 2);
            pos += 2;
            List<Field> offsets = new ArrayList<>();
            for (int e = 0; e < extents; e++) {
                pos += iloc.indexSize;
                offsets.add(new Field(pos, iloc.offsetSize));
                pos += iloc.offsetSize + iloc.lengthSize;
            }
            if (method == 0 && dataReference == 0) {
                iloc.located.add(new Located(base, offsets));
            }
        }
        if (pos > iloc.body.length) {
            throw new HeifBox.Unsupported("iloc overruns its box");
        }
        return iloc;
    }

    private int idWidth() {
        return version < 2 ? 2 : 4;
    }

    /**
     * Every absolute offset past the meta box ({@code metaEnd}) moves by {@code growth}; one that
     * points into the meta box itself is a layout this editor does not handle.
     */
    void moveOffsets(long metaStart, long metaEnd, long growth) {
        for (Located item : located) {
            long base = read(item.base());
            if (base >= metaEnd) {
                write(item.base(), base + growth);
                continue;
            }
            for (Field extent : item.extents()) {
                long at = base + read(extent);
                if (at >= metaStart && at < metaEnd) {
                    throw new HeifBox.Unsupported("an item's bytes are inside the meta box");
                }
                if (at >= metaEnd) {
                    write(extent, read(extent) + growth);
                }
            }
        }
    }

    /** Adds item {@code id} with one extent of {@code length} bytes in the file, placed later by {@link #place}. */
    Entry add(long id, int length) {
        if (lengthSize == 0 || offsetSize < 4) {
            throw new HeifBox.Unsupported("iloc fields too narrow for an added item");
        }
        long count = read(countAt, idWidth());
        if (count + 1 >= (1L << (8 * idWidth()))) {
            throw new HeifBox.Unsupported("iloc is full");
        }
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        writeTo(entry, version < 2 ? HeifBox.narrowId(id) : id, idWidth());
        if (version >= 1) {
            writeTo(entry, 0, 2); // construction method 0: in this file
        }
        writeTo(entry, 0, 2); // data reference 0: this file
        writeTo(entry, 0, baseSize);
        writeTo(entry, 1, 2);
        writeTo(entry, 0, indexSize);
        int offsetAt = body.length + entry.size();
        writeTo(entry, 0, offsetSize);
        writeTo(entry, length, lengthSize);
        byte[] grown = java.util.Arrays.copyOf(body, body.length + entry.size());
        System.arraycopy(entry.toByteArray(), 0, grown, body.length, entry.size());
        body = grown;
        write(new Field(countAt, idWidth()), count + 1);
        return new Entry(new Field(offsetAt, offsetSize));
    }

    void place(Entry entry, long offset) {
        write(entry.offset(), offset);
    }

    HeifBox box() {
        return HeifBox.leaf("iloc", body.clone());
    }

    private long read(Field f) {
        return read(f.at(), f.width());
    }

    private long read(int at, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = v << 8 | (body[at + i] & 0xFF);
        }
        return v;
    }

    private void write(Field f, long value) {
        if (f.width() < 8 && value >= 1L << (8 * f.width())) {
            throw new HeifBox.Unsupported("offset " + value + " does not fit " + f.width() + " bytes");
        }
        for (int i = f.width() - 1, v = 0; i >= 0; i--, v += 8) {
            body[f.at() + i] = (byte) (value >>> v);
        }
    }

    private static void writeTo(ByteArrayOutputStream out, long value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }
}

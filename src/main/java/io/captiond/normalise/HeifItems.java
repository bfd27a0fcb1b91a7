package io.captiond.normalise;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The item table (iinf) and item references (iref) of a HEIF meta box, for
 * {@link HeifMetaEditor}: adding an overlay item over the primary image.
 */
final class HeifItems {

    private final HeifBox meta;
    private final HeifBox iinf;
    private final boolean wideCount;

    private HeifItems(HeifBox meta) {
        this.meta = meta;
        HeifBox raw = meta.child("iinf");
        this.wideCount = raw.body[0] != 0;
        this.iinf = raw.open(wideCount ? 8 : 6);
    }

    static HeifItems open(HeifBox meta) {
        return new HeifItems(meta);
    }

    long maxId() {
        long max = 0;
        for (HeifBox infe : iinf.children) {
            if (infe.type.equals("infe")) {
                max = Math.max(max, id(infe));
            }
        }
        return max;
    }

    private static long id(HeifBox infe) {
        ByteBuffer b = ByteBuffer.wrap(infe.body);
        return infe.body[0] >= 3 ? b.getInt(4) & 0xFFFFFFFFL : b.getShort(4) & 0xFFFF;
    }

    /** The iref box, opened; a new one (16-bit ids) when the file has none. */
    private HeifBox iref() {
        HeifBox iref = meta.find("iref");
        if (iref == null) {
            iref = HeifBox.container("iref", new byte[4], 4);
            meta.children.add(iref);
        }
        return iref.open(4);
    }

    /** A new image item of {@code type} with no name. */
    void add(long id, String type) {
        boolean wide = id > 0xFFFF;
        ByteBuffer b = ByteBuffer.allocate(4 + (wide ? 4 : 2) + 2 + 4 + 1);
        b.put((byte) (wide ? 3 : 2)).put(new byte[3]);
        if (wide) {
            b.putInt((int) id);
        } else {
            b.putShort((short) id);
        }
        b.putShort((short) 0).put(type.getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0);
        iinf.children.add(HeifBox.leaf("infe", b.array()));
        ByteBuffer head = ByteBuffer.wrap(iinf.head);
        if (wideCount) {
            head.putInt(4, iinf.children.size());
        } else {
            head.putShort(4, (short) HeifBox.narrowId(iinf.children.size()));
        }
    }

    /** Marks item {@code id} hidden: libheif then leaves it out of the top-level images it decodes. */
    void hide(long id) {
        for (HeifBox infe : iinf.children) {
            if (infe.type.equals("infe") && id(infe) == id) {
                infe.body[3] |= 1;
                return;
            }
        }
        throw new HeifBox.Unsupported("no item entry for " + id);
    }

    /**
     * {@code overlay} derives from {@code primary} (dimg), and the metadata that described the
     * primary (cdsc: EXIF, XMP) now describes the overlay. A primary with premultiplied alpha
     * (prem) is left alone: libheif's overlay takes alpha as unassociated.
     */
    void deriveOverlay(long primary, long overlay) {
        HeifBox iref = iref();
        boolean wide = iref.head[0] != 0;
        int idWidth = wide ? 4 : 2;
        for (HeifBox ref : iref.children) {
            ByteBuffer b = ByteBuffer.wrap(ref.body);
            long from = wide ? b.getInt(0) & 0xFFFFFFFFL : b.getShort(0) & 0xFFFF;
            if (ref.type.equals("prem") && from == primary) {
                throw new HeifBox.Unsupported("premultiplied alpha");
            }
            if (ref.type.equals("cdsc")) {
                int count = b.getShort(idWidth) & 0xFFFF;
                for (int i = 0; i < count; i++) {
                    int at = idWidth + 2 + i * idWidth;
                    long to = wide ? b.getInt(at) & 0xFFFFFFFFL : b.getShort(at) & 0xFFFF;
                    if (to == primary) {
                        putId(b, at, overlay, wide);
                    }
                }
            }
        }
        ByteBuffer dimg = ByteBuffer.allocate(idWidth * 2 + 2);
        putId(dimg, 0, overlay, wide);
        dimg.putShort(idWidth, (short) 1);
        putId(dimg, idWidth + 2, primary, wide);
        iref.children.add(HeifBox.leaf("dimg", dimg.array()));
    }

    private static void putId(ByteBuffer b, int at, long id, boolean wide) {
        if (wide) {
            b.putInt(at, (int) id);
        } else {
            b.putShort(at, (short) HeifBox.narrowId(id));
        }
    }
}

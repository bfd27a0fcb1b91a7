package io.captiond.normalise;

import java.awt.Color;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A copy of a HEIF file whose {@code meta} box asks libheif to do a job while it decodes, so that
 * heif-convert writes the finished JPEG in one run and Java never decodes or re-encodes it:
 * <ul>
 * <li><b>turn</b>: an {@code irot} property on the primary image (an EXIF-only rotation, which
 *     libheif otherwise ignores) — libheif turns the decoded planes before its JPEG encoder;</li>
 * <li><b>flatten</b>: a new primary {@code iovl} (overlay) item whose canvas is filled with the
 *     background and whose one input is the old primary, now hidden. libheif 1.15 composes an
 *     overlay with unassociated alpha, {@code out = (in·a + bg·(255−a)) / 255}, in 8-bit RGB: the
 *     same flattening captiond does in Java. The EXIF/XMP items ({@code cdsc}) and an ICC profile
 *     move to the overlay, so heif-convert writes them into the JPEG as for any HEIC.</li>
 * </ul>
 * Only the meta box changes (its iloc offsets into later boxes are moved by the growth) and the
 * overlay's 18 bytes go into an {@code mdat} at the end. A layout this editor does not handle
 * (64-bit box sizes, more properties than the ipma fields can index, offsets into the meta box)
 * makes {@link #write} return false, and the caller keeps its slower route.
 */
final class HeifMetaEditor {

    private static final long MAX_META = 16L * 1024 * 1024;

    private HeifMetaEditor() {
    }

    /**
     * Writes {@code target}: {@code source} with the primary turned {@code quarterTurnsCcw} × 90°
     * anticlockwise (0: not turned) and, when {@code background} is not null, laid over it on a
     * {@code width}x{@code height} canvas (the size after the turn). False when the layout is not
     * one this editor handles; nothing useful is then in {@code target}.
     */
    static boolean write(Path source, Path target, int quarterTurnsCcw, Color background, long width, long height)
            throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            long[] meta = findMeta(in);
            if (meta == null) {
                return false;
            }
            long metaStart = meta[0];
            long metaEnd = meta[0] + meta[1];
            ByteBuffer body = ByteBuffer.allocate((int) (meta[1] - 8));
            while (body.hasRemaining() && in.read(body, metaStart + 8 + body.position()) > 0) {
                // a channel may return fewer bytes than asked
            }
            Edited edited;
            try {
                edited = edit(body.array(), quarterTurnsCcw, background, width, height, metaStart, metaEnd, in.size());
            } catch (RuntimeException e) {
                // a layout this editor does not handle, or a hostile file: the caller's slower route
                // hands the original to libheif, which reports what is wrong in its own words
                return false;
            }
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                transfer(in, 0, metaStart, out);
                out.write(ByteBuffer.wrap(edited.meta()));
                transfer(in, metaEnd, in.size() - metaEnd, out);
                if (edited.trailer() != null) {
                    out.write(ByteBuffer.wrap(edited.trailer()));
                }
            }
            return true;
        }
    }

    private record Edited(byte[] meta, byte[] trailer) {
    }

    private static void transfer(FileChannel in, long from, long count, FileChannel out) throws IOException {
        long done = 0;
        while (done < count) {
            done += in.transferTo(from + done, count - done, out);
        }
    }

    /** {start, size} of the top-level meta box, or null when there is none with a plain 32-bit size. */
    private static long[] findMeta(FileChannel ch) throws IOException {
        long pos = 0;
        ByteBuffer head = ByteBuffer.allocate(8);
        while (pos + 8 <= ch.size()) {
            head.clear();
            ch.read(head, pos);
            head.flip();
            long size = head.getInt() & 0xFFFFFFFFL;
            String type = StandardCharsets.ISO_8859_1.decode(head).toString();
            if (size < 8) {
                return null; // 64-bit or open-ended sizes: not for this editor
            }
            if (type.equals("meta")) {
                return size <= MAX_META && pos + size <= ch.size() ? new long[] {pos, size} : null;
            }
            pos += size;
        }
        return null;
    }

    private static Edited edit(byte[] metaBody, int turns, Color background, long width, long height, long metaStart,
            long metaEnd, long fileSize) {
        HeifBox meta = HeifBox.container("meta", metaBody, 4);
        long primary = Pitm.id(meta.child("pitm"));
        HeifBox iprp = meta.child("iprp").open(0);
        HeifBox ipco = iprp.child("ipco").open(0);
        HeifIpma ipma = HeifIpma.parse(iprp.child("ipma"));
        HeifIloc iloc = HeifIloc.parse(meta.child("iloc"));
        if (turns % 4 != 0) {
            ipco.children.add(HeifBox.leaf("irot", new byte[] {(byte) (turns & 3)}));
            ipma.associate(primary, ipco.children.size(), true);
        }
        byte[] trailer = null;
        HeifIloc.Entry overlayData = null;
        if (background != null) {
            HeifItems items = HeifItems.open(meta);
            long overlay = items.maxId() + 1;
            items.add(overlay, "iovl");
            items.hide(primary);
            ipco.children.add(HeifBox.leaf("ispe", ByteBuffer.allocate(12).putInt(0).putInt((int) width).putInt((int) height).array()));
            ipma.associate(overlay, ipco.children.size(), false);
            for (int index : ipma.of(primary)) {
                if (iccProfile(ipco.children.get(index - 1))) {
                    ipma.associate(overlay, index, false);
                }
            }
            items.deriveOverlay(primary, overlay);
            meta.replace("pitm", Pitm.withId(meta.child("pitm"), overlay));
            byte[] data = overlayData(background, width, height);
            overlayData = iloc.add(overlay, data.length);
            trailer = ByteBuffer.allocate(8 + data.length).putInt(8 + data.length)
                    .put("mdat".getBytes(StandardCharsets.ISO_8859_1)).put(data).array();
        }
        iprp.replace("ipma", ipma.box());
        meta.replace("iloc", iloc.box());
        long growth = meta.length() - (metaEnd - metaStart);
        iloc.moveOffsets(metaStart, metaEnd, growth);
        if (overlayData != null) {
            iloc.place(overlayData, fileSize + growth + 8);
        }
        meta.replace("iloc", iloc.box());
        return new Edited(meta.bytes(), trailer);
    }

    private static boolean iccProfile(HeifBox property) {
        if (!property.type.equals("colr") || property.body.length < 4) {
            return false;
        }
        String kind = new String(property.body, 0, 4, StandardCharsets.ISO_8859_1);
        return kind.equals("prof") || kind.equals("rICC");
    }

    /** ImageOverlay version 0: canvas fill RGBA (16 bits each), canvas size, the one input at 0,0. */
    private static byte[] overlayData(Color background, long width, long height) {
        boolean wide = width > 0xFFFF || height > 0xFFFF;
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + (wide ? 16 : 8));
        b.put((byte) 0).put((byte) (wide ? 1 : 0));
        b.putShort((short) (background.getRed() * 257)).putShort((short) (background.getGreen() * 257))
                .putShort((short) (background.getBlue() * 257)).putShort((short) 0xFFFF);
        if (wide) {
            b.putInt((int) width).putInt((int) height).putInt(0).putInt(0);
        } else {
            b.putShort((short) width).putShort((short) height).putShort((short) 0).putShort((short) 0);
        }
        return b.array();
    }

    /** pitm: the primary item's id. */
    private static final class Pitm {
        static long id(HeifBox pitm) {
            ByteBuffer b = ByteBuffer.wrap(pitm.body);
            return b.get(0) == 0 ? b.getShort(4) & 0xFFFF : b.getInt(4) & 0xFFFFFFFFL;
        }

        static HeifBox withId(HeifBox pitm, long id) {
            byte[] body = pitm.body.clone();
            if (body[0] == 0) {
                ByteBuffer.wrap(body).putShort(4, (short) HeifBox.narrowId(id));
            } else {
                ByteBuffer.wrap(body).putInt(4, (int) id);
            }
            return HeifBox.leaf("pitm", body);
        }
    }
}

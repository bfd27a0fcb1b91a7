package io.captiond.normalise;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What a PNG or WebP header says about transparency and compression, read from its chunks without
 * decoding a pixel. Hand-written: ImageIO only answers after building a reader, and its WebP
 * reader does not tell lossless from lossy.
 */
record AlphaHeader(boolean alpha, boolean lossless) {

    private static final int MAX_CHUNKS = 64;

    static AlphaHeader read(Path file, ImageType type) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            return switch (type) {
                case PNG -> png(in);
                case WEBP -> webp(in);
                default -> new AlphaHeader(false, false);
            };
        } catch (java.io.EOFException e) {
            // a truncated file: the converter's own checks say so in words; nothing to tell here
            return new AlphaHeader(false, type == ImageType.PNG);
        }
    }

    /** Colour type 4 or 6 (grey or RGB with alpha), or a tRNS chunk before the image data. */
    private static AlphaHeader png(RandomAccessFile in) throws IOException {
        long pos = 8;
        for (int i = 0; i < MAX_CHUNKS && pos + 8 <= in.length(); i++) {
            in.seek(pos);
            long length = in.readInt() & 0xFFFFFFFFL;
            String chunk = fourCc(in);
            if (chunk.equals("IHDR")) {
                in.skipBytes(9);
                int colourType = in.readUnsignedByte();
                if (colourType == 4 || colourType == 6) {
                    return new AlphaHeader(true, true);
                }
            } else if (chunk.equals("tRNS")) {
                return new AlphaHeader(true, true);
            } else if (chunk.equals("IDAT") || chunk.equals("IEND")) {
                break;
            }
            pos += 12 + length;
        }
        return new AlphaHeader(false, true);
    }

    /** VP8X's alpha flag or an ALPH chunk, VP8L's alpha bit; lossless when the image chunk is VP8L. */
    private static AlphaHeader webp(RandomAccessFile in) throws IOException {
        boolean alpha = false;
        long pos = 12;
        for (int i = 0; i < MAX_CHUNKS && pos + 8 <= in.length(); i++) {
            in.seek(pos);
            String chunk = fourCc(in);
            long size = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            switch (chunk) {
                case "VP8X" -> alpha |= (in.readUnsignedByte() & 0x10) != 0;
                case "ALPH" -> alpha = true;
                case "VP8L" -> {
                    in.skipBytes(4); // signature 0x2f, then 14 + 14 bits of size
                    alpha |= ((in.readUnsignedByte() >> 4) & 1) != 0;
                    return new AlphaHeader(alpha, true);
                }
                case "VP8 " -> {
                    return new AlphaHeader(alpha, false);
                }
                default -> { }
            }
            pos += 8 + size + (size & 1);
        }
        return new AlphaHeader(alpha, false);
    }

    private static String fourCc(RandomAccessFile in) throws IOException {
        byte[] b = new byte[4];
        in.readFully(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}

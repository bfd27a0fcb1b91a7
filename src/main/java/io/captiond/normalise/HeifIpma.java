package io.captiond.normalise;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ipma box of a HEIF meta box, for {@link HeifMetaEditor}: the properties associated with each
 * item, as written (essential bit and 1-based index into ipco), in item order.
 */
final class HeifIpma {

    private byte[] head;
    private final Map<Long, List<Integer>> entries = new LinkedHashMap<>();

    static HeifIpma parse(HeifBox box) {
        HeifIpma ipma = new HeifIpma();
        ByteBuffer b = ByteBuffer.wrap(box.body);
        ipma.head = java.util.Arrays.copyOf(box.body, 4);
        int version = b.get() & 0xFF;
        boolean wide = (b.getInt(0) & 1) != 0;
        b.position(4);
        long count = b.getInt() & 0xFFFFFFFFL;
        for (long e = 0; e < count; e++) {
            long id = version < 1 ? b.getShort() & 0xFFFF : b.getInt() & 0xFFFFFFFFL;
            int n = b.get() & 0xFF;
            List<Integer> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                list.add(wide ? b.getShort() & 0xFFFF : b.get() & 0xFF);
            }
            ipma.entries.put(id, list);
        }
        return ipma;
    }

    private boolean wide() {
        return (head[3] & 1) != 0;
    }

    /** Property indexes (1-based) of {@code id}. */
    List<Integer> of(long id) {
        int mask = wide() ? 0x7FFF : 0x7F;
        return entries.getOrDefault(id, List.of()).stream().map(v -> v & mask).toList();
    }

    void associate(long id, int index, boolean essential) {
        if (index > (wide() ? 0x7FFF : 0x7F)) {
            throw new HeifBox.Unsupported("property " + index + " cannot be indexed by this ipma");
        }
        List<Integer> list = entries.computeIfAbsent(id, k -> new ArrayList<>());
        if (list.size() == 255) {
            throw new HeifBox.Unsupported("item " + id + " has 255 properties");
        }
        list.add((essential ? (wide() ? 0x8000 : 0x80) : 0) | index);
    }

    HeifBox box() {
        boolean narrowIds = head[0] < 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(ByteBuffer.allocate(4).putInt(entries.size()).array());
        for (var e : entries.entrySet()) {
            out.writeBytes(narrowIds ? ByteBuffer.allocate(2).putShort((short) HeifBox.narrowId(e.getKey())).array()
                    : ByteBuffer.allocate(4).putInt(e.getKey().intValue()).array());
            out.write(e.getValue().size());
            for (int v : e.getValue()) {
                out.writeBytes(wide() ? ByteBuffer.allocate(2).putShort((short) v).array() : new byte[] {(byte) v});
            }
        }
        return HeifBox.leaf("ipma", out.toByteArray());
    }
}

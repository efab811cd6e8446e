package io.uffdgc.bench.replay;

import io.uffdgc.bench.replay.HprofDump.ClassDump;
import io.uffdgc.bench.replay.HprofDump.Kind;
import io.uffdgc.bench.replay.HprofDump.Obj;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.collections.LongArrayList;

/**
 * Reads the JDK's HPROF binary heap dump ("JAVA PROFILE 1.0.2", as written by
 * {@code jmap -dump}, {@code jcmd PID GC.heap_dump} or HotSpotDiagnosticMXBean.dumpHeap):
 * strings, LOAD CLASS records for class names, and the HEAP DUMP (SEGMENT) records' class
 * dumps, instances, arrays and GC roots. Other records are skipped by their length.
 * Instance field values are decoded once every class is known (HotSpot writes a class's
 * dump before its instances, but the format does not promise it).
 */
public final class HprofReader {
    private static final String MAGIC = "JAVA PROFILE 1.0.2";
    private static final int UTF8 = 0x01, LOAD_CLASS = 0x02, HEAP_DUMP = 0x0C, HEAP_DUMP_SEGMENT = 0x1C;
    private static final int ROOT_UNKNOWN = 0xFF, ROOT_JNI_GLOBAL = 0x01, ROOT_JNI_LOCAL = 0x02, ROOT_JAVA_FRAME = 0x03,
            ROOT_NATIVE_STACK = 0x04, ROOT_STICKY_CLASS = 0x05, ROOT_THREAD_BLOCK = 0x06, ROOT_MONITOR_USED = 0x07,
            ROOT_THREAD_OBJECT = 0x08, CLASS_DUMP = 0x20, INSTANCE_DUMP = 0x21, OBJ_ARRAY_DUMP = 0x22,
            PRIM_ARRAY_DUMP = 0x23;

    private final DataInputStream in;
    private final Path file;
    private int idSize;
    private long offset;
    private final Map<Long, String> strings = new HashMap<>();
    private final Map<Long, String> classNames = new HashMap<>();
    private final Map<Long, ClassDump> classes = new LinkedHashMap<>();
    private final List<Obj> objects = new ArrayList<>();
    /** Instances whose fields are decoded after the whole dump is read: index into objects, raw field bytes. */
    private final List<Object[]> rawInstances = new ArrayList<>();
    private final Set<Long> roots = new LinkedHashSet<>();

    private HprofReader(InputStream in, Path file) {
        this.in = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        this.file = file;
    }

    public static HprofDump read(Path file) throws IOException {
        try (InputStream s = Files.newInputStream(file)) {
            return new HprofReader(s, file).read();
        }
    }

    private HprofDump read() throws IOException {
        header();
        for (;;) {
            int tag;
            try {
                tag = in.readUnsignedByte();
            } catch (EOFException end) {
                break;
            }
            offset++;
            u4();                                   // microseconds since the header's time
            long len = u4();
            switch (tag) {
                case UTF8 -> {
                    long id = id();
                    byte[] b = bytes(len - idSize);
                    strings.put(id, new String(b, StandardCharsets.UTF_8));
                }
                case LOAD_CLASS -> {
                    u4();
                    long classId = id();
                    u4();
                    classNames.put(classId, strings.getOrDefault(id(), "?"));
                }
                case HEAP_DUMP, HEAP_DUMP_SEGMENT -> heapDump(offset + len);
                default -> skip(len);
            }
        }
        decodeInstances();
        return new HprofDump(classes, objects, roots.stream().mapToLong(Long::longValue).toArray());
    }

    private void header() throws IOException {
        StringBuilder magic = new StringBuilder();
        for (int c; (c = in.readUnsignedByte()) != 0; ) {
            magic.append((char) c);
            if (magic.length() > 32) break;
        }
        if (!magic.toString().equals(MAGIC))
            throw new IllegalArgumentException(file + " is not an HPROF heap dump: it starts with '" + magic
                    + "', not '" + MAGIC + "'");
        idSize = in.readInt();
        if (idSize != 4 && idSize != 8) throw new IllegalArgumentException(file + ": identifier size " + idSize + " is not 4 or 8");
        in.readLong();
        offset = magic.length() + 1 + 4 + 8;
    }

    private void heapDump(long end) throws IOException {
        while (offset < end) {
            int sub = in.readUnsignedByte();
            offset++;
            switch (sub) {
                case ROOT_UNKNOWN, ROOT_STICKY_CLASS, ROOT_MONITOR_USED -> roots.add(id());
                case ROOT_JNI_GLOBAL -> { roots.add(id()); id(); }
                case ROOT_JNI_LOCAL, ROOT_JAVA_FRAME, ROOT_THREAD_OBJECT -> { roots.add(id()); u4(); u4(); }
                case ROOT_NATIVE_STACK, ROOT_THREAD_BLOCK -> { roots.add(id()); u4(); }
                case CLASS_DUMP -> classDump();
                case INSTANCE_DUMP -> {
                    long id = id();
                    u4();
                    long classId = id();
                    byte[] fields = bytes(u4());
                    rawInstances.add(new Object[] {objects.size(), fields});
                    objects.add(new Obj(id, Kind.INSTANCE, classId, 0, null, null));
                }
                case OBJ_ARRAY_DUMP -> {
                    long id = id();
                    u4();
                    int n = (int) u4();
                    long classId = id();
                    long[] refs = new long[n];
                    for (int i = 0; i < n; i++) refs[i] = id();
                    objects.add(new Obj(id, Kind.OBJECT_ARRAY, classId, 0, refs, new byte[0]));
                }
                case PRIM_ARRAY_DUMP -> {
                    long id = id();
                    u4();
                    int n = (int) u4();
                    int type = in.readUnsignedByte();
                    offset++;
                    byte[] data = bytes((long) n * HprofDump.size(type, idSize));
                    objects.add(new Obj(id, Kind.PRIMITIVE_ARRAY, 0, type, new long[0], data));
                }
                default -> throw new IllegalArgumentException(file + ": unknown heap dump sub-record 0x"
                        + Integer.toHexString(sub) + " at byte " + (offset - 1));
            }
        }
    }

    /** A class: its dump record, and the class object as an object referring to its super, loader and statics. */
    private void classDump() throws IOException {
        long id = id();
        u4();
        long superId = id(), loaderId = id();
        id();                                           // signers
        id();                                           // protection domain
        id();
        id();                                           // reserved
        u4();                                           // instance size in the dumped JVM
        int cp = u2();
        for (int i = 0; i < cp; i++) {
            u2();
            skipValue(in.readUnsignedByte());
            offset++;
        }
        LongArrayList refs = new LongArrayList();
        refs.addLong(superId);
        refs.addLong(loaderId);
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        int statics = u2();
        for (int i = 0; i < statics; i++) {
            id();
            int t = in.readUnsignedByte();
            offset++;
            if (t == HprofDump.OBJECT) refs.addLong(id());
            else data.write(bytes(HprofDump.size(t, idSize)));
        }
        int fields = u2();
        int[] types = new int[fields];
        for (int i = 0; i < fields; i++) {
            id();
            types[i] = in.readUnsignedByte();
            offset++;
            HprofDump.size(types[i], idSize);           // rejects an unknown type here, with the file's offset below
        }
        classes.put(id, new ClassDump(id, null, superId, loaderId, types));
        objects.add(new Obj(id, Kind.CLASS, id, 0, refs.toLongArray(), data.toByteArray()));
    }

    /** Splits every instance's field bytes into references and primitive data, walking its class chain. */
    private void decodeInstances() {
        Map<Long, ClassDump> named = new HashMap<>();
        classes.forEach((id, c) -> named.put(id, new ClassDump(id, classNames.getOrDefault(id, "class@" + Long.toHexString(id)),
                c.superId(), c.loaderId(), c.fieldTypes())));
        classes.putAll(named);
        for (Object[] raw : rawInstances) {
            int index = (Integer) raw[0];
            byte[] b = (byte[]) raw[1];
            Obj o = objects.get(index);
            LongArrayList refs = new LongArrayList();
            java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
            int pos = 0;
            for (long c = o.classId(); c != 0; ) {
                ClassDump cd = classes.get(c);
                if (cd == null)
                    throw new IllegalArgumentException(file + ": instance 0x" + Long.toHexString(o.id())
                            + " of class 0x" + Long.toHexString(c) + ", which the dump does not describe");
                for (int t : cd.fieldTypes()) {
                    int n = HprofDump.size(t, idSize);
                    if (pos + n > b.length)
                        throw new IllegalArgumentException(file + ": instance 0x" + Long.toHexString(o.id()) + " of "
                                + cd.name() + " has " + b.length + " bytes of fields, fewer than its classes declare");
                    if (t == HprofDump.OBJECT) refs.addLong(idAt(b, pos));
                    else data.write(b, pos, n);
                    pos += n;
                }
                c = cd.superId();
            }
            objects.set(index, new Obj(o.id(), Kind.INSTANCE, o.classId(), 0, refs.toLongArray(), data.toByteArray()));
        }
        rawInstances.clear();
    }

    private long idAt(byte[] b, int pos) {
        long v = 0;
        for (int i = 0; i < idSize; i++) v = v << 8 | (b[pos + i] & 0xFF);
        return v;
    }

    private void skipValue(int type) throws IOException { skip(HprofDump.size(type, idSize)); }

    private long id() throws IOException {
        offset += idSize;
        return idSize == 8 ? in.readLong() : in.readInt() & 0xFFFFFFFFL;
    }

    private long u4() throws IOException {
        offset += 4;
        return in.readInt() & 0xFFFFFFFFL;
    }

    private int u2() throws IOException {
        offset += 2;
        return in.readUnsignedShort();
    }

    private byte[] bytes(long n) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException(file + ": a record of " + n + " bytes at byte " + offset);
        byte[] b = new byte[(int) n];
        in.readFully(b);
        offset += n;
        return b;
    }

    private void skip(long n) throws IOException {
        in.skipNBytes(n);
        offset += n;
    }
}

package io.uffdgc.bench.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The application-like object mix the benchmark allocates: mostly small records
 * with references (16-128 bytes), some reference arrays, some byte arrays. Shares
 * are by count. Written into every result file so a run can be reproduced.
 *
 * @param recordShare    share of records: 1-4 reference slots and 8-96 data bytes
 * @param refArrayShare  share of reference arrays: 4-64 elements
 * @param byteArrayShare share of byte arrays: 16-512 bytes
 */
public record ObjectMix(double recordShare, double refArrayShare, double byteArrayShare) {
    public static final ObjectMix DEFAULT = new ObjectMix(0.85, 0.10, 0.05);

    /** One object to allocate. */
    public sealed interface Shape permits Record, RefArray, ByteArray {}

    public record Record(int refs, int dataBytes) implements Shape {}

    public record RefArray(int length) implements Shape {}

    public record ByteArray(int length) implements Shape {}

    /** Record shapes are drawn from this fixed set, so a heap needs few layouts. */
    public static final int MAX_RECORD_REFS = 4;
    public static final int[] RECORD_DATA_BYTES = {8, 16, 24, 32, 48, 64, 96};

    public ObjectMix {
        if (recordShare < 0 || refArrayShare < 0 || byteArrayShare < 0
                || Math.abs(recordShare + refArrayShare + byteArrayShare - 1) > 1e-6)
            throw new IllegalArgumentException("object mix shares must be >= 0 and add up to 1: " + this);
        if (recordShare == 0)
            throw new IllegalArgumentException("the object mix needs records: they carry the object graph");
    }

    /** Parses "records=0.85,refarrays=0.10,bytearrays=0.05". */
    public static ObjectMix parse(String spec) {
        Map<String, Double> m = new LinkedHashMap<>(Map.of("records", 0.0, "refarrays", 0.0, "bytearrays", 0.0));
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2 || !m.containsKey(kv[0]))
                throw new IllegalArgumentException("bad object mix '" + spec + "': expected records=F,refarrays=F,bytearrays=F");
            m.put(kv[0], Double.parseDouble(kv[1]));
        }
        return new ObjectMix(m.get("records"), m.get("refarrays"), m.get("bytearrays"));
    }

    /**
     * Every shape next() can return, made once: next() allocates nothing on the Java heap, so a
     * mutator drawing shapes does not make the benchmark JVM collect (it did: 0.3 GB per mutator
     * per 20 s in the peers run, 17-20 Serial GC safepoints of up to 9.7 ms in the uffdgc child).
     */
    private static final Record[][] RECORDS = new Record[MAX_RECORD_REFS][RECORD_DATA_BYTES.length];
    private static final RefArray[] REF_ARRAYS = new RefArray[61];     // lengths 4-64
    private static final ByteArray[] BYTE_ARRAYS = new ByteArray[497]; // lengths 16-512

    static {
        for (int r = 0; r < MAX_RECORD_REFS; r++)
            for (int d = 0; d < RECORD_DATA_BYTES.length; d++) RECORDS[r][d] = new Record(1 + r, RECORD_DATA_BYTES[d]);
        for (int i = 0; i < REF_ARRAYS.length; i++) REF_ARRAYS[i] = new RefArray(4 + i);
        for (int i = 0; i < BYTE_ARRAYS.length; i++) BYTE_ARRAYS[i] = new ByteArray(16 + i);
    }

    /** A shape drawn by the shares; the random draws, in their order, are those of the shape's fields. */
    public Shape next(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u < recordShare) return RECORDS[rnd.nextInt(MAX_RECORD_REFS)][rnd.nextInt(RECORD_DATA_BYTES.length)];
        if (u < recordShare + refArrayShare) return REF_ARRAYS[rnd.nextInt(REF_ARRAYS.length)];
        return BYTE_ARRAYS[rnd.nextInt(BYTE_ARRAYS.length)];
    }

    public Map<String, Object> describe() {
        return Map.of("records", recordShare, "refarrays", refArrayShare, "bytearrays", byteArrayShare,
                "record_refs", "1-" + MAX_RECORD_REFS, "record_data_bytes", RECORD_DATA_BYTES,
                "refarray_length", "4-64", "bytearray_length", "16-512");
    }
}

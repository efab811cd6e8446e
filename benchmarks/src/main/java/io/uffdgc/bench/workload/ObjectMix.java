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

    public Shape next(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u < recordShare)
            return new Record(1 + rnd.nextInt(MAX_RECORD_REFS), RECORD_DATA_BYTES[rnd.nextInt(RECORD_DATA_BYTES.length)]);
        if (u < recordShare + refArrayShare) return new RefArray(4 + rnd.nextInt(61));
        return new ByteArray(16 + rnd.nextInt(497));
    }

    public Map<String, Object> describe() {
        return Map.of("records", recordShare, "refarrays", refArrayShare, "bytearrays", byteArrayShare,
                "record_refs", "1-" + MAX_RECORD_REFS, "record_data_bytes", RECORD_DATA_BYTES,
                "refarray_length", "4-64", "bytearray_length", "16-512");
    }
}

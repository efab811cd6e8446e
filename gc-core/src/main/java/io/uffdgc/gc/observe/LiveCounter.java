package io.uffdgc.gc.observe;

/**
 * The live counters every collector with {@code CollectorConfig.withLiveCounters(true)} keeps in
 * this process's {@link CountersFile}, declared once: the writer allocates one counter per
 * constant (type id {@link #typeId()}, label {@code "<heap>: <name>"}), the reader
 * ({@code scripts/gcstat}) finds them by type id.
 *
 * <p>Counters with an engine name are counted by C, where it already counts them
 * ({@code UGC_GC_STATS}), over every cycle; FAULTS_SERVED by the fault service; the others
 * are set by Java after each cycle (USED_BYTES also at every policy poll).
 */
public enum LiveCounter {
    CYCLES("cycles completed", null),
    LAST_PAUSE_NS("the last cycle's longest pause, ns", null),
    MAX_PAUSE_NS("the longest pause so far, ns", null),
    CAPACITY_BYTES("heap capacity", null),
    USED_BYTES("heap in use (its top)", null),
    LIVE_BYTES("live bytes the last cycle found", null),
    RESIDENT_BYTES("resident bytes of the heap after the last cycle", null),
    PAGES_MOVED("pages installed with UFFDIO_MOVE", "pages_moved"),
    PAGES_COPIED("pages installed with UFFDIO_COPY", "pages_copied"),
    PAGES_ZEROED("free heap served with a zero page", "pages_zeroed"),
    PAGES_IN_PLACE("dense-prefix pages updated in place", "pages_in_place"),
    PAGES_BY_COMPACTORS("pages compacted by compactor threads", "pages_by_compactors"),
    PAGES_BY_FAULTS("pages compacted first because a mutator faulted on them", "pages_by_faults"),
    EBUSY_FALLBACKS("pages MOVE refused with EBUSY, installed by COPY", "ebusy_fallbacks"),
    FAULTS_SERVED("faults the fault service served", null);

    /** Type ids start here, so they do not collide with Agrona's default type 0. */
    public static final int TYPE_BASE = 0x55470000;

    private final String description;
    private final String engineName;

    LiveCounter(String description, String engineName) {
        this.description = description;
        this.engineName = engineName;
    }

    public String description() { return description; }

    /** The UGC_GC_STATS counter C adds to this one, or null if it is not the engine's. */
    public String engineName() { return engineName; }

    public int typeId() { return TYPE_BASE + ordinal(); }

    /** The counter of a type id, or null if it is none of these. */
    public static LiveCounter ofTypeId(int typeId) {
        int i = typeId - TYPE_BASE;
        return i >= 0 && i < values().length ? values()[i] : null;
    }
}

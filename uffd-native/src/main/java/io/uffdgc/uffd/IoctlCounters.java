package io.uffdgc.uffd;

import io.uffdgc.uffd.gen.ugc_counters;
import java.lang.foreign.MemorySegment;

/** A snapshot of a C {@code ugc_counters}: ioctls issued, bytes they filled, errors by kind. */
public record IoctlCounters(long copyCalls, long copyBytes, long zeropageCalls, long zeropageBytes,
                            long moveCalls, long moveBytes, long wakeCalls, long eexist, long eagain,
                            long ebusy, long enomem, long otherErrors) {

    /** Reads a {@code ugc_counters} struct. */
    public static IoctlCounters read(MemorySegment c) {
        return new IoctlCounters(ugc_counters.copy_calls(c), ugc_counters.copy_bytes(c),
                ugc_counters.zeropage_calls(c), ugc_counters.zeropage_bytes(c),
                ugc_counters.move_calls(c), ugc_counters.move_bytes(c), ugc_counters.wake_calls(c),
                ugc_counters.eexist(c), ugc_counters.eagain(c), ugc_counters.ebusy(c),
                ugc_counters.enomem(c), ugc_counters.other_errors(c));
    }
}

package io.uffdgc.gc.observe;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * The live counters' file: one per process, {@code /tmp/uffdgc-<pid>.counters} (so a reader
 * finds it from the PID alone), holding Agrona's counters metadata and values buffers after
 * a one-page header:
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   | magic "UGCC"      | version           |   0
 *   +-------------------+-------------------+
 *   | pid                                   |   8
 *   +---------------------------------------+
 *   | start time, ms since the epoch        |  16
 *   +-------------------+-------------------+
 *   | metadata length   | values length     |  24
 *   +-------------------+-------------------+
 *   | (zero up to 4096)                     |
 *   +---------------------------------------+
 *   | metadata: CountersReader.METADATA_LENGTH per counter (id, type, label)  4096
 *   +---------------------------------------+
 *   | values: CountersReader.COUNTER_LENGTH per counter, one long each        4096 + metadata
 *   +---------------------------------------+
 * </pre>
 * The writer fills the header and writes the magic last, with a release store: a reader that
 * sees the magic (acquire) sees the lengths. A counter's value is written by C (relaxed atomic
 * adds on the collector's own threads, the fault path included) or by Java (release stores)
 * and read with acquire loads (CountersReader), so a reader in another process sees each value
 * whole, never torn.
 */
public final class CountersFile {
    public static final int MAGIC = 0x43434755;   // "UGCC" little-endian
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 4096;
    static final int PID_OFFSET = 8, START_OFFSET = 16, METADATA_LENGTH_OFFSET = 24, VALUES_LENGTH_OFFSET = 28;
    /** Counters the file holds: 16 per collector, so 64 collectors open at once. */
    static final int MAX_COUNTERS = 1024;

    private CountersFile() {}

    /** Where the process with this pid keeps its counters. */
    public static Path pathFor(long pid) { return Path.of("/tmp", "uffdgc-" + pid + ".counters"); }

    /** The file's length for MAX_COUNTERS counters. */
    static long length() {
        return HEADER_LENGTH + (long) MAX_COUNTERS * (CountersReader.METADATA_LENGTH + CountersReader.COUNTER_LENGTH);
    }

    /** A file this process writes: its mapping (hold it: the memory lives as long as it) and Agrona's two buffers. */
    public record Created(MappedByteBuffer map, UnsafeBuffer metadata, UnsafeBuffer values) {}

    /** A file read: its counters, and who writes it since when. */
    public record Opened(CountersReader counters, long pid, long startMillis) {}

    /** Creates (or replaces) file, sized for MAX_COUNTERS, with its header written. */
    public static Created create(Path file) throws IOException {
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            map = ch.map(FileChannel.MapMode.READ_WRITE, 0, length());
        }
        UnsafeBuffer all = new UnsafeBuffer(map);
        int meta = MAX_COUNTERS * CountersReader.METADATA_LENGTH, values = MAX_COUNTERS * CountersReader.COUNTER_LENGTH;
        all.putLong(PID_OFFSET, ProcessHandle.current().pid());
        all.putLong(START_OFFSET, System.currentTimeMillis());
        all.putInt(METADATA_LENGTH_OFFSET, meta);
        all.putInt(VALUES_LENGTH_OFFSET, values);
        all.putInt(4, VERSION);
        all.putIntRelease(0, MAGIC);   // last: a reader that sees it (acquire) sees the rest
        return new Created(map, new UnsafeBuffer(all, HEADER_LENGTH, meta), new UnsafeBuffer(all, HEADER_LENGTH + meta, values));
    }

    /** A reader of a file another process (or this one) writes; throws if it is not one. */
    public static Opened open(Path file) throws IOException {
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < HEADER_LENGTH)
                throw new IOException(file + " is not a uffdgc counters file: " + ch.size() + " bytes");
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        UnsafeBuffer all = new UnsafeBuffer(map);
        if (all.getIntAcquire(0) != MAGIC)
            throw new IOException(file + " is not a uffdgc counters file (or not written yet): magic 0x"
                    + Integer.toHexString(all.getInt(0)));
        if (all.getInt(4) != VERSION)
            throw new IOException(file + ": counters file version " + all.getInt(4) + ", this reader knows " + VERSION);
        int meta = all.getInt(METADATA_LENGTH_OFFSET), values = all.getInt(VALUES_LENGTH_OFFSET);
        if ((long) HEADER_LENGTH + meta + values > all.capacity())
            throw new IOException(file + ": header names " + meta + " + " + values + " bytes, the file has " + all.capacity());
        return new Opened(new CountersReader(new UnsafeBuffer(all, HEADER_LENGTH, meta),
                new UnsafeBuffer(all, HEADER_LENGTH + meta, values)), all.getLong(PID_OFFSET), all.getLong(START_OFFSET));
    }
}

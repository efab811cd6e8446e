package io.uffdgc.bench.peers;

import io.uffdgc.bench.OptionTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;

/** A collector the peers benchmark runs the workload under, each in its own child JVM. */
enum Peer {
    G1("g1", "-XX:+UseG1GC"),
    ZGC("zgc", "-XX:+UseZGC"),
    SHENANDOAH("shenandoah", "-XX:+UseShenandoahGC"),
    /** This project's collector in MOVE mode, on an off-heap heap of the same capacity. */
    UFFDGC_MOVE("uffdgc-move", null);

    /**
     * The Java heap of the uffdgc child: the workload lives off-heap, so the JVM needs
     * little (the verifier's bitmaps are the largest: 1/32 of the heap). The serial
     * collector adds no concurrent threads and the least footprint of its own.
     */
    static final long OUR_MIN_JAVA_HEAP = 128L << 20;

    private final String label;
    private final String gcFlag;

    Peer(String label, String gcFlag) {
        this.label = label;
        this.gcFlag = gcFlag;
    }

    String label() { return label; }

    boolean javaHeap() { return gcFlag != null; }

    /** The world argument of {@link PeerChild}. */
    String world() { return javaHeap() ? PeerChild.JAVA : PeerChild.UFFDGC; }

    /**
     * JVM flags of the child. Java heap: -Xms = -Xmx = the uffdgc heap's capacity, no
     * pre-touching, so resident memory grows with use in both worlds.
     */
    List<String> jvmFlags(PeerWorkload w) {
        List<String> f = new ArrayList<>();
        if (javaHeap()) {
            f.addAll(List.of(gcFlag, "-Xms" + w.heapBytes(), "-Xmx" + w.heapBytes(), "-XX:-AlwaysPreTouch"));
        } else {
            f.addAll(List.of("-XX:+UseSerialGC", "-Xmx" + Math.max(OUR_MIN_JAVA_HEAP, w.heapBytes() / 8),
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        }
        return f;
    }

    static Peer parse(String s) {
        for (Peer p : values()) if (p.label.equals(s.trim().toLowerCase())) return p;
        throw new IllegalArgumentException("unknown collector '" + s + "': expected g1, zgc, shenandoah or uffdgc-move");
    }

    /** --collectors: converts a label ({@link #parse}); iterating gives the labels, for help. */
    static final class Converter implements ITypeConverter<Peer>, Iterable<String> {
        @Override
        public Peer convert(String s) { return OptionTypes.converted(Peer::parse, s); }

        @Override
        public Iterator<String> iterator() { return Arrays.stream(values()).map(Peer::label).iterator(); }
    }
}

package io.uffdgc.bench.store;

import io.uffdgc.bench.OptionTypes;
import io.uffdgc.bench.store.ycsb.ChronicleMapDB;
import io.uffdgc.bench.store.ycsb.ConcurrentHashMapDB;
import io.uffdgc.bench.store.ycsb.OhcDB;
import io.uffdgc.bench.store.ycsb.RecordDB;
import io.uffdgc.bench.store.ycsb.Sizing;
import io.uffdgc.bench.store.ycsb.UffdgcStoreDB;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;

/**
 * A store scripts/bench store compares, each run in a child JVM of its own on this JDK (25):
 * Chronicle Map needs its documented --add-opens/--add-exports for Java 17+, which suffice here.
 */
public enum StoreKind {
    UFFDGC("uffdgc-store", UffdgcStoreDB::new, List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")),
    CHRONICLE("chronicle-map", ChronicleMapDB::new, List.of(
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            // Its usage analytics would try the network at start.
            "-Dchronicle.analytics.disable=true")),
    OHC("ohc", OhcDB::new, List.of()),
    CHM("chm-on-heap", ConcurrentHashMapDB::new, List.of());

    /**
     * The Java heap of an off-heap store's child: fixed and touched before the baseline is read,
     * so the resident memory that grows after it is the store's, not the Java heap's.
     */
    static final String OFF_HEAP_JAVA_HEAP = "256m";

    private final String label;
    private final Function<Sizing, RecordDB> open;
    private final List<String> flags;

    StoreKind(String label, Function<Sizing, RecordDB> open, List<String> flags) {
        this.label = label;
        this.open = open;
        this.flags = flags;
    }

    public String label() { return label; }

    RecordDB open(Sizing s) { return open.apply(s); }

    boolean onJavaHeap() { return this == CHM; }

    /**
     * The child's JVM flags: every child G1 and the flags every uffdgc JVM gets; the on-heap map
     * a Java heap of four times the most data (at least 1 GiB), not touched in advance, so its
     * resident memory grows with use as the off-heap stores' does.
     */
    List<String> jvmFlags(Sizing s) {
        List<String> f = new ArrayList<>(List.of("-XX:+UseG1GC", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        if (onJavaHeap()) {
            f.add("-Xmx" + ((s.generousCapacity()) >> 20) + "m");
        } else {
            f.addAll(List.of("-Xms" + OFF_HEAP_JAVA_HEAP, "-Xmx" + OFF_HEAP_JAVA_HEAP, "-XX:+AlwaysPreTouch"));
        }
        f.addAll(flags);
        return f;
    }

    /** What the table says about the JVM the store ran in. */
    String jvmNote() { return this == CHRONICLE ? "JDK " + Runtime.version().feature() + " + add-opens" : "JDK " + Runtime.version().feature(); }

    static StoreKind parse(String s) {
        for (StoreKind k : values()) if (k.label.equals(s.trim().toLowerCase())) return k;
        throw new IllegalArgumentException("unknown store '" + s + "': expected one of "
                + Arrays.stream(values()).map(StoreKind::label).toList());
    }

    /** --stores: converts a label; iterating gives the labels, for help. */
    static final class Converter implements ITypeConverter<StoreKind>, Iterable<String> {
        @Override
        public StoreKind convert(String s) { return OptionTypes.converted(StoreKind::parse, s); }

        @Override
        public Iterator<String> iterator() { return Arrays.stream(values()).map(StoreKind::label).iterator(); }
    }
}

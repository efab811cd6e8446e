package io.uffdgc.outsider;

import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import java.lang.reflect.Method;

/**
 * An embedder's code in its own package, run by SealedApiTest in a child JVM on the class
 * path (the unnamed module) with uffdgc's modules on the module path. It uses the public API
 * for real, then tries each part only the collector or a test may touch, and prints one line
 * per target: {@code SEALED name} or {@code OPEN name}.
 */
public final class SealedApiProbe {
    private SealedApiProbe() {}

    public static void main(String[] args) throws Exception {
        publicApiWorks();
        // Public classes in packages the modules do not export (or export only to the collector).
        tryStatic("io.uffdgc.heap.internal.HeapInternals", "of", Heap.class);
        tryStatic("io.uffdgc.uffd.gen.Uffdgc", "ugc_page_size");
        tryStatic("io.uffdgc.uffd.gen.testing.UffdgcTesting", "ugc_inject_clear");
        tryStatic("io.uffdgc.gc.engine.NativeEngine", "create", long.class, long.class);
        // Members of exported classes that are not public: even setAccessible(true) must fail.
        tryHidden(Heap.class, "resetTop", long.class);
        tryHidden(Heap.class, "setLiveBytes", long.class);
        tryHidden(Heap.class, "segment");
        tryHidden(Heap.class, "descriptor");
        tryHidden(Heap.class, "handles");
        tryStatic("io.uffdgc.heap.internal.HandleTable", "issue", int.class, int.class);
        tryHidden(Mutator.class, "offsetOf", long.class);
        System.out.println("PROBE DONE");
    }

    private static void publicApiWorks() {
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("outsider").withCapacity(64L << 20));
             Collector gc = Collector.attach(heap);
             Mutator m = heap.attach()) {
            RecordLayout node = heap.defineRecord("node", 1, 8);
            long a = m.allocate(node), b = m.allocate(node);
            m.putRef(a, 0, b);
            m.putLong(b, 0, 42);
            m.release(b);
            CycleStats s = gc.collect(Mode.MOVE);
            if (m.getLong(m.getRef(a, 0), 0) != 42) throw new AssertionError("lost a value across " + s);
            HeapVerifier.verify(heap);
            System.out.println("PUBLIC API OK " + s.mode() + " pages " + s.pages().compacted());
        }
    }

    private static void tryStatic(String className, String method, Class<?>... params) {
        String name = className + "." + method;
        try {
            Method m = Class.forName(className).getMethod(method, params);
            m.setAccessible(true);
            System.out.println("OPEN " + name);
        } catch (RuntimeException e) {
            System.out.println("SEALED " + name + " (" + e.getClass().getSimpleName() + ")");
        } catch (ReflectiveOperationException e) {
            System.out.println("MISSING " + name + " (" + e + ")");
        }
    }

    private static void tryHidden(Class<?> type, String method, Class<?>... params) {
        String name = type.getName() + "." + method;
        try {
            Method m = type.getDeclaredMethod(method, params);
            m.setAccessible(true);
            System.out.println("OPEN " + name);
        } catch (RuntimeException e) {
            System.out.println("SEALED " + name + " (" + e.getClass().getSimpleName() + ")");
        } catch (NoSuchMethodException e) {
            System.out.println("MISSING " + name);
        }
    }
}

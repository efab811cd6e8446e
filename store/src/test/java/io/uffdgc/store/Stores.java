package io.uffdgc.store;

import io.uffdgc.gc.Mode;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.verify.HeapVerifier;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** What the store's tests share: small stores, the kernel assumption for a mode, a snapshot of the contents. */
final class Stores {
    private Stores() {}

    /** A store with a 64 MiB heap that collects only when told to. */
    static OffHeapStoreBuilder manual(String name) {
        return OffHeapStore.builder().name(name).heapCapacity(64L << 20).policy(CollectionPolicy.manual());
    }

    /** Skips the calling test unless mode runs on this kernel (MOVE needs Linux 6.8+). */
    static void assumeMode(OffHeapStore store, Mode mode) {
        Assumptions.assumeTrue(store.collector().modeSupport().available().contains(mode),
                () -> mode + " is not available here: " + store.collector().modeSupport().reason());
    }

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** Every entry, as strings of their bytes (ISO-8859-1, so any byte round-trips). */
    static Map<String, String> contents(OffHeapStore store) {
        Map<String, String> m = new HashMap<>();
        store.forEach((k, kl, v, vl) -> {
            String prev = m.put(latin1(k, kl), latin1(v, vl));
            if (prev != null) throw new AssertionError("forEach reported a key twice");
        });
        return m;
    }

    private static String latin1(org.agrona.DirectBuffer b, int length) {
        byte[] bytes = new byte[length];
        b.getBytes(0, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static void verify(OffHeapStore store) { HeapVerifier.verify(store.heap()); }
}

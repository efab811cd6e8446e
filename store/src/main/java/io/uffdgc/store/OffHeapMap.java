package io.uffdgc.store;

import io.uffdgc.store.OffHeapStore.When;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.agrona.ExpandableArrayBuffer;

/**
 * An {@link OffHeapStore} seen as a {@code ConcurrentMap<K, V>}: keys and values go through
 * codecs into the store's bytes, and come back as new objects (a value read twice is two
 * equal objects, not one). Keys are compared, and the conditional operations compare values,
 * by their encoded bytes. Null keys and values are refused, as ConcurrentHashMap refuses
 * them. Every operation is atomic with respect to writers of the same key; compute, merge
 * and the computeIf* run their function with the key's segment locked, and the function
 * must not use this map (it gets an IllegalStateException, as ConcurrentHashMap throws for a
 * recursive update). Iteration is weakly consistent, segment by segment.
 */
public final class OffHeapMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, AutoCloseable {
    private final OffHeapStore store;
    private final Codec<K> keys;
    private final Codec<V> values;
    private final EntrySet entrySet = new EntrySet();

    OffHeapMap(OffHeapStore store, Codec<K> keys, Codec<V> values) {
        this.store = Objects.requireNonNull(store, "store");
        this.keys = Objects.requireNonNull(keys, "key codec");
        this.values = Objects.requireNonNull(values, "value codec");
    }

    public OffHeapStore store() { return store; }

    public StoreStats stats() { return store.stats(); }

    @SuppressWarnings("unchecked")
    private KeyBytes key(ThreadAccess a, Object key) {
        Objects.requireNonNull(key, "key");
        int n = keys.encode((K) key, a.keyOut);
        return store.keyOf(a, a.keyOut.byteArray(), n);
    }

    private int encodeValue(V value, ExpandableArrayBuffer out) {
        Objects.requireNonNull(value, "value");
        return values.encode(value, out);
    }

    private V previous(ThreadAccess a, int length) { return length < 0 ? null : values.decode(a.valueIn, length); }

    @Override
    public V get(Object key) {
        ThreadAccess a = store.threads().enter();
        try {
            int len = store.read(a, key(a, key), a.valueIn, 0);
            return previous(a, len);
        } finally {
            store.threads().leave(a);
        }
    }

    @Override
    public boolean containsKey(Object key) {
        ThreadAccess a = store.threads().enter();
        try {
            return store.contains(a, key(a, key));
        } finally {
            store.threads().leave(a);
        }
    }

    @Override
    public V put(K key, V value) { return write(key, value, When.ALWAYS); }

    @Override
    public V putIfAbsent(K key, V value) { return write(key, value, When.IF_ABSENT); }

    @Override
    public V replace(K key, V value) { return write(key, value, When.IF_PRESENT); }

    private V write(K key, V value, When when) {
        ThreadAccess a = store.threads().enter();
        try {
            KeyBytes k = key(a, key);
            int n = encodeValue(value, a.valueOut);
            int prev = store.update(a, k, when, null, 0, DirectBuffers.segmentOf(a.valueOut), 0, n, true);
            return previous(a, prev);
        } finally {
            store.threads().leave(a);
        }
    }

    @Override
    public V remove(Object key) {
        ThreadAccess a = store.threads().enter();
        try {
            int prev = store.update(a, key(a, key), When.ALWAYS, null, 0, null, 0, 0, true);
            return previous(a, prev);
        } finally {
            store.threads().leave(a);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean remove(Object key, Object value) {
        if (key == null || value == null) return false;
        ThreadAccess a = store.threads().enter();
        try {
            KeyBytes k = key(a, key);
            int e = values.encode((V) value, a.expectedOut);
            store.update(a, k, When.IF_EQUAL, a.expectedOut, e, null, 0, 0, false);
            return a.wrote;
        } finally {
            store.threads().leave(a);
        }
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(oldValue, "old value");
        ThreadAccess a = store.threads().enter();
        try {
            KeyBytes k = key(a, key);
            int e = values.encode(oldValue, a.expectedOut);
            int n = encodeValue(newValue, a.valueOut);
            store.update(a, k, When.IF_EQUAL, a.expectedOut, e, DirectBuffers.segmentOf(a.valueOut), 0, n, false);
            return a.wrote;
        } finally {
            store.threads().leave(a);
        }
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        Objects.requireNonNull(f, "remapping function");
        return computeWith(key, (cur, k) -> f.apply(k, cur));
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        Objects.requireNonNull(f, "remapping function");
        return computeWith(key, (cur, k) -> cur == null ? null : f.apply(k, cur));
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> f) {
        Objects.requireNonNull(f, "mapping function");
        V present = get(key); // the common case, a hit, without the lock
        if (present != null) return present;
        return computeWith(key, (cur, k) -> cur != null ? cur : f.apply(k));
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> f) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(f, "remapping function");
        return computeWith(key, (cur, k) -> cur == null ? value : f.apply(cur, value));
    }

    /** The step shared by compute and friends: from the present value (or null) to the new one (null: absent). */
    private interface Step<K, V> {
        V apply(V current, K key);
    }

    /**
     * Runs step on the decoded present value under the segment lock; a null result removes
     * the key (or leaves it absent). If the result is the very object passed in (the
     * computeIf* that change nothing), the entry is kept as it is. Returns the value after.
     */
    private V computeWith(K key, Step<K, V> step) {
        ThreadAccess a = store.threads().enter();
        try {
            KeyBytes k = key(a, key);
            Object[] after = new Object[1];
            store.compute(a, k, (current, length, out) -> {
                V old = current == null ? null : values.decode(current, length);
                V next = step.apply(old, key);
                after[0] = next;
                if (next == null) return old == null ? ValueUpdate.KEEP : ValueUpdate.REMOVE;
                if (next == old) return ValueUpdate.KEEP;
                return values.encode(next, out);
            });
            @SuppressWarnings("unchecked")
            V v = (V) after[0];
            return v;
        } finally {
            store.threads().leave(a);
        }
    }

    @Override
    public int size() { return (int) Math.min(Integer.MAX_VALUE, store.size()); }

    /** The exact count, which may pass Integer.MAX_VALUE. */
    public long longSize() { return store.size(); }

    @Override
    public boolean isEmpty() { return store.isEmpty(); }

    @Override
    public void clear() { store.clear(); }

    @Override
    public Set<Map.Entry<K, V>> entrySet() { return entrySet; }

    /** Closes the store. */
    @Override
    public void close() { store.close(); }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override public Iterator<Map.Entry<K, V>> iterator() { return new EntryIterator(); }

        @Override public int size() { return OffHeapMap.this.size(); }

        @Override public void clear() { OffHeapMap.this.clear(); }
    }

    /** Decodes one segment's entries at a time (a weakly consistent walk, as forEach makes it). */
    private final class EntryIterator implements Iterator<Map.Entry<K, V>> {
        private final List<Map.Entry<K, V>> batch = new ArrayList<>();
        private int segment, index;
        private Map.Entry<K, V> last;

        @Override
        public boolean hasNext() {
            while (index == batch.size() && segment < store.segmentCount()) {
                batch.clear();
                index = 0;
                store.forEachIn(segment++, (k, kl, v, vl) -> batch.add(new WriteThroughEntry(keys.decode(k, kl), values.decode(v, vl))));
            }
            return index < batch.size();
        }

        @Override
        public Map.Entry<K, V> next() {
            if (!hasNext()) throw new NoSuchElementException();
            return last = batch.get(index++);
        }

        @Override
        public void remove() {
            if (last == null) throw new IllegalStateException("next() has not been called, or remove() was already");
            OffHeapMap.this.remove(last.getKey());
            last = null;
        }
    }

    private final class WriteThroughEntry extends AbstractMap.SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        WriteThroughEntry(K k, V v) { super(k, v); }

        @Override
        public V setValue(V value) {
            OffHeapMap.this.put(getKey(), value);
            return super.setValue(value);
        }
    }
}

package io.uffdgc.heap;

import static io.uffdgc.heap.MutatorState.BLOCKED;
import static io.uffdgc.heap.MutatorState.DETACHED;
import static io.uffdgc.heap.MutatorState.RUNNING;
import static io.uffdgc.heap.MutatorState.STOPPED;

import io.uffdgc.heap.alloc.AllocationSpace;
import io.uffdgc.heap.handle.Handles;
import io.uffdgc.heap.internal.HandleTable;
import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.heap.layout.Layout;
import io.uffdgc.heap.layout.LayoutTable;
import io.uffdgc.heap.layout.ObjectHeader;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.layout.WrongLayoutException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One thread's access to a heap: allocation, typed field and element access through
 * handles, handle scopes, heap-safepoint polls and blocking regions. Thread-confined:
 * every call checks it runs on the thread that attached it.
 *
 * <p>Raw addresses never leave this package ({@link #offsetOf} is package-private, for the
 * heap's tests) and are never held across a poll: every method that can stop at a safepoint
 * (allocation, a method that returns a new handle, {@link #safepoint()}) polls before it
 * resolves any handle. Here an "address" is a byte offset into the heap segment {@code mem}
 * (an object's is that of its header word), and a ref, what reference slots and the root
 * table hold, is such an offset in words.
 *
 * <p>Handles name objects; {@link HandleTable#NULL} (0) is the null reference. Record data
 * is addressed by byte offset from the start of the record's data area; references by slot
 * index; array elements by index.
 *
 * <p>This class checks every call (thread, state, handle, layout, bounds) and composes three
 * parts, each in its own file: {@link MutatorState}, the one state machine shared with the
 * safepoint requester; {@link TlabAllocator}, the bump allocator; {@link LocalHandles}, the
 * slot cache and the handle-scope stack.
 */
public final class Mutator implements AutoCloseable {
    private static final ValueLayout.OfLong HEADER = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt REF = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final long WORD = ObjectHeader.WORD_BYTES;
    /** A ref is a word offset: byte offset = ref << WORD_SHIFT. */
    private static final int WORD_SHIFT = Integer.numberOfTrailingZeros(ObjectHeader.WORD_BYTES);
    /*
     * Ids and element shifts of the built-in arrays, copied from the layouts into static finals:
     * the JIT folds a static final into an immediate but not an enum constant's instance field,
     * so the element paths compare and shift by constants. A record's reference slots are as
     * wide as a ref array's elements (UGC_REF_BYTES), so REF_SHIFT serves both.
     */
    private static final int REF_ARRAY = ArrayLayout.REF.id(), REF_SHIFT = ArrayLayout.REF.shift();
    private static final int BYTE_ARRAY = ArrayLayout.BYTE.id(), BYTE_SHIFT = ArrayLayout.BYTE.shift();
    private static final int INT_ARRAY = ArrayLayout.INT.id(), INT_SHIFT = ArrayLayout.INT.shift();
    private static final int LONG_ARRAY = ArrayLayout.LONG.id(), LONG_SHIFT = ArrayLayout.LONG.shift();
    private static final int DOUBLE_ARRAY = ArrayLayout.DOUBLE.id(), DOUBLE_SHIFT = ArrayLayout.DOUBLE.shift();
    private static final int CHAR_ARRAY = ArrayLayout.CHAR.id(), CHAR_SHIFT = ArrayLayout.CHAR.shift();
    private static final int SHORT_ARRAY = ArrayLayout.SHORT.id(), SHORT_SHIFT = ArrayLayout.SHORT.shift();
    private static final int FLOAT_ARRAY = ArrayLayout.FLOAT.id(), FLOAT_SHIFT = ArrayLayout.FLOAT.shift();
    private static final VarHandle STATE;
    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Mutator.class, "state", MutatorState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Heap heap;
    final Thread owner;
    private final SafepointCoordinator safepoints;
    private final MemorySegment mem;
    private final HandleTable handles;
    private final LayoutTable layouts;
    private final AllocationSpace space;
    /** Retired by the safepoint requester too, while this mutator is not RUNNING. */
    final TlabAllocator tlab;
    private final LocalHandles localHandles;
    /** The heap's write barrier (shared) and this mutator's log, off the Java heap. */
    private final SatbBarrier barrier;
    final SatbBuffer satb;

    /**
     * This mutator's {@link MutatorState} (transitions tabled there, one method each under
     * "state transitions" below). Written only with {@link #publish}, a volatile write; read
     * plainly by the owner, which only ever sees its own writes, so the access check costs
     * what a plain field read costs; read by every other thread through {@link #state()}.
     */
    private MutatorState state = RUNNING;
    /** Owner-only: nesting depth of blocking regions; BLOCKED while it is above 0. */
    private int blockingDepth;
    /** Owner-only: identities [identityNext, identityEnd) are this mutator's to give (a block from the heap). */
    private long identityNext, identityEnd;
    private static final int IDENTITY_BLOCK = 4096;

    Mutator(Heap heap, Thread owner, SafepointCoordinator safepoints, MemorySegment mem, HandleTable handles,
            LayoutTable layouts, AllocationSpace space, long tlabBytes, SatbBarrier barrier) {
        this.heap = heap;
        this.owner = owner;
        this.safepoints = safepoints;
        this.mem = mem;
        this.handles = handles;
        this.layouts = layouts;
        this.space = space;
        this.tlab = new TlabAllocator(mem, space, tlabBytes);
        this.barrier = barrier;
        this.satb = new SatbBuffer(barrier);
        this.localHandles = new LocalHandles(handles, barrier, satb);
    }

    public Heap heap() { return heap; }

    public Thread thread() { return owner; }

    // ---------------------------------------------------------------- allocation

    /** Allocates a zeroed record; returns a handle (in the innermost open scope, if any). */
    public long allocate(RecordLayout layout) { return allocateRecord(layout, false); }

    /**
     * Allocates a zeroed record with an identity: a number the heap gives it now, unique in
     * this heap and never changed by a collection, so a caller can key a map on it
     * ({@link #identity}). It costs one word (8 bytes) at the end of the object, and nothing
     * for objects allocated without one.
     */
    public long allocateWithIdentity(RecordLayout layout) { return allocateRecord(layout, true); }

    private long allocateRecord(RecordLayout layout, boolean identity) {
        checkAccess();
        if (!layouts.owns(layout))
            throw new WrongLayoutException(layout == null ? "record layout is null"
                    : "record layout '" + layout.name() + "' (id " + layout.id() + ") was defined by another heap, not '"
                      + heap.name() + "'");
        localHandles.reserveSlot();
        long bytes = layout.sizeBytes() + (identity ? WORD : 0);
        long obj = allocateBytes(bytes);
        mem.set(HEADER, obj, ObjectHeader.encode(bytes / WORD, layout.id(), 0, identity));
        if (identity) mem.set(HEADER, obj + bytes - WORD, nextIdentity());
        return newHandle(obj);
    }

    /** Allocates a zeroed array of length elements. */
    public long allocateArray(ArrayLayout layout, int length) { return allocateArray(layout, length, false); }

    /** Allocates a zeroed array of length elements with an identity, as {@link #allocateWithIdentity} does a record. */
    public long allocateArrayWithIdentity(ArrayLayout layout, int length) { return allocateArray(layout, length, true); }

    private long allocateArray(ArrayLayout layout, int length, boolean identity) {
        checkAccess();
        if (layout == null) throw new WrongLayoutException("array layout is null");
        if (length < 0) throw new NegativeArraySizeException("array length " + length + " of " + layout + " is negative");
        localHandles.reserveSlot();
        long bytes = layout.sizeBytes(length) + (identity ? WORD : 0);
        long obj = allocateBytes(bytes);
        mem.set(HEADER, obj, ObjectHeader.encode(bytes / WORD, layout.id(), layout.padBytes(length), identity));
        if (identity) mem.set(HEADER, obj + bytes - WORD, nextIdentity());
        return newHandle(obj);
    }

    /** The next identity from this mutator's block, taking a new block from the heap when it runs out. */
    private long nextIdentity() {
        if (identityNext == identityEnd) {
            identityNext = heap.takeIdentities(IDENTITY_BLOCK);
            identityEnd = identityNext + IDENTITY_BLOCK;
        }
        return identityNext++;
    }

    /**
     * The identity of an object allocated with one ({@link #allocateWithIdentity},
     * {@link #allocateArrayWithIdentity}): unique among this heap's objects, never 0, the same
     * before and after any collection.
     *
     * @throws WrongLayoutException if the object was allocated without an identity
     */
    public long identity(long h) {
        checkAccess();
        long obj = objectOffset(h);
        long header = mem.get(HEADER, obj);
        if (!ObjectHeader.hasIdentity(header))
            throw new WrongLayoutException("handle 0x" + Long.toHexString(h) + " names a "
                    + layouts.describe(ObjectHeader.layoutId(header)) + " allocated without an identity");
        return mem.get(HEADER, obj + (ObjectHeader.sizeWords(header) - 1) * WORD);
    }

    /** True if the object h names was allocated with an identity. */
    public boolean hasIdentity(long h) {
        checkAccess();
        return ObjectHeader.hasIdentity(mem.get(HEADER, objectOffset(h)));
    }

    public long newRefArray(int length) { return allocateArray(ArrayLayout.REF, length); }

    public long newByteArray(int length) { return allocateArray(ArrayLayout.BYTE, length); }

    public long newIntArray(int length) { return allocateArray(ArrayLayout.INT, length); }

    public long newLongArray(int length) { return allocateArray(ArrayLayout.LONG, length); }

    public long newDoubleArray(int length) { return allocateArray(ArrayLayout.DOUBLE, length); }

    public long newCharArray(int length) { return allocateArray(ArrayLayout.CHAR, length); }

    public long newShortArray(int length) { return allocateArray(ArrayLayout.SHORT, length); }

    public long newFloatArray(int length) { return allocateArray(ArrayLayout.FLOAT, length); }

    /** Zeroed bytes from the TLAB; polls first (a volatile read) so allocation is a safepoint. */
    private long allocateBytes(long bytes) {
        poll();
        long at = tlab.allocate(bytes);
        return at >= 0 ? at : allocateAfterCollection(bytes);
    }

    /** Nothing fits: runs the collection hook once, then tries once more. */
    private long allocateAfterCollection(long bytes) {
        if (bytes > space.capacity() - space.start()) throw exhausted(bytes); // no collection can make it fit
        CollectionHook hook = heap.collectionHook();
        if (hook == null) throw exhausted(bytes);
        blocking(() -> hook.collect(bytes)); // safe meanwhile: the hook may stop the world or wait for a collector
        long at = tlab.allocate(bytes);
        if (at < 0) throw exhausted(bytes);
        return at;
    }

    private HeapExhaustedException exhausted(long bytes) {
        return new HeapExhaustedException(heap.name(), bytes, space.capacity(), heap.liveBytesHint());
    }

    // ---------------------------------------------------------------- handles

    /** A handle for the object at byte offset obj, allocated since the last poll; the caller reserved a slot. */
    private long newHandle(long obj) {
        return localHandles.issue((int) (obj >>> WORD_SHIFT));
    }

    /** Releases a handle; the object stays alive while other handles or references reach it. */
    public void release(long handle) {
        checkAccess();
        localHandles.release(handle);
    }

    /** A second handle to the same object (0 for the null handle). A safepoint poll. */
    public long duplicate(long handle) {
        checkAccess();
        if (handle == Handles.NULL) return Handles.NULL;
        poll();
        localHandles.reserveSlot();
        return localHandles.issue(handles.ref(handle));
    }

    /** True if both handles name the same object (or both are null). */
    public boolean sameObject(long a, long b) {
        checkAccess();
        int ra = a == Handles.NULL ? 0 : handles.ref(a);
        int rb = b == Handles.NULL ? 0 : handles.ref(b);
        return ra == rb;
    }

    /** Opens a scope: handles created until it closes are released when it closes. */
    public HandleScope openScope() {
        checkAccess();
        return localHandles.openScope(this);
    }

    void closeScope(HandleScope scope) {
        if (state == DETACHED && Thread.currentThread() == owner) return; // detaching released everything
        checkAccess(); // releasing writes the root table, which a safepoint may be reading or rewriting
        localHandles.closeScope(scope);
    }

    void escape(HandleScope scope, long handle) {
        checkAccess();
        localHandles.escape(scope, handle);
    }

    // ---------------------------------------------------------------- object inspection

    /**
     * Byte offset from the heap base of the object a handle names, for the heap's own tests
     * (raw offsets never leave this package). Valid only until this mutator's next poll.
     */
    long offsetOf(long handle) {
        checkAccess();
        return objectOffset(handle);
    }

    /** The layout of the object a handle names. */
    public Layout layoutOf(long handle) {
        checkAccess();
        int id = ObjectHeader.layoutId(mem.get(HEADER, objectOffset(handle)));
        Layout l = layouts.layout(id);
        if (l == null) {
            layouts.synchronize();
            l = layouts.layout(id);
        }
        return l;
    }

    /** Length of any array. */
    public int length(long handle) {
        checkAccess();
        long header = mem.get(HEADER, objectOffset(handle));
        if (layouts.layout(ObjectHeader.layoutId(header)) instanceof ArrayLayout a) return (int) a.length(header);
        throw new WrongLayoutException("length of a non-array: handle 0x" + Long.toHexString(handle) + " names a "
                + layouts.describe(ObjectHeader.layoutId(header)));
    }

    private long objectOffset(long handle) {
        return Integer.toUnsignedLong(handles.ref(handle)) << WORD_SHIFT;
    }

    // ---------------------------------------------------------------- record data

    public long getLong(long h, int offset) { return mem.get(LONG, dataAddress(h, offset, 8)); }

    public void putLong(long h, int offset, long v) { mem.set(LONG, dataAddress(h, offset, 8), v); }

    public int getInt(long h, int offset) { return mem.get(INT, dataAddress(h, offset, 4)); }

    public void putInt(long h, int offset, int v) { mem.set(INT, dataAddress(h, offset, 4), v); }

    public double getDouble(long h, int offset) { return mem.get(DOUBLE, dataAddress(h, offset, 8)); }

    public void putDouble(long h, int offset, double v) { mem.set(DOUBLE, dataAddress(h, offset, 8), v); }

    public byte getByte(long h, int offset) { return mem.get(BYTE, dataAddress(h, offset, 1)); }

    public void putByte(long h, int offset, byte v) { mem.set(BYTE, dataAddress(h, offset, 1), v); }

    public char getChar(long h, int offset) { return mem.get(CHAR, dataAddress(h, offset, 2)); }

    public void putChar(long h, int offset, char v) { mem.set(CHAR, dataAddress(h, offset, 2), v); }

    public short getShort(long h, int offset) { return mem.get(SHORT, dataAddress(h, offset, 2)); }

    public void putShort(long h, int offset, short v) { mem.set(SHORT, dataAddress(h, offset, 2), v); }

    public float getFloat(long h, int offset) { return mem.get(FLOAT, dataAddress(h, offset, 4)); }

    public void putFloat(long h, int offset, float v) { mem.set(FLOAT, dataAddress(h, offset, 4), v); }

    /** Copies len data bytes of a record, from offset, into dst[dstOffset..]. */
    public void getBytes(long h, int offset, byte[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        long at = dataAddress(h, offset, len);
        MemorySegment.copy(mem, BYTE, at, dst, dstOffset, len);
    }

    /** Copies src[srcOffset..srcOffset+len) into a record's data at offset. */
    public void putBytes(long h, int offset, byte[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        long at = dataAddress(h, offset, len);
        MemorySegment.copy(src, srcOffset, mem, BYTE, at, len);
    }

    /** Address of width bytes at data offset of the record h names; checks access, layout and bounds. */
    private long dataAddress(long h, int offset, int width) {
        checkAccess();
        long obj = objectOffset(h);
        int id = ObjectHeader.layoutId(mem.get(HEADER, obj));
        if (offset < 0 || offset > layouts.recordDataBytes(id) - width) return dataAddressSlow(h, obj, id, offset, width);
        return obj + layouts.recordDataOffset(id) + offset;
    }

    private long dataAddressSlow(long h, long obj, int id, int offset, int width) {
        layouts.synchronize(); // the layout may have been defined by a thread we have not synchronized with
        int bytes = layouts.recordDataBytes(id);
        if (bytes < 0)
            throw new WrongLayoutException("record data access on handle 0x" + Long.toHexString(h) + ", which names a "
                    + layouts.describe(id) + ", not a record");
        if (offset < 0 || width < 0 || offset > bytes - width)
            throw new IndexOutOfBoundsException("data offset " + offset + " (+" + width + " bytes) out of bounds for "
                    + layouts.describe(id) + " with " + bytes + " data bytes");
        return obj + layouts.recordDataOffset(id) + offset;
    }

    // ---------------------------------------------------------------- references

    /** The object in reference slot index of a record, as a new handle (0 for null). A safepoint poll. */
    public long getRef(long h, int index) {
        checkAccess();
        poll();
        localHandles.reserveSlot();
        int ref = mem.get(REF, refSlotAddress(h, index));
        return ref == 0 ? Handles.NULL : localHandles.issue(ref);
    }

    /** Stores value (a handle or 0 for null) into reference slot index of a record. */
    public void putRef(long h, int index, long value) {
        checkAccess();
        int ref = value == Handles.NULL ? 0 : handles.ref(value);
        storeReference(refSlotAddress(h, index), ref);
    }

    /**
     * Points the existing handle target at the object in slot index of record h, creating no
     * handle: the cheap way to walk a structure. Returns false (target unchanged) for null.
     */
    public boolean getRefInto(long h, int index, long target) {
        checkAccess();
        int ref = mem.get(REF, refSlotAddress(h, index));
        if (ref == 0) return false;
        if (barrier.active && barrier.logsRoots()) satb.log(handles.peek(target)); // the root it drops may be the last path (SatbBarrier B5)
        handles.retarget(target, ref);
        return true;
    }

    /** Address of reference slot index of the record h names; checks layout and bounds. The caller checked access. */
    private long refSlotAddress(long h, int index) {
        long obj = objectOffset(h);
        int id = ObjectHeader.layoutId(mem.get(HEADER, obj));
        if (index < 0 || index >= layouts.recordRefs(id)) return refSlotSlow(h, obj, id, index);
        return obj + WORD + ((long) index << REF_SHIFT);
    }

    private long refSlotSlow(long h, long obj, int id, int index) {
        layouts.synchronize();
        int n = layouts.recordRefs(id);
        if (n < 0)
            throw new WrongLayoutException("reference field access on handle 0x" + Long.toHexString(h) + ", which names a "
                    + layouts.describe(id) + ", not a record");
        if (index < 0 || index >= n)
            throw new IndexOutOfBoundsException("reference index " + index + " out of bounds for length " + n + " of "
                    + layouts.describe(id));
        return obj + WORD + ((long) index << REF_SHIFT);
    }

    /**
     * Every single reference store in the heap goes through here. While marking is active the
     * store first logs what the slot held (snapshot at the beginning, {@link SatbBarrier}):
     * the marker may not have read the slot yet, and this may have been the last path to it.
     * Inactive, the barrier is one plain load and a branch.
     */
    private void storeReference(long slotOffset, int ref) {
        if (barrier.active) logOverwritten(slotOffset);
        mem.set(REF, slotOffset, ref);
    }

    /** The barrier's slow path, out of line so the store itself stays small enough to inline everywhere. */
    private void logOverwritten(long slotOffset) { satb.log(mem.get(REF, slotOffset)); }

    // ---------------------------------------------------------------- array elements

    public long getRefElement(long h, int index) {
        checkAccess();
        poll();
        localHandles.reserveSlot();
        int ref = mem.get(REF, elementAddress(h, REF_ARRAY, REF_SHIFT, index));
        return ref == 0 ? Handles.NULL : localHandles.issue(ref);
    }

    /**
     * Points the existing handle target at the object in element index of ref array h, creating
     * no handle (as {@link #getRefInto} does for record slots). Returns false (target unchanged) for null.
     */
    public boolean getRefElementInto(long h, int index, long target) {
        checkAccess();
        int ref = mem.get(REF, elementAddress(h, REF_ARRAY, REF_SHIFT, index));
        if (ref == 0) return false;
        if (barrier.active) satb.log(handles.peek(target)); // the root it drops may be the last path (SatbBarrier)
        handles.retarget(target, ref);
        return true;
    }

    public void putRefElement(long h, int index, long value) {
        checkAccess();
        int ref = value == Handles.NULL ? 0 : handles.ref(value);
        storeReference(elementAddress(h, REF_ARRAY, REF_SHIFT, index), ref);
    }

    /**
     * Copies length elements of the reference array src, from srcIndex, into the reference
     * array dst from dstIndex (the two may be the same array and overlap: the copy behaves as
     * if through a temporary). The overwritten elements pass the write barrier.
     */
    public void copyRefElements(long src, int srcIndex, long dst, int dstIndex, int length) {
        checkAccess();
        if (length < 0) throw new IndexOutOfBoundsException("copy length " + length + " is negative");
        long from = refRange(src, srcIndex, length), to = refRange(dst, dstIndex, length);
        if (barrier.active)
            for (int i = 0; i < length; i++) satb.log(mem.get(REF, to + ((long) i << REF_SHIFT)));
        // Element-wise copy of aligned ints: every element is written whole, so the marker never reads half a reference.
        MemorySegment.copy(mem, REF, from, mem, REF, to, length);
    }

    /** Address of elements [index, index+length) of the reference array h names; checks layout and bounds. */
    private long refRange(long h, int index, int length) {
        long obj = objectOffset(h);
        long header = mem.get(HEADER, obj);
        if (ObjectHeader.layoutId(header) != REF_ARRAY) throw wrongArray(h, header, REF_ARRAY);
        long n = ObjectHeader.payloadBytes(header) >>> REF_SHIFT;
        if (index < 0 || index > n - length)
            throw new IndexOutOfBoundsException("range [" + index + ", " + ((long) index + length)
                    + ") out of bounds for length " + n + " of " + layouts.describe(REF_ARRAY));
        return obj + WORD + ((long) index << REF_SHIFT);
    }

    public byte getByteElement(long h, int index) { return mem.get(BYTE, primitiveElementAddress(h, BYTE_ARRAY, BYTE_SHIFT, index)); }

    public void putByteElement(long h, int index, byte v) { mem.set(BYTE, primitiveElementAddress(h, BYTE_ARRAY, BYTE_SHIFT, index), v); }

    public int getIntElement(long h, int index) { return mem.get(INT, primitiveElementAddress(h, INT_ARRAY, INT_SHIFT, index)); }

    public void putIntElement(long h, int index, int v) { mem.set(INT, primitiveElementAddress(h, INT_ARRAY, INT_SHIFT, index), v); }

    public long getLongElement(long h, int index) { return mem.get(LONG, primitiveElementAddress(h, LONG_ARRAY, LONG_SHIFT, index)); }

    public void putLongElement(long h, int index, long v) { mem.set(LONG, primitiveElementAddress(h, LONG_ARRAY, LONG_SHIFT, index), v); }

    public double getDoubleElement(long h, int index) { return mem.get(DOUBLE, primitiveElementAddress(h, DOUBLE_ARRAY, DOUBLE_SHIFT, index)); }

    public void putDoubleElement(long h, int index, double v) {
        mem.set(DOUBLE, primitiveElementAddress(h, DOUBLE_ARRAY, DOUBLE_SHIFT, index), v);
    }

    public char getCharElement(long h, int index) { return mem.get(CHAR, primitiveElementAddress(h, CHAR_ARRAY, CHAR_SHIFT, index)); }

    public void putCharElement(long h, int index, char v) { mem.set(CHAR, primitiveElementAddress(h, CHAR_ARRAY, CHAR_SHIFT, index), v); }

    public short getShortElement(long h, int index) { return mem.get(SHORT, primitiveElementAddress(h, SHORT_ARRAY, SHORT_SHIFT, index)); }

    public void putShortElement(long h, int index, short v) {
        mem.set(SHORT, primitiveElementAddress(h, SHORT_ARRAY, SHORT_SHIFT, index), v);
    }

    public float getFloatElement(long h, int index) { return mem.get(FLOAT, primitiveElementAddress(h, FLOAT_ARRAY, FLOAT_SHIFT, index)); }

    public void putFloatElement(long h, int index, float v) {
        mem.set(FLOAT, primitiveElementAddress(h, FLOAT_ARRAY, FLOAT_SHIFT, index), v);
    }

    // ---------------------------------------------------------------- bulk primitive array copies
    // Each copies len elements between a primitive array h (from element index) and a Java array
    // (from element srcOffset/dstOffset), checking both ranges and h's element type first.

    /** Copies len elements of a byte array, from index, into dst[dstOffset..]. */
    public void readBytes(long h, int index, byte[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        MemorySegment.copy(mem, BYTE, primitiveRange(h, ArrayLayout.BYTE, index, len), dst, dstOffset, len);
    }

    /** Copies src[srcOffset..srcOffset+len) into a byte array from index. */
    public void writeBytes(long h, int index, byte[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        MemorySegment.copy(src, srcOffset, mem, BYTE, primitiveRange(h, ArrayLayout.BYTE, index, len), len);
    }

    public void readChars(long h, int index, char[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        MemorySegment.copy(mem, CHAR, primitiveRange(h, ArrayLayout.CHAR, index, len), dst, dstOffset, len);
    }

    public void writeChars(long h, int index, char[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        MemorySegment.copy(src, srcOffset, mem, CHAR, primitiveRange(h, ArrayLayout.CHAR, index, len), len);
    }

    public void readShorts(long h, int index, short[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        MemorySegment.copy(mem, SHORT, primitiveRange(h, ArrayLayout.SHORT, index, len), dst, dstOffset, len);
    }

    public void writeShorts(long h, int index, short[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        MemorySegment.copy(src, srcOffset, mem, SHORT, primitiveRange(h, ArrayLayout.SHORT, index, len), len);
    }

    public void readInts(long h, int index, int[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        MemorySegment.copy(mem, INT, primitiveRange(h, ArrayLayout.INT, index, len), dst, dstOffset, len);
    }

    public void writeInts(long h, int index, int[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        MemorySegment.copy(src, srcOffset, mem, INT, primitiveRange(h, ArrayLayout.INT, index, len), len);
    }

    public void readLongs(long h, int index, long[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        MemorySegment.copy(mem, LONG, primitiveRange(h, ArrayLayout.LONG, index, len), dst, dstOffset, len);
    }

    public void writeLongs(long h, int index, long[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        MemorySegment.copy(src, srcOffset, mem, LONG, primitiveRange(h, ArrayLayout.LONG, index, len), len);
    }

    public void readFloats(long h, int index, float[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        MemorySegment.copy(mem, FLOAT, primitiveRange(h, ArrayLayout.FLOAT, index, len), dst, dstOffset, len);
    }

    public void writeFloats(long h, int index, float[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        MemorySegment.copy(src, srcOffset, mem, FLOAT, primitiveRange(h, ArrayLayout.FLOAT, index, len), len);
    }

    public void readDoubles(long h, int index, double[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        MemorySegment.copy(mem, DOUBLE, primitiveRange(h, ArrayLayout.DOUBLE, index, len), dst, dstOffset, len);
    }

    public void writeDoubles(long h, int index, double[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        MemorySegment.copy(src, srcOffset, mem, DOUBLE, primitiveRange(h, ArrayLayout.DOUBLE, index, len), len);
    }

    /**
     * Copies count elements of any primitive array h, from index, out of src at srcOffset, where
     * they are stored in byte order order (e.g. the big-endian bytes of an HPROF dump): each
     * element is converted to the heap's native order as it is copied. A reference array is
     * refused: its elements are references only the heap may write.
     */
    public void writeElements(long h, int index, MemorySegment src, long srcOffset, ByteOrder order, int count) {
        Objects.requireNonNull(src, "source segment");
        Objects.requireNonNull(order, "byte order");
        ArrayLayout a = primitiveArrayOf(h);
        Objects.checkFromIndexSize(srcOffset, (long) count << a.shift(), src.byteSize());
        long at = primitiveRange(h, a, index, count);
        ValueLayout e = elementLayout(a);
        MemorySegment.copy(src, e.withOrder(order), srcOffset, mem, e, at, count);
    }

    /** Copies count elements of any primitive array h, from index, into dst at dstOffset in byte order order. */
    public void readElements(long h, int index, MemorySegment dst, long dstOffset, ByteOrder order, int count) {
        Objects.requireNonNull(dst, "destination segment");
        Objects.requireNonNull(order, "byte order");
        ArrayLayout a = primitiveArrayOf(h);
        Objects.checkFromIndexSize(dstOffset, (long) count << a.shift(), dst.byteSize());
        long at = primitiveRange(h, a, index, count);
        ValueLayout e = elementLayout(a);
        MemorySegment.copy(mem, e, at, dst, e.withOrder(order), dstOffset, count);
    }

    /** The layout of primitive array h; a WrongLayoutException for any other object. Checks access. */
    private ArrayLayout primitiveArrayOf(long h) {
        checkAccess();
        long header = mem.get(HEADER, objectOffset(h));
        int id = ObjectHeader.layoutId(header);
        if (layouts.layout(id) instanceof ArrayLayout a && a != ArrayLayout.REF) return a;
        throw new WrongLayoutException("handle 0x" + Long.toHexString(h) + " names a " + layouts.describe(id)
                + ", not a primitive array");
    }

    private static ValueLayout elementLayout(ArrayLayout a) {
        return switch (a) {
            case BYTE -> BYTE;
            case CHAR -> CHAR;
            case SHORT -> SHORT;
            case INT -> INT;
            case FLOAT -> FLOAT;
            case LONG -> LONG;
            case DOUBLE -> DOUBLE;
            case REF -> throw new WrongLayoutException("a reference array has no primitive elements");
        };
    }

    /** Address of len elements from index of the array of layout a that h names; checks access, layout and bounds. */
    private long primitiveRange(long h, ArrayLayout a, int index, int len) {
        checkAccess();
        long obj = objectOffset(h);
        long header = mem.get(HEADER, obj);
        if (ObjectHeader.layoutId(header) != a.id()) throw wrongArray(h, header, a.id());
        long length = a.length(header);
        if (index < 0 || len < 0 || index > length - len)
            throw new IndexOutOfBoundsException("range [" + index + ", " + ((long) index + len)
                    + ") out of bounds for length " + length + " of " + layouts.describe(a.id()));
        return obj + WORD + ((long) index << a.shift());
    }

    /**
     * Copies len elements of a byte array, from index, into dst at dstOffset: a heap, native or
     * buffer-backed segment, so off-heap callers copy once instead of through a byte[].
     */
    public void readBytes(long h, int index, MemorySegment dst, long dstOffset, int len) {
        Objects.requireNonNull(dst, "destination segment");
        Objects.checkFromIndexSize(dstOffset, len, dst.byteSize());
        MemorySegment.copy(mem, primitiveRange(h, ArrayLayout.BYTE, index, len), dst, dstOffset, len);
    }

    /** Copies len bytes of src from srcOffset into a byte array from index. */
    public void writeBytes(long h, int index, MemorySegment src, long srcOffset, int len) {
        Objects.requireNonNull(src, "source segment");
        Objects.checkFromIndexSize(srcOffset, len, src.byteSize());
        MemorySegment.copy(src, srcOffset, mem, primitiveRange(h, ArrayLayout.BYTE, index, len), len);
    }

    /** checkAccess(), then elementAddress: the primitive element accessors do not poll, so they check here. */
    private long primitiveElementAddress(long h, int layoutId, int shift, int index) {
        checkAccess();
        return elementAddress(h, layoutId, shift, index);
    }

    /** Address of element index of the array h names; checks layout and bounds. The caller checked access. */
    private long elementAddress(long h, int layoutId, int shift, int index) {
        long obj = objectOffset(h);
        long header = mem.get(HEADER, obj);
        if (ObjectHeader.layoutId(header) != layoutId) throw wrongArray(h, header, layoutId);
        long length = ObjectHeader.payloadBytes(header) >>> shift; // ArrayLayout.length, with the shift folded
        if (index < 0 || index >= length)
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + length + " of "
                    + layouts.describe(layoutId));
        return obj + WORD + ((long) index << shift);
    }

    private WrongLayoutException wrongArray(long h, long header, int expected) {
        return new WrongLayoutException("handle 0x" + Long.toHexString(h) + " names a "
                + layouts.describe(ObjectHeader.layoutId(header)) + ", not a " + layouts.describe(expected));
    }

    // ---------------------------------------------------------------- safepoints and blocking

    /** An explicit heap-safepoint poll: stops here if a safepoint is requested. */
    public void safepoint() {
        checkAccess();
        poll();
    }

    /** The poll: a volatile read; the stop is out of line. */
    private void poll() {
        if (safepoints.requested) safepoints.stopAtSafepoint(this);
    }

    /**
     * Declares that this thread leaves the heap alone (e.g. before blocking I/O): it counts as
     * safe for heap safepoints and may not access the heap until {@link #exitBlocking()}.
     * Regions nest.
     */
    public void enterBlocking() {
        checkOwner();
        if (state == DETACHED) throw detachedError();
        if (blockingDepth++ == 0) block();
    }

    /** Leaves a blocking region; stops first if a heap safepoint is in progress. */
    public void exitBlocking() {
        checkOwner();
        if (blockingDepth == 0) throw new MutatorStateException("exitBlocking() without a matching enterBlocking()");
        if (--blockingDepth == 0) unblock();
    }

    /** Runs action inside a blocking region. */
    public void blocking(Runnable action) {
        enterBlocking();
        try {
            action.run();
        } finally {
            exitBlocking();
        }
    }

    /** Runs action inside a blocking region and returns its result. */
    public <T> T blockingCall(Supplier<T> action) {
        enterBlocking();
        try {
            return action.get();
        } finally {
            exitBlocking();
        }
    }

    public boolean isAttached() { return state() != DETACHED; }

    /** Detaches from the heap: releases handles of open scopes, retires the TLAB. Owner thread only. */
    @Override
    public void close() {
        if (state() == DETACHED) return;
        checkOwner();
        if (blockingDepth > 0) throw new MutatorStateException("cannot detach inside a blocking region (depth " + blockingDepth + ")");
        detachNow();
    }

    /** Detach work; also used by the heap for a mutator whose thread died attached. */
    void detachNow() {
        localHandles.releaseAll();
        if (barrier.active) satb.flushTo(barrier.sink()); // what it logged must reach the marker before it leaves
        tlab.retire();
        publish(DETACHED); // after the root-table and TLAB writes above: the requester may read them once it sees this
        safepoints.unregister(this);
    }

    // ---------------------------------------------------------------- state transitions (table in MutatorState)

    /** RUNNING -> STOPPED: a poll found a safepoint requested. Called by the owner in SafepointCoordinator. */
    void stopAtPoll() {
        assert state == RUNNING : state;
        publish(STOPPED);
    }

    /** STOPPED -> RUNNING: the request is gone; the caller reads it once more (SafepointCoordinator G1). */
    void resumeAfterPoll() {
        assert state == STOPPED : state;
        publish(RUNNING);
    }

    /** RUNNING -> BLOCKED: the outermost blocking region begins; a waiting requester may now count this one. */
    private void block() {
        assert state == RUNNING : state;
        publish(BLOCKED);
        safepoints.wakeRequester();
    }

    /**
     * BLOCKED -> RUNNING, then the poll: the write comes first, see SafepointCoordinator G1 for why.
     * A compare-and-set (as a volatile write, it orders the same way): {@link Heap#detachBlocked}
     * may have detached this mutator meanwhile, and then the owner must not come back to life.
     */
    private void unblock() {
        if (!STATE.compareAndSet(this, BLOCKED, RUNNING)) {
            blockingDepth = 0;
            throw detachedError();
        }
        poll();
    }

    /**
     * BLOCKED -> DETACHED by another thread (Heap.detachBlocked, safepoint lock held): wins
     * against the owner's unblock or loses to it; on a win, the owner's writes before BLOCKED
     * happen-before the detach work (G2 through the compare-and-set).
     */
    boolean detachIfBlocked() {
        if (!STATE.compareAndSet(this, BLOCKED, DETACHED)) return false;
        detachNow();
        return true;
    }

    /**
     * The only way state is written. Volatile: it publishes this thread's writes so far to the
     * requester that reads the state (SafepointCoordinator G2), and it is ordered before this
     * thread's next read of the request flag (G1).
     */
    private void publish(MutatorState to) { STATE.setVolatile(this, to); }

    /** The state, for threads other than the owner (the safepoint requester, tests): a volatile read. */
    MutatorState state() { return (MutatorState) STATE.getVolatile(this); }

    // ---------------------------------------------------------------- checks

    private void checkAccess() {
        if (state != RUNNING || Thread.currentThread() != owner) throw accessError(); // plain read: see state
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) throw wrongThread();
    }

    private MutatorStateException accessError() {
        if (Thread.currentThread() != owner) return wrongThread();
        if (state == DETACHED) return detachedError();
        return new MutatorStateException("heap access from inside a blocking region or the thread's own safepoint"
                + " session on heap '" + heap.name() + "'; leave it first");
    }

    private MutatorStateException wrongThread() {
        return new MutatorStateException("mutator of thread '" + owner.getName() + "' used from thread '"
                + Thread.currentThread().getName() + "'; mutators are thread-confined, attach one per thread");
    }

    private MutatorStateException detachedError() {
        return new MutatorStateException("mutator of thread '" + owner.getName() + "' is detached from heap '"
                + heap.name() + "'" + (heap.isClosed() ? " (the heap is closed)" : ""));
    }
}

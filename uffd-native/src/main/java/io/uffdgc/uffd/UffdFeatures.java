package io.uffdgc.uffd;

import io.uffdgc.uffd.gen.Uffdgc;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the kernel granted a userfaultfd in the {@code UFFDIO_API} handshake: a set of
 * features and the ioctls the fd accepts. Immutable; {@link #toString()} names every bit.
 *
 * @param features {@code uffdio_api.features} bits granted
 * @param ioctls   ioctl bits, one per ioctl number ({@code 1 << _UFFDIO_x})
 */
public record UffdFeatures(long features, long ioctls) {

    /** userfaultfd features, {@code UFFD_FEATURE_*}. */
    public enum Feature {
        PAGEFAULT_FLAG_WP(Uffdgc.UFFD_FEATURE_PAGEFAULT_FLAG_WP()),
        EVENT_FORK(Uffdgc.UFFD_FEATURE_EVENT_FORK()),
        EVENT_REMAP(Uffdgc.UFFD_FEATURE_EVENT_REMAP()),
        EVENT_REMOVE(Uffdgc.UFFD_FEATURE_EVENT_REMOVE()),
        MISSING_HUGETLBFS(Uffdgc.UFFD_FEATURE_MISSING_HUGETLBFS()),
        MISSING_SHMEM(Uffdgc.UFFD_FEATURE_MISSING_SHMEM()),
        EVENT_UNMAP(Uffdgc.UFFD_FEATURE_EVENT_UNMAP()),
        SIGBUS(Uffdgc.UFFD_FEATURE_SIGBUS()),
        THREAD_ID(Uffdgc.UFFD_FEATURE_THREAD_ID()),
        MINOR_HUGETLBFS(Uffdgc.UFFD_FEATURE_MINOR_HUGETLBFS()),
        MINOR_SHMEM(Uffdgc.UFFD_FEATURE_MINOR_SHMEM()),
        EXACT_ADDRESS(Uffdgc.UFFD_FEATURE_EXACT_ADDRESS()),
        WP_HUGETLBFS_SHMEM(Uffdgc.UFFD_FEATURE_WP_HUGETLBFS_SHMEM()),
        // Bits 13..15 are newer than the 6.1 headers the bindings come from; their values
        // are the kernel's (include/uapi/linux/userfaultfd.h) and only name bits here.
        WP_UNPOPULATED(1L << 13),
        POISON(1L << 14),
        WP_ASYNC(1L << 15),
        MOVE(Uffdgc.UFFD_FEATURE_MOVE());

        final long bit;

        Feature(long bit) { this.bit = bit; }

        public long bit() { return bit; }
    }

    /** userfaultfd ioctls; the kernel reports each as bit {@code 1 << _UFFDIO_x}. */
    public enum Ioctl {
        REGISTER(Uffdgc._UFFDIO_REGISTER()),
        UNREGISTER(Uffdgc._UFFDIO_UNREGISTER()),
        WAKE(Uffdgc._UFFDIO_WAKE()),
        COPY(Uffdgc._UFFDIO_COPY()),
        ZEROPAGE(Uffdgc._UFFDIO_ZEROPAGE()),
        MOVE(Uffdgc._UFFDIO_MOVE()),
        WRITEPROTECT(Uffdgc._UFFDIO_WRITEPROTECT()),
        CONTINUE(Uffdgc._UFFDIO_CONTINUE()),
        POISON(0x08), // _UFFDIO_POISON, newer than the 6.1 headers
        API(Uffdgc._UFFDIO_API());

        final long bit;

        Ioctl(int number) { this.bit = 1L << number; }

        public long bit() { return bit; }
    }

    static {
        NativeLibrary.load();
    }

    public boolean has(Feature f) { return (features & f.bit) != 0; }

    public boolean allows(Ioctl i) { return (ioctls & i.bit) != 0; }

    public Set<Feature> featureSet() { return featuresIn(features); }

    public Set<Ioctl> ioctlSet() { return ioctlsIn(ioctls); }

    /** Bits of a feature set, for {@code UFFDIO_API}. */
    public static long bits(Set<Feature> features) {
        long bits = 0;
        for (Feature f : features) bits |= f.bit;
        return bits;
    }

    static Set<Feature> featuresIn(long bits) {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        for (Feature f : Feature.values()) if ((bits & f.bit) != 0) s.add(f);
        return s;
    }

    static Set<Ioctl> ioctlsIn(long bits) {
        Set<Ioctl> s = EnumSet.noneOf(Ioctl.class);
        for (Ioctl i : Ioctl.values()) if ((bits & i.bit) != 0) s.add(i);
        return s;
    }

    /** "MOVE|THREAD_ID|0x800000": names, then any bit this class has no name for. */
    static String describeFeatures(long bits) {
        long known = 0;
        List<String> names = new ArrayList<>();
        for (Feature f : Feature.values()) {
            known |= f.bit;
            if ((bits & f.bit) != 0) names.add(f.name());
        }
        if ((bits & ~known) != 0) names.add("0x" + Long.toHexString(bits & ~known));
        return names.isEmpty() ? "none" : String.join("|", names);
    }

    static String describeIoctls(long bits) {
        long known = 0;
        List<String> names = new ArrayList<>();
        for (Ioctl i : Ioctl.values()) {
            known |= i.bit;
            if ((bits & i.bit) != 0) names.add(i.name());
        }
        if ((bits & ~known) != 0) names.add("0x" + Long.toHexString(bits & ~known));
        return names.isEmpty() ? "none" : String.join("|", names);
    }

    @Override
    public String toString() {
        return "UffdFeatures[features=" + describeFeatures(features) + ", ioctls=" + describeIoctls(ioctls) + "]";
    }
}

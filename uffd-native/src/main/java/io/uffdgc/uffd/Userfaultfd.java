package io.uffdgc.uffd;

import io.uffdgc.uffd.UffdFeatures.Feature;
import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.uffd_msg;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A userfaultfd, opened O_CLOEXEC | O_NONBLOCK, with checked calls.
 *
 * <p>Every call checks its arguments before the kernel sees them (page alignment, a
 * positive length, a destination inside a range registered here, an open fd) and
 * turns a kernel error into the {@link UffdException} subclass that names its errno,
 * carrying the range and the bytes already done. EAGAIN after partial progress is
 * resumed in C and never reaches Java.
 *
 * <p>Java code must never serve the faults of memory that Java threads touch (a JVM
 * safepoint would deadlock against the blocked thread): that is the job of the
 * native {@code io.uffdgc.uffd.service.FaultService}. {@link #readEvent} is for
 * tests and tools that fault from C or from a thread that is not waiting.
 *
 * <p>Thread-safe; close() only once no other thread still uses the fd.
 */
public final class Userfaultfd implements AutoCloseable {
    private static final long PAGE = Memory.pageSize();
    /** Out-parameter of the fill ioctls (bytes done); one per thread, no allocation per call. */
    private static final ThreadLocal<MemorySegment> DONE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ValueLayout.JAVA_LONG));

    private final int fd;
    private final String openedWith;
    private final UffdFeatures features;
    private final long supportedFeatures;
    private final RangeSet registered = new RangeSet();
    private volatile boolean closed;

    private Userfaultfd(int fd, String openedWith, UffdFeatures features, long supportedFeatures) {
        this.fd = fd;
        this.openedWith = openedWith;
        this.features = features;
        this.supportedFeatures = supportedFeatures;
    }

    /** Opens a userfaultfd asking for MOVE (granted where the kernel has it, 6.8+). */
    public static Userfaultfd open() {
        return open(EnumSet.of(Feature.MOVE));
    }

    /**
     * Opens a userfaultfd and asks for those of {@code wanted} the kernel supports;
     * {@link #features()} says which were granted. Tries userfaultfd(2), then (on
     * EPERM) userfaultfd(2) with UFFD_USER_MODE_ONLY, then /dev/userfaultfd.
     *
     * @throws UffdUnavailableException naming every attempt and its errno
     */
    public static Userfaultfd open(Set<Feature> wanted) {
        NativeLibrary.load();
        Creator creator = Creator.find();
        long supported;
        int probe = creator.create();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment featuresOut = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment ioctlsOut = arena.allocate(ValueLayout.JAVA_LONG);
            // API with features = 0 on a throwaway fd reports every feature the kernel has;
            // asking for an unsupported one on the real fd would fail the (one-shot) handshake.
            try {
                NativeCallException.check(Uffdgc.ugc_uffd_api(probe, 0, featuresOut, ioctlsOut), "UFFDIO_API",
                        "probing supported features");
                supported = featuresOut.get(ValueLayout.JAVA_LONG, 0);
            } finally {
                Uffdgc.ugc_close(probe);
            }
            long request = UffdFeatures.bits(wanted) & supported;
            int fd = creator.create();
            int rc = Uffdgc.ugc_uffd_api(fd, request, featuresOut, ioctlsOut);
            if (rc < 0) {
                Uffdgc.ugc_close(fd);
                throw new NativeCallException("UFFDIO_API", -rc,
                        "requesting " + UffdFeatures.describeFeatures(request));
            }
            // The kernel answers with everything it supports; what this fd has is what we asked.
            UffdFeatures granted = new UffdFeatures(request, ioctlsOut.get(ValueLayout.JAVA_LONG, 0));
            return new Userfaultfd(fd, creator.description, granted, supported);
        }
    }

    /** Which way of creating a userfaultfd works in this process, found once per open. */
    private record Creator(String description, boolean viaDevice, int flags) {
        static final int BASE = Uffdgc.UGC_O_CLOEXEC() | Uffdgc.UGC_O_NONBLOCK();

        static Creator find() {
            List<String> attempts = new ArrayList<>();
            int userOnly = BASE | Uffdgc.UFFD_USER_MODE_ONLY();
            Creator[] ways = {
                new Creator("userfaultfd(O_CLOEXEC|O_NONBLOCK)", false, BASE),
                new Creator("userfaultfd(O_CLOEXEC|O_NONBLOCK|UFFD_USER_MODE_ONLY)", false, userOnly),
                new Creator("/dev/userfaultfd USERFAULTFD_IOC_NEW(O_CLOEXEC|O_NONBLOCK)", true, BASE),
            };
            int lastErrno = 0;
            for (int i = 0; i < ways.length; i++) {
                // USER_MODE_ONLY only helps when the plain call lacked privilege (EPERM).
                if (i == 1 && lastErrno != Errno.EPERM) continue;
                int fd = ways[i].raw();
                if (fd >= 0) {
                    Uffdgc.ugc_close(fd);
                    return ways[i];
                }
                lastErrno = -fd;
                attempts.add(ways[i].description + " -> " + Errno.name(lastErrno));
            }
            throw new UffdUnavailableException(attempts, lastErrno);
        }

        int raw() {
            return viaDevice ? Uffdgc.ugc_uffd_create_dev(flags) : Uffdgc.ugc_uffd_create_syscall(flags);
        }

        int create() {
            return (int) NativeCallException.check(raw(), "userfaultfd", description);
        }
    }

    /** The file descriptor, for native code (the fault service) that polls it. */
    public int fd() {
        requireOpen("fd");
        return fd;
    }

    /** Features and ioctls granted to this fd. */
    public UffdFeatures features() { return features; }

    /** Every feature this kernel supports (granted or not). */
    public Set<Feature> supportedFeatures() { return UffdFeatures.featuresIn(supportedFeatures); }

    /** How the fd was created, e.g. "userfaultfd(O_CLOEXEC|O_NONBLOCK)". */
    public String openedWith() { return openedWith; }

    /** True if faults from kernel-mode accesses (e.g. read(2) into the range) are not reported. */
    public boolean userModeOnly() { return openedWith.contains("USER_MODE_ONLY"); }

    /** Registers [start, start+len) in MISSING mode. */
    public Registration register(long start, long len) {
        return register(start, len, EnumSet.of(RegisterMode.MISSING));
    }

    /** Registers [start, start+len) in the given modes; WP only where the kernel offers it. */
    public Registration register(long start, long len, Set<RegisterMode> modes) {
        String op = "UFFDIO_REGISTER";
        requireOpen(op);
        requireRange(op, start, 0, len);
        if (modes.isEmpty())
            throw new UffdInvalidArgumentException(op, start, 0, len, 0, "no register mode given");
        if (modes.contains(RegisterMode.WP) && (supportedFeatures & Feature.PAGEFAULT_FLAG_WP.bit) == 0)
            throw new UffdInvalidArgumentException(op, start, 0, len, 0, "this kernel offers no WP mode");
        long mode = 0;
        for (RegisterMode m : modes) mode |= m.bit;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ioctls = arena.allocate(ValueLayout.JAVA_LONG);
            int rc = Uffdgc.ugc_uffd_register(fd, start, len, mode, ioctls);
            if (rc < 0) throw UffdException.of(op, -rc, start, 0, len, 0);
            registered.add(start, start + len);
            return new Registration(start, len, modes, ioctls.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    public void unregister(long start, long len) {
        String op = "UFFDIO_UNREGISTER";
        requireOpen(op);
        requireRange(op, start, 0, len);
        int rc = Uffdgc.ugc_uffd_unregister(fd, start, len);
        if (rc < 0) throw UffdException.of(op, -rc, start, 0, len, 0);
        registered.remove(start, start + len);
    }

    /** True if [start, start+len) lies inside one range registered here. */
    public boolean isRegistered(long start, long len) { return registered.covers(start, start + len); }

    /** UFFDIO_COPY: fills [dst, dst+len) with a copy of [src, src+len) and wakes its waiters. */
    public void copy(long dst, long src, long len, FillOption... options) {
        String op = "UFFDIO_COPY";
        long mode = modeBits(op, dst, src, len, options, Uffdgc.UFFDIO_COPY_MODE_DONTWAKE(), false);
        requireFill(op, dst, src, len);
        MemorySegment done = DONE.get();
        int rc = Uffdgc.ugc_uffd_copy(fd, dst, src, len, mode, done, MemorySegment.NULL);
        if (rc < 0) throw UffdException.of(op, -rc, dst, src, len, done.get(ValueLayout.JAVA_LONG, 0));
    }

    /** UFFDIO_ZEROPAGE: maps the shared zero page over [dst, dst+len). */
    public void zeroPage(long dst, long len, FillOption... options) {
        String op = "UFFDIO_ZEROPAGE";
        long mode = modeBits(op, dst, 0, len, options, Uffdgc.UFFDIO_ZEROPAGE_MODE_DONTWAKE(), false);
        requireFill(op, dst, 0, len);
        MemorySegment done = DONE.get();
        int rc = Uffdgc.ugc_uffd_zeropage(fd, dst, len, mode, done, MemorySegment.NULL);
        if (rc < 0) throw UffdException.of(op, -rc, dst, 0, len, done.get(ValueLayout.JAVA_LONG, 0));
    }

    /**
     * UFFDIO_MOVE: moves the pages of [src, src+len) (private anonymous memory of this
     * process, not shared with a child) to [dst, dst+len), leaving src empty.
     */
    public void move(long dst, long src, long len, FillOption... options) {
        String op = "UFFDIO_MOVE";
        long mode = modeBits(op, dst, src, len, options, Uffdgc.UFFDIO_MOVE_MODE_DONTWAKE(), true);
        requireFill(op, dst, src, len);
        if (!features.has(Feature.MOVE))
            throw new UffdInvalidArgumentException(op, dst, src, len, 0, "MOVE was not granted to this userfaultfd");
        if (src < dst + len && dst < src + len)
            throw new UffdInvalidArgumentException(op, dst, src, len, 0, "source and destination overlap");
        MemorySegment done = DONE.get();
        int rc = Uffdgc.ugc_uffd_move(fd, dst, src, len, mode, done, MemorySegment.NULL);
        if (rc < 0) throw UffdException.of(op, -rc, dst, src, len, done.get(ValueLayout.JAVA_LONG, 0));
    }

    /** UFFDIO_WAKE: wakes the threads waiting on [start, start+len). */
    public void wake(long start, long len) {
        String op = "UFFDIO_WAKE";
        requireFill(op, start, 0, len);
        int rc = Uffdgc.ugc_uffd_wake(fd, start, len);
        if (rc < 0) throw UffdException.of(op, -rc, start, 0, len, 0);
    }

    /**
     * Waits up to timeoutMillis for one message. For tests and tools only: a Java thread
     * must never serve the faults of memory Java threads touch (see the class comment).
     */
    public Optional<UffdEvent> readEvent(int timeoutMillis) {
        requireOpen("read");
        if (timeoutMillis < 0)
            throw new IllegalArgumentException("timeout " + timeoutMillis + " ms: waiting forever is not offered");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msg = arena.allocate(uffd_msg.layout());
            int rc = (int) NativeCallException.check(Uffdgc.ugc_uffd_read(fd, msg, timeoutMillis), "read", "uffd message");
            return rc == 0 ? Optional.empty() : Optional.of(UffdEvent.decode(msg));
        }
    }

    /** Closes the fd; threads blocked on its ranges are woken (their accesses then fail with SIGBUS). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Uffdgc.ugc_close(fd);
    }

    public boolean isClosed() { return closed; }

    @Override
    public String toString() {
        return "Userfaultfd[fd=" + fd + (closed ? " closed" : "") + ", " + openedWith + ", " + features + "]";
    }

    // ---- argument checks, made before the kernel sees the call ----

    private void requireOpen(String op) {
        if (closed) throw new UffdClosedException(op);
    }

    private void requireFill(String op, long dst, long src, long len) {
        requireOpen(op);
        requireRange(op, dst, src, len);
        if (!registered.covers(dst, dst + len)) throw new RangeNotRegisteredException(op, dst, src, len);
    }

    private static void requireRange(String op, long dst, long src, long len) {
        String why = null;
        if (len <= 0) why = "length must be positive";
        else if (len % PAGE != 0) why = "length is not a multiple of the page size " + PAGE;
        else if (dst == 0 || dst % PAGE != 0) why = "destination 0x" + Long.toHexString(dst) + " is not page aligned";
        else if (src % PAGE != 0) why = "source 0x" + Long.toHexString(src) + " is not page aligned";
        else if (dst + len < dst || src + len < src) why = "range wraps around the address space";
        if (why != null) throw new UffdInvalidArgumentException(op, dst, src, len, 0, why + " (checked before the kernel)");
    }

    private static long modeBits(String op, long dst, long src, long len, FillOption[] options, long dontWake,
                                 boolean isMove) {
        long mode = 0;
        for (FillOption o : options) {
            switch (o) {
                case DONTWAKE -> mode |= dontWake;
                case ALLOW_SRC_HOLES -> {
                    if (!isMove)
                        throw new UffdInvalidArgumentException(op, dst, src, len, 0, "ALLOW_SRC_HOLES applies to MOVE only");
                    mode |= Uffdgc.UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES();
                }
            }
        }
        return mode;
    }
}

package io.uffdgc.uffd;

import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.uffd_msg;
import java.lang.foreign.MemorySegment;

/**
 * One message read from a userfaultfd ({@code struct uffd_msg}): a page fault, or a
 * non-cooperative event that the features requested at open time ask the kernel to report.
 */
public sealed interface UffdEvent permits FaultEvent, UffdEvent.Removed, UffdEvent.Unmapped,
        UffdEvent.Remapped, UffdEvent.Forked, UffdEvent.Unknown {

    /** madvise(DONTNEED/REMOVE) dropped [start, end) of a registered range (EVENT_REMOVE). */
    record Removed(long start, long end) implements UffdEvent {}

    /** munmap of [start, end) of a registered range (EVENT_UNMAP). */
    record Unmapped(long start, long end) implements UffdEvent {}

    /** mremap moved a registered range (EVENT_REMAP). */
    record Remapped(long from, long to, long len) implements UffdEvent {}

    /** fork(): the child's userfaultfd (EVENT_FORK). */
    record Forked(int childUffd) implements UffdEvent {}

    /** A message type this class does not know. */
    record Unknown(int event) implements UffdEvent {}

    /** Decodes a {@code uffd_msg}. */
    static UffdEvent decode(MemorySegment msg) {
        int event = Byte.toUnsignedInt(uffd_msg.event(msg));
        MemorySegment arg = uffd_msg.arg(msg);
        if (event == Uffdgc.UFFD_EVENT_PAGEFAULT()) {
            MemorySegment pf = uffd_msg.arg.pagefault(arg);
            return new FaultEvent(uffd_msg.arg.pagefault.address(pf), uffd_msg.arg.pagefault.flags(pf),
                    uffd_msg.arg.pagefault.feat.ptid(uffd_msg.arg.pagefault.feat(pf)));
        }
        if (event == Uffdgc.UFFD_EVENT_REMOVE() || event == Uffdgc.UFFD_EVENT_UNMAP()) {
            MemorySegment r = uffd_msg.arg.remove(arg);
            long start = uffd_msg.arg.remove.start(r), end = uffd_msg.arg.remove.end(r);
            return event == Uffdgc.UFFD_EVENT_REMOVE() ? new Removed(start, end) : new Unmapped(start, end);
        }
        if (event == Uffdgc.UFFD_EVENT_REMAP()) {
            MemorySegment r = uffd_msg.arg.remap(arg);
            return new Remapped(uffd_msg.arg.remap.from(r), uffd_msg.arg.remap.to(r), uffd_msg.arg.remap.len(r));
        }
        if (event == Uffdgc.UFFD_EVENT_FORK())
            return new Forked(uffd_msg.arg.fork.ufd(uffd_msg.arg.fork(arg)));
        return new Unknown(event);
    }
}

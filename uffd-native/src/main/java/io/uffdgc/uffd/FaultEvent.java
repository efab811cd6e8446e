package io.uffdgc.uffd;

import io.uffdgc.uffd.gen.Uffdgc;

/**
 * A page-fault message: a thread touched {@code address} in a registered range and waits.
 *
 * @param address  the faulting address, rounded down to its page unless EXACT_ADDRESS was granted
 * @param flags    {@code UFFD_PAGEFAULT_FLAG_*}
 * @param threadId the faulting thread's id if THREAD_ID was granted, else 0
 */
public record FaultEvent(long address, long flags, int threadId) implements UffdEvent {
    public boolean isWrite() { return (flags & Uffdgc.UFFD_PAGEFAULT_FLAG_WRITE()) != 0; }

    public boolean isWriteProtect() { return (flags & Uffdgc.UFFD_PAGEFAULT_FLAG_WP()) != 0; }

    @Override
    public String toString() {
        return "FaultEvent[0x" + Long.toHexString(address) + (isWrite() ? " write" : " read")
                + (isWriteProtect() ? " wp" : "") + (threadId != 0 ? " tid=" + threadId : "") + "]";
    }
}

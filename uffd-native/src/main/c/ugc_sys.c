/*
 * ugc_sys.c: checked wrappers over the system calls uffdgc needs.
 *
 * The ioctl wrappers are called on the fault path (by resolvers and the page
 * routine), so they are async-signal-safe: no allocation, no locks; counters are
 * plain per-thread structs owned by the caller, injection state is atomic.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "uffdgc.h"
#include "ugc_testing.h"

/* Our constants stand for the kernel's: Java uses ours, the kernel gets the same numbers. */
_Static_assert(UGC_O_CLOEXEC == O_CLOEXEC, "O_CLOEXEC");
_Static_assert(UGC_O_NONBLOCK == O_NONBLOCK, "O_NONBLOCK");
_Static_assert(UGC_PROT_READ == PROT_READ && UGC_PROT_WRITE == PROT_WRITE && UGC_PROT_NONE == PROT_NONE, "PROT");
_Static_assert(UGC_MADV_DONTNEED == MADV_DONTNEED && UGC_MADV_DONTFORK == MADV_DONTFORK &&
	       UGC_MADV_HUGEPAGE == MADV_HUGEPAGE && UGC_MADV_NOHUGEPAGE == MADV_NOHUGEPAGE, "MADV");

/* ---- fault injection (test-only) ------------------------------------------- */

struct injection {
	_Atomic int err;
	_Atomic uint64_t partial;
	_Atomic uint32_t count;
};
static struct injection injections[UGC_INJECT_KINDS];

void ugc_inject(int kind, int err, uint32_t count, uint64_t partial_bytes)
{
	if (kind < 0 || kind >= UGC_INJECT_KINDS)
		return;
	struct injection *in = &injections[kind];
	atomic_store(&in->count, 0);
	atomic_store(&in->err, err);
	atomic_store(&in->partial, partial_bytes);
	atomic_store(&in->count, count); /* published last: a taker sees err and partial */
}

void ugc_inject_clear(void)
{
	for (int k = 0; k < UGC_INJECT_KINDS; k++)
		atomic_store(&injections[k].count, 0);
}

/* Takes one injected failure for kind, if any is armed: returns its errno, else 0. */
static int inject_take(int kind, uint64_t *partial)
{
	struct injection *in = &injections[kind];
	uint32_t c = atomic_load(&in->count);
	while (c > 0) {
		if (atomic_compare_exchange_weak(&in->count, &c, c - 1)) {
			*partial = atomic_load(&in->partial);
			return atomic_load(&in->err);
		}
	}
	return 0;
}

/* ---- creating a userfaultfd ------------------------------------------------- */

int ugc_uffd_create_syscall(int flags)
{
	long fd = syscall(SYS_userfaultfd, flags);
	return fd < 0 ? -errno : (int)fd;
}

int ugc_uffd_create_dev(int flags)
{
	int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -errno;
	int fd = ioctl(dev, USERFAULTFD_IOC_NEW, flags);
	int err = fd < 0 ? errno : 0;
	close(dev);
	return fd < 0 ? -err : fd;
}

int ugc_close(int fd)
{
	return close(fd) < 0 ? -errno : 0;
}

/* ---- userfaultfd ioctls ----------------------------------------------------- */

int ugc_uffd_api(int fd, uint64_t features, uint64_t *features_out, uint64_t *ioctls_out)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	if (ioctl(fd, UFFDIO_API, &api) < 0)
		return -errno;
	if (features_out)
		*features_out = api.features;
	if (ioctls_out)
		*ioctls_out = api.ioctls;
	return 0;
}

int ugc_uffd_register(int fd, uint64_t start, uint64_t len, uint64_t mode, uint64_t *ioctls_out)
{
	struct uffdio_register reg = { .range = { .start = start, .len = len }, .mode = mode };
	if (ioctl(fd, UFFDIO_REGISTER, &reg) < 0)
		return -errno;
	if (ioctls_out)
		*ioctls_out = reg.ioctls;
	return 0;
}

int ugc_uffd_unregister(int fd, uint64_t start, uint64_t len)
{
	struct uffdio_range range = { .start = start, .len = len };
	return ioctl(fd, UFFDIO_UNREGISTER, &range) < 0 ? -errno : 0;
}

int ugc_uffd_wake(int fd, uint64_t start, uint64_t len)
{
	struct uffdio_range range = { .start = start, .len = len };
	return ioctl(fd, UFFDIO_WAKE, &range) < 0 ? -errno : 0;
}

static void count_error(ugc_counters *ctr, int err)
{
	if (!ctr)
		return;
	switch (err) {
	case EEXIST: ctr->eexist++; break;
	case EAGAIN: ctr->eagain++; break;
	case EBUSY: ctr->ebusy++; break;
	case ENOMEM: ctr->enomem++; break;
	default: ctr->other_errors++; break;
	}
}

/*
 * One kind of filling ioctl, described so that a single loop can issue it,
 * apply injections and resume after partial progress.
 */
enum fill_kind { FILL_COPY = UGC_INJECT_COPY, FILL_ZEROPAGE = UGC_INJECT_ZEROPAGE, FILL_MOVE = UGC_INJECT_MOVE };

/* Issues one ioctl of kind for [dst, dst+len) (src for COPY/MOVE); returns 0 or errno, *got = bytes done. */
static int fill_once(int fd, enum fill_kind kind, uint64_t dst, uint64_t src, uint64_t len, uint64_t mode,
		     int64_t *got)
{
	int rc;
	int64_t result;
	switch (kind) {
	case FILL_COPY: {
		struct uffdio_copy c = { .dst = dst, .src = src, .len = len, .mode = mode };
		rc = ioctl(fd, UFFDIO_COPY, &c) < 0 ? errno : 0;
		result = c.copy;
		break;
	}
	case FILL_ZEROPAGE: {
		struct uffdio_zeropage z = { .range = { .start = dst, .len = len }, .mode = mode };
		rc = ioctl(fd, UFFDIO_ZEROPAGE, &z) < 0 ? errno : 0;
		result = z.zeropage;
		break;
	}
	default: {
		struct uffdio_move m = { .dst = dst, .src = src, .len = len, .mode = mode };
		rc = ioctl(fd, UFFDIO_MOVE, &m) < 0 ? errno : 0;
		result = m.move;
		break;
	}
	}
	/* On success the kernel reports len; on failure a byte count of partial progress or -errno. */
	*got = rc == 0 ? (int64_t)len : (result > 0 ? result : 0);
	return rc;
}

static int fill(int fd, enum fill_kind kind, uint64_t dst, uint64_t src, uint64_t len, uint64_t mode,
		int64_t *done, ugc_counters *ctr)
{
	uint64_t off = 0;
	int rc = 0;
	while (off < len) {
		uint64_t partial = 0, want = len - off;
		int64_t got = 0;
		int injected = inject_take(kind, &partial);
		if (injected == EAGAIN && partial > 0 && partial < want) {
			/* Do part of the work for real, then report EAGAIN as a kernel would. */
			rc = fill_once(fd, kind, dst + off, src + off, partial, mode, &got);
			if (rc == 0)
				rc = EAGAIN;
		} else if (injected) {
			rc = injected;
		} else {
			rc = fill_once(fd, kind, dst + off, src + off, want, mode, &got);
		}
		if (ctr) {
			switch (kind) {
			case FILL_COPY: ctr->copy_calls++; ctr->copy_bytes += got; break;
			case FILL_ZEROPAGE: ctr->zeropage_calls++; ctr->zeropage_bytes += got; break;
			default: ctr->move_calls++; ctr->move_bytes += got; break;
			}
		}
		off += got;
		if (rc == 0)
			continue;
		count_error(ctr, rc);
		/* EAGAIN after progress: resume from where the kernel stopped. Without
		 * progress the cause (mmap changing) does not clear by retrying now. */
		if (rc == EAGAIN && got > 0)
			continue;
		break;
	}
	if (done)
		*done = (int64_t)off;
	return off == len ? 0 : -rc;
}

int ugc_uffd_copy(int fd, uint64_t dst, uint64_t src, uint64_t len, uint64_t mode, int64_t *done,
		  ugc_counters *ctr)
{
	return fill(fd, FILL_COPY, dst, src, len, mode, done, ctr);
}

int ugc_uffd_zeropage(int fd, uint64_t dst, uint64_t len, uint64_t mode, int64_t *done, ugc_counters *ctr)
{
	return fill(fd, FILL_ZEROPAGE, dst, 0, len, mode, done, ctr);
}

int ugc_uffd_move(int fd, uint64_t dst, uint64_t src, uint64_t len, uint64_t mode, int64_t *done,
		  ugc_counters *ctr)
{
	return fill(fd, FILL_MOVE, dst, src, len, mode, done, ctr);
}

int ugc_uffd_read(int fd, struct uffd_msg *msg, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (n == 0)
		return 0;
	ssize_t r = read(fd, msg, sizeof(*msg));
	if (r < 0)
		return errno == EAGAIN ? 0 : -errno; /* EAGAIN: another reader took it */
	return r == (ssize_t)sizeof(*msg) ? 1 : -EIO;
}

/* ---- memory ----------------------------------------------------------------- */

int64_t ugc_page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

int64_t ugc_mem_reserve(uint64_t len, uint64_t align, int prot)
{
	uint64_t page = (uint64_t)ugc_page_size();
	if (len == 0 || len % page != 0 || align < page || (align & (align - 1)) != 0)
		return -EINVAL;
	uint64_t ignored;
	int injected = inject_take(UGC_INJECT_RESERVE, &ignored);
	if (injected)
		return -injected;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	if (align == page) {
		void *p = mmap(NULL, len, prot, flags, -1, 0);
		return p == MAP_FAILED ? -errno : (int64_t)(uintptr_t)p;
	}
	/* Over-reserve by align, then trim the head and tail so the start is aligned. */
	void *p = mmap(NULL, len + align, prot, flags, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	uint64_t raw = (uint64_t)(uintptr_t)p;
	uint64_t start = (raw + align - 1) & ~(align - 1);
	if (start > raw)
		munmap(p, start - raw);
	uint64_t tail = raw + len + align - (start + len);
	if (tail > 0)
		munmap((void *)(uintptr_t)(start + len), tail);
	return (int64_t)start;
}

int ugc_mem_map_fixed(uint64_t addr, uint64_t len, int prot)
{
	void *p = mmap((void *)(uintptr_t)addr, len, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	return p == MAP_FAILED ? -errno : 0;
}

int ugc_mem_unmap(uint64_t addr, uint64_t len)
{
	return munmap((void *)(uintptr_t)addr, len) < 0 ? -errno : 0;
}

int ugc_mem_remap_dontunmap(uint64_t old_addr, uint64_t len, uint64_t new_addr)
{
	void *p = mremap((void *)(uintptr_t)old_addr, len, len,
			 MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, (void *)(uintptr_t)new_addr);
	return p == MAP_FAILED ? -errno : 0;
}

int ugc_mem_advise(uint64_t addr, uint64_t len, int advice)
{
	return madvise((void *)(uintptr_t)addr, len, advice) < 0 ? -errno : 0;
}

int ugc_mem_protect(uint64_t addr, uint64_t len, int prot)
{
	return mprotect((void *)(uintptr_t)addr, len, prot) < 0 ? -errno : 0;
}

int64_t ugc_mem_resident(uint64_t addr, uint64_t len)
{
	uint64_t page = (uint64_t)ugc_page_size();
	unsigned char vec[4096];
	int64_t resident = 0;
	for (uint64_t off = 0; off < len; off += sizeof(vec) * page) {
		uint64_t chunk = len - off < sizeof(vec) * page ? len - off : sizeof(vec) * page;
		if (mincore((void *)(uintptr_t)(addr + off), chunk, vec) < 0)
			return -errno;
		uint64_t pages = (chunk + page - 1) / page;
		for (uint64_t i = 0; i < pages; i++)
			resident += vec[i] & 1;
	}
	return resident * (int64_t)page;
}

int64_t ugc_mem_timed_touch(uint64_t addr)
{
	uint64_t page = (uint64_t)ugc_page_size();
	uint64_t at = addr & ~(page - 1);
	unsigned char vec = 0;
	if (mincore((void *)(uintptr_t)at, page, &vec) < 0)
		return -errno;
	if (vec & 1)
		return -ENOENT;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	(void)*(volatile const unsigned char *)(uintptr_t)addr;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (int64_t)(t1.tv_sec - t0.tv_sec) * 1000000000 + (t1.tv_nsec - t0.tv_nsec);
}

int ugc_thread_cpu_read(ugc_thread_cpu *out)
{
	struct rusage ru;
	struct timespec ts;
	if (!out)
		return -EINVAL;
	/* The clock first: getrusage then sees at least the runtime the clock counted. */
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0 || getrusage(RUSAGE_THREAD, &ru) != 0)
		return -errno;
	uint64_t total = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	uint64_t user = (uint64_t)ru.ru_utime.tv_sec * 1000000000u + (uint64_t)ru.ru_utime.tv_usec * 1000u;
	uint64_t sys = (uint64_t)ru.ru_stime.tv_sec * 1000000000u + (uint64_t)ru.ru_stime.tv_usec * 1000u;
	/* getrusage's sum lags the running thread by the slice not yet accounted (up to a tick,
	 * measured 2.8 ms); the clock does not. The total is the clock's, split as getrusage splits. */
	uint64_t split = user + sys;
	out->user_ns = split ? (uint64_t)((unsigned __int128)total * user / split) : total;
	out->sys_ns = total - out->user_ns;
	return 0;
}

/*
 * gc/install.c: putting built pages into the heap with one ioctl when all goes well.
 *
 * Async-signal-safe (ioctl, sched_yield, atomics). Errors and what is done about them:
 *   EEXIST  the destination is mapped already (a racing free-heap fault): skip that page
 *   EBUSY   MOVE's source is pinned or shared (after a fork): the rest goes by COPY
 *   ENOENT, EINVAL, EFAULT, ESRCH, EBADF  permanent: the range is gone or unregistered;
 *           MOVE tries COPY once, then the pages are left for finish (or, closing, for
 *           the mutator's own retry)
 *   others  transient (ENOMEM, EAGAIN with no progress): retried up to INSTALL_TRIES
 *           times, by COPY from the second failure of a MOVE
 */
#include <errno.h>
#include <sched.h>
#include "internal.h"

#define INSTALL_TRIES 16

/* Errors that retrying the same ioctl will not clear. */
static bool permanent(int rc)
{
	return rc == -ENOENT || rc == -EINVAL || rc == -EFAULT || rc == -ESRCH || rc == -EBADF;
}

static void count_installed(ugc_gc *gc, uint64_t got, bool move)
{
	if (move)
		STAT_ADD(gc, pages_moved, got);
	else
		STAT_ADD(gc, pages_copied, got);
}

gc_installed gc_install(ugc_gc *gc, gc_worker *wk, uint64_t dst, uint64_t src, uint64_t n, bool move)
{
	UGC_DCHECK(n > 0 && n <= 64, "an install is tracked in 64-bit masks");
	gc_installed r = { 0, 0 };
	uint64_t i = 0;
	int tries = 0;
	while (i < n) {
		int64_t done = 0;
		int rc = move ? ugc_uffd_move(gc->uffd, dst + i * PAGE_BYTES, src + i * PAGE_BYTES,
					      (n - i) * PAGE_BYTES, 0, &done, wk->ctr)
			      : ugc_uffd_copy(gc->uffd, dst + i * PAGE_BYTES, src + i * PAGE_BYTES,
					      (n - i) * PAGE_BYTES, 0, &done, wk->ctr);
		uint64_t got = (uint64_t)done / PAGE_BYTES;
		UGC_DCHECK(got <= n - i, "the kernel reported more bytes than asked for");
		r.ok |= gc_bits(i, got);
		if (move)
			r.moved |= gc_bits(i, got);
		count_installed(gc, got, move);
		i += got;
		if (rc == 0)
			break;
		if (rc == -EEXIST) {
			STAT_ADD(gc, eexist_races, 1);
			r.ok |= gc_bits(i, 1);
			i++;
			continue;
		}
		if (move && rc == -EBUSY) {
			STAT_ADD(gc, ebusy_fallbacks, n - i);
			move = false;
			continue;
		}
		if (permanent(rc)) {
			if (atomic_load(&gc->closing))
				break; /* finish unregistered the range: the waiting thread retries by itself */
			if (move) {
				move = false;
				continue;
			}
			STAT_ADD(gc, errors, 1);
			gc_note_error(gc, rc);
			break;
		}
		if (++tries > INSTALL_TRIES) {
			STAT_ADD(gc, errors, 1);
			gc_note_error(gc, rc);
			break;
		}
		STAT_ADD(gc, install_retries, 1);
		gc_note_error(gc, rc);
		if (move && tries >= 2)
			move = false; /* a COPY may pass where MOVE keeps failing */
		sched_yield();
	}
	return r;
}

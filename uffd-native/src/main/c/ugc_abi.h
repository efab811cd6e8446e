/*
 * ugc_abi.h: the kernel's userfaultfd ABI as this project uses it.
 *
 * The installed headers (linux-libc-dev 6.1) predate UFFDIO_MOVE (Linux 6.8), so
 * its definitions are added here, each guarded so that newer headers win.
 * linux/ioctl.h must come before linux/userfaultfd.h: without it jextract cannot
 * evaluate the _IOWR() macros and silently drops UFFDIO_COPY and friends.
 */
#ifndef UGC_ABI_H
#define UGC_ABI_H

#include <stdint.h>
#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/userfaultfd.h>

#define UGC_API __attribute__((visibility("default")))

#ifndef UFFD_FEATURE_MOVE
#define UFFD_FEATURE_MOVE (1 << 16)
#endif

#ifndef _UFFDIO_MOVE
#define _UFFDIO_MOVE (0x05)
#endif

#ifndef UFFDIO_MOVE
struct uffdio_move {
	__u64 dst;   /* destination, inside the registered range */
	__u64 src;   /* source, private anonymous memory of this process */
	__u64 len;
#define UFFDIO_MOVE_MODE_DONTWAKE        ((__u64)1 << 0)
#define UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES ((__u64)1 << 1)
	__u64 mode;
	__s64 move;  /* out: bytes moved, or a negated errno */
};
#define UFFDIO_MOVE _IOWR(UFFDIO, _UFFDIO_MOVE, struct uffdio_move)
#endif

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

/* Bits of uffdio_register.ioctls / uffdio_api.ioctls, one per ioctl number. */
#define UGC_IOCTL_BIT(nr) (1ULL << (nr))

/*
 * The ABI as this C compiler sees it, for AbiTest: sizeof a struct, offsetof a
 * field, the value of an ioctl request number. Names are the C names
 * ("uffdio_move", "uffd_msg", field "pagefault.address", "UFFDIO_MOVE").
 * Returns -1 for a name it does not know.
 */
UGC_API int64_t ugc_abi_sizeof(const char *type_name);
UGC_API int64_t ugc_abi_offsetof(const char *type_name, const char *field);
UGC_API int64_t ugc_abi_constant(const char *name);

#endif

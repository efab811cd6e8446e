/* ugc_abi.c: the ABI as this compiler sees it, reported by name for AbiTest. */
#include <stddef.h>
#include <string.h>
#include "uffdgc.h"

struct abi_size { const char *type; int64_t size; };
struct abi_offset { const char *type; const char *field; int64_t offset; };
struct abi_const { const char *name; int64_t value; };

#define SIZE(t) { #t, (int64_t)sizeof(struct t) }
#define TSIZE(t) { #t, (int64_t)sizeof(t) }
#define OFF(t, f) { #t, #f, (int64_t)offsetof(struct t, f) }
#define TOFF(t, f) { #t, #f, (int64_t)offsetof(t, f) }
#define CONST(n) { #n, (int64_t)(n) }

static const struct abi_size sizes[] = {
	SIZE(uffdio_api), SIZE(uffdio_range), SIZE(uffdio_register), SIZE(uffdio_copy),
	SIZE(uffdio_zeropage), SIZE(uffdio_move), SIZE(uffd_msg),
	TSIZE(ugc_counters), TSIZE(ugc_worker), TSIZE(ugc_service_stats), TSIZE(ugc_copy_source),
	TSIZE(ugc_layout), TSIZE(ugc_heap), TSIZE(ugc_gc_stats),
};

static const struct abi_offset offsets[] = {
	OFF(uffdio_api, api), OFF(uffdio_api, features), OFF(uffdio_api, ioctls),
	OFF(uffdio_range, start), OFF(uffdio_range, len),
	OFF(uffdio_register, range), OFF(uffdio_register, mode), OFF(uffdio_register, ioctls),
	OFF(uffdio_copy, dst), OFF(uffdio_copy, src), OFF(uffdio_copy, len), OFF(uffdio_copy, mode),
	OFF(uffdio_copy, copy),
	OFF(uffdio_zeropage, range), OFF(uffdio_zeropage, mode), OFF(uffdio_zeropage, zeropage),
	OFF(uffdio_move, dst), OFF(uffdio_move, src), OFF(uffdio_move, len), OFF(uffdio_move, mode),
	OFF(uffdio_move, move),
	OFF(uffd_msg, event), OFF(uffd_msg, arg.pagefault.flags), OFF(uffd_msg, arg.pagefault.address),
	OFF(uffd_msg, arg.pagefault.feat.ptid),
	TOFF(ugc_counters, copy_calls), TOFF(ugc_counters, move_bytes), TOFF(ugc_counters, other_errors),
	TOFF(ugc_worker, index), TOFF(ugc_worker, scratch), TOFF(ugc_worker, scratch_len), TOFF(ugc_worker, ctr),
	TOFF(ugc_service_stats, faults), TOFF(ugc_service_stats, last_error), TOFF(ugc_service_stats, ctr),
	TOFF(ugc_copy_source, dst_base), TOFF(ugc_copy_source, src_base), TOFF(ugc_copy_source, len),
	TOFF(ugc_layout, kind), TOFF(ugc_layout, nrefs), TOFF(ugc_layout, data_offset),
	TOFF(ugc_layout, data_bytes), TOFF(ugc_layout, size_words), TOFF(ugc_layout, elem_bytes),
	TOFF(ugc_heap, base), TOFF(ugc_heap, capacity), TOFF(ugc_heap, top), TOFF(ugc_heap, layouts),
	TOFF(ugc_heap, nlayouts), TOFF(ugc_heap, roots), TOFF(ugc_heap, nroots),
	TOFF(ugc_gc_stats, live_bytes), TOFF(ugc_gc_stats, last_error), TOFF(ugc_gc_stats, ctr),
};

static const struct abi_const consts[] = {
	CONST(UFFD_API), CONST(UFFDIO_API), CONST(UFFDIO_REGISTER), CONST(UFFDIO_UNREGISTER),
	CONST(UFFDIO_WAKE), CONST(UFFDIO_COPY), CONST(UFFDIO_ZEROPAGE), CONST(UFFDIO_MOVE),
	CONST(UFFD_FEATURE_MOVE), CONST(UFFDIO_REGISTER_MODE_MISSING), CONST(UFFDIO_REGISTER_MODE_WP),
	CONST(UFFDIO_MOVE_MODE_DONTWAKE), CONST(UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES),
	CONST(UFFDIO_COPY_MODE_DONTWAKE), CONST(UFFDIO_ZEROPAGE_MODE_DONTWAKE),
	CONST(UFFD_EVENT_PAGEFAULT), CONST(UFFD_PAGEFAULT_FLAG_WRITE), CONST(UFFD_USER_MODE_ONLY),
	CONST(USERFAULTFD_IOC_NEW), CONST(_UFFDIO_MOVE),
	CONST(UGC_O_CLOEXEC), CONST(UGC_O_NONBLOCK),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int64_t ugc_abi_sizeof(const char *type_name)
{
	for (size_t i = 0; i < COUNT(sizes); i++)
		if (strcmp(sizes[i].type, type_name) == 0)
			return sizes[i].size;
	return -1;
}

int64_t ugc_abi_offsetof(const char *type_name, const char *field)
{
	for (size_t i = 0; i < COUNT(offsets); i++)
		if (strcmp(offsets[i].type, type_name) == 0 && strcmp(offsets[i].field, field) == 0)
			return offsets[i].offset;
	return -1;
}

int64_t ugc_abi_constant(const char *name)
{
	for (size_t i = 0; i < COUNT(consts); i++)
		if (strcmp(consts[i].name, name) == 0)
			return consts[i].value;
	return -1;
}

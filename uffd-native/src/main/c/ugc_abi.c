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
	TSIZE(ugc_layout), TSIZE(ugc_heap), TSIZE(ugc_gc_stats), TSIZE(ugc_thread_cpu), TSIZE(ugc_fault_record),
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
	TOFF(ugc_heap, nlayouts), TOFF(ugc_heap, roots), TOFF(ugc_heap, nroots), TOFF(ugc_heap, roots_next), TOFF(ugc_heap, root_cards),
	TOFF(ugc_gc_stats, live_bytes), TOFF(ugc_gc_stats, last_error), TOFF(ugc_gc_stats, ctr),
	TOFF(ugc_gc_stats, mark_helper_user_ns), TOFF(ugc_gc_stats, mark_helper_system_ns),
	/* every other field of every struct generated for Java (AbiTest requires them all) */
	OFF(uffd_msg, arg), OFF(uffd_msg, reserved1), OFF(uffd_msg, reserved2), OFF(uffd_msg, reserved3),
	OFF(uffdio_register, range.len), OFF(uffdio_register, range.start), OFF(uffdio_zeropage, range.len), OFF(uffdio_zeropage, range.start),
	TOFF(ugc_counters, copy_bytes), TOFF(ugc_counters, eagain), TOFF(ugc_counters, ebusy), TOFF(ugc_counters, eexist),
	TOFF(ugc_counters, enomem), TOFF(ugc_counters, move_calls), TOFF(ugc_counters, wake_calls), TOFF(ugc_counters, zeropage_bytes),
	TOFF(ugc_counters, zeropage_calls), TOFF(ugc_gc_stats, abandoned), TOFF(ugc_gc_stats, copy_runs), TOFF(ugc_gc_stats, ctr.copy_bytes),
	TOFF(ugc_gc_stats, ctr.copy_calls), TOFF(ugc_gc_stats, ctr.eagain), TOFF(ugc_gc_stats, ctr.ebusy), TOFF(ugc_gc_stats, ctr.eexist),
	TOFF(ugc_gc_stats, ctr.enomem), TOFF(ugc_gc_stats, ctr.move_bytes), TOFF(ugc_gc_stats, ctr.move_calls), TOFF(ugc_gc_stats, ctr.other_errors),
	TOFF(ugc_gc_stats, ctr.wake_calls), TOFF(ugc_gc_stats, ctr.zeropage_bytes), TOFF(ugc_gc_stats, ctr.zeropage_calls), TOFF(ugc_gc_stats, ebusy_fallbacks),
	TOFF(ugc_gc_stats, eexist_races), TOFF(ugc_gc_stats, errors), TOFF(ugc_gc_stats, fault_waits), TOFF(ugc_gc_stats, runs_cut),
	TOFF(ugc_gc_stats, satb_logged), TOFF(ugc_gc_stats, satb_dropped), TOFF(ugc_gc_stats, black_objects),
	TOFF(ugc_gc_stats, black_bytes), TOFF(ugc_gc_stats, tail_bytes), TOFF(ugc_gc_stats, tail_ahead_bytes), TOFF(ugc_gc_stats, roots_ahead), TOFF(ugc_gc_stats, roots_in_pause),
	TOFF(ugc_gc_stats, tail_plan_ns), TOFF(ugc_gc_stats, flip_roots_ns), TOFF(ugc_gc_stats, flip_remap_ns),
	TOFF(ugc_gc_stats, flip_user_ns), TOFF(ugc_gc_stats, flip_system_ns),
	TOFF(ugc_gc_stats, install_retries), TOFF(ugc_gc_stats, live_objects), TOFF(ugc_gc_stats, move_runs), TOFF(ugc_gc_stats, new_top),
	TOFF(ugc_gc_stats, old_top), TOFF(ugc_gc_stats, pages_by_compactors), TOFF(ugc_gc_stats, pages_by_faults), TOFF(ugc_gc_stats, pages_copied),
	TOFF(ugc_gc_stats, pages_direct), TOFF(ugc_gc_stats, pages_fresh), TOFF(ugc_gc_stats, pages_in_place), TOFF(ugc_gc_stats, huge_moves), TOFF(ugc_gc_stats, pages_moved),
	TOFF(ugc_gc_stats, pages_recycled), TOFF(ugc_gc_stats, pages_total), TOFF(ugc_gc_stats, pages_zeroed), TOFF(ugc_service_stats, ctr.copy_bytes),
	TOFF(ugc_service_stats, ctr.copy_calls), TOFF(ugc_service_stats, ctr.eagain), TOFF(ugc_service_stats, ctr.ebusy), TOFF(ugc_service_stats, ctr.eexist),
	TOFF(ugc_service_stats, ctr.enomem), TOFF(ugc_service_stats, ctr.move_bytes), TOFF(ugc_service_stats, ctr.move_calls), TOFF(ugc_service_stats, ctr.other_errors),
	TOFF(ugc_service_stats, ctr.wake_calls), TOFF(ugc_service_stats, ctr.zeropage_bytes), TOFF(ugc_service_stats, ctr.zeropage_calls), TOFF(ugc_service_stats, failed),
	TOFF(ugc_service_stats, latencies_dropped), TOFF(ugc_service_stats, other_events), TOFF(ugc_service_stats, resolved), TOFF(ugc_service_stats, served_at_stop),
	TOFF(ugc_worker, ctr.copy_bytes), TOFF(ugc_worker, ctr.copy_calls), TOFF(ugc_worker, ctr.eagain), TOFF(ugc_worker, ctr.ebusy),
	TOFF(ugc_worker, ctr.eexist), TOFF(ugc_worker, ctr.enomem), TOFF(ugc_worker, ctr.move_bytes), TOFF(ugc_worker, ctr.move_calls),
	TOFF(ugc_worker, ctr.other_errors), TOFF(ugc_worker, ctr.wake_calls), TOFF(ugc_worker, ctr.zeropage_bytes), TOFF(ugc_worker, ctr.zeropage_calls),
	TOFF(ugc_worker, reserved),
	TOFF(ugc_service_stats, cpu_user_ns), TOFF(ugc_service_stats, cpu_sys_ns),
	TOFF(ugc_thread_cpu, user_ns), TOFF(ugc_thread_cpu, sys_ns),
	TOFF(ugc_fault_record, start_ns), TOFF(ugc_fault_record, stall_ns), TOFF(ugc_fault_record, page),
	TOFF(ugc_service_stats, recorded),
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

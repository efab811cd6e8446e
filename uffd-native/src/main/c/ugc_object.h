/*
 * ugc_object.h: the heap's object model, as plain data both sides can parse.
 *
 * The C page routine must find every reference in an object without asking
 * Java, so an object is self-describing: a header word names its size and its
 * layout, and the layout table (native memory, written by Java) says where the
 * references are.
 *
 *   header word (8 bytes, little endian)
 *     bits  0..31  size of the object in 8-byte words, header included
 *     bits 32..51  layout id, an index into the layout table (0 is never valid)
 *     bits 52..54  array tail padding: unused bytes at the end of the last word
 *     bit  55      identity: the object's last word is its identity (below)
 *     bits 56..63  UGC_HDR_MAGIC, so a stray word is not taken for a header
 *
 *   record     header | nrefs x ugc_ref | pad to 8 | data_bytes of raw data
 *   ref array  header | length x ugc_ref | pad to 8
 *   prim array header | length x elem_bytes | pad to 8
 *   filler     header | (size - 1) words of nothing: dead space kept parseable
 *
 * An object allocated with an identity (header bit 55) has one more word at its
 * end, counted in its size but not in its payload: a 64-bit number the heap gave
 * it at allocation, unique in the heap and never changed, so it survives every
 * compaction (the word moves with the object). A record's size is then
 * size_words + 1, an array's payload (size - 2) words less its padding. Fillers
 * never have one.
 *
 * Twenty layout bits give UGC_MAX_LAYOUTS = 2^20 layouts: a replayed JVM heap
 * needs one per class and one per class object, and large programs load more
 * than 2^15 classes. The table is reserved at full size and committed as it fills.
 *
 * A reference (ugc_ref) is a 32-bit word offset from the heap's base; 0 is null
 * and the heap's first word never holds an object. Offsets survive the flip
 * unchanged in form (only their value is forwarded), halve the size of every
 * reference slot, and cap a heap at 2^32 words = 32 GiB (README: "References").
 */
#ifndef UGC_OBJECT_H
#define UGC_OBJECT_H

#include <stdint.h>
#include "ugc_abi.h"

typedef uint32_t ugc_ref;

#define UGC_WORD_BYTES 8
#define UGC_REF_BYTES 4
#define UGC_REF_NULL 0
/* Largest heap a 32-bit word offset can address. */
#define UGC_MAX_HEAP_BYTES (1ULL << 35)

#define UGC_HDR_SIZE_MASK    0xFFFFFFFFULL
#define UGC_HDR_LAYOUT_SHIFT 32
#define UGC_HDR_LAYOUT_MASK  0xFFFFFULL
#define UGC_HDR_PAD_SHIFT    52
#define UGC_HDR_PAD_MASK     0x7ULL
#define UGC_HDR_IDENTITY_SHIFT 55
#define UGC_HDR_MAGIC_SHIFT  56
#define UGC_HDR_MAGIC        0xA7ULL

/* Layout kinds. */
#define UGC_KIND_RECORD     1
#define UGC_KIND_REF_ARRAY  2
#define UGC_KIND_PRIM_ARRAY 3
#define UGC_KIND_FILLER     4

/* Layout ids every heap has; records get ids from UGC_LAYOUT_FIRST_RECORD up. */
#define UGC_LAYOUT_FILLER       1
#define UGC_LAYOUT_REF_ARRAY    2
#define UGC_LAYOUT_BYTE_ARRAY   3
#define UGC_LAYOUT_INT_ARRAY    4
#define UGC_LAYOUT_LONG_ARRAY   5
#define UGC_LAYOUT_DOUBLE_ARRAY 6
#define UGC_LAYOUT_CHAR_ARRAY   7
#define UGC_LAYOUT_SHORT_ARRAY  8
#define UGC_LAYOUT_FLOAT_ARRAY  9
#define UGC_LAYOUT_FIRST_RECORD 16
#define UGC_MAX_LAYOUTS         (1 << 20)

/* One entry of the layout table. */
typedef struct ugc_layout {
	uint32_t kind;        /* UGC_KIND_* ; 0 marks an unused entry */
	uint32_t nrefs;       /* RECORD: reference slots, starting at byte offset 8 */
	uint32_t data_offset; /* RECORD: byte offset of the raw data (8 + nrefs*4 rounded up to 8) */
	uint32_t data_bytes;  /* RECORD: raw data bytes */
	uint32_t size_words;  /* RECORD: whole object in words, header included; arrays: 0 */
	uint32_t elem_bytes;  /* arrays: element size (REF_ARRAY: 4; PRIM_ARRAY: 1, 2, 4 or 8) */
} ugc_layout;

/*
 * What the C side knows of one heap. Java owns this struct (native memory) and
 * updates top only while every mutator is stopped at a heap safepoint.
 */
typedef struct ugc_heap {
	uint64_t base;      /* start of the heap's range */
	uint64_t capacity;  /* bytes reserved at base; a multiple of 2 MiB, at most UGC_MAX_HEAP_BYTES */
	uint64_t top;       /* [base, base+top) holds parseable objects and fillers */
	uint64_t layouts;   /* address of ugc_layout[nlayouts] */
	uint64_t nlayouts;
	uint64_t roots;     /* address of the root table: ugc_ref[nroots], 0 in a free slot */
	uint64_t nroots;
	/* A second table as large as roots, or 0. The collector writes the roots' forwarded values
	 * there beside the mutators and the flip swaps the two (roots <-> roots_next), so the pause
	 * touches only the slots written since (gc/roots.c). Java follows roots after every flip. */
	uint64_t roots_next;
	/* A byte per UGC_ROOT_CARD_SLOTS root slots (0 if roots_next is): from the heap safepoint
	 * that clears them (Java's TAIL pause, before ugc_gc_plan_tail_ahead; never beside the
	 * mutators) to the flip, whoever writes a slot first sets its card to 1 (if it reads 0). */
	uint64_t root_cards;
} ugc_heap;

/* Root slots per card byte (root_cards): 32, a 128-byte stretch of the root table. */
#define UGC_ROOT_CARD_SHIFT 5
#define UGC_ROOT_CARD_SLOTS (1 << UGC_ROOT_CARD_SHIFT)

/*
 * A hash of everything reachable from the roots: each object's header (size,
 * layout, padding), the null/non-null pattern of its references and all its data,
 * in depth-first order from the root slots. It does not depend on where objects
 * are, so it is equal before and after a compaction that loses nothing. Call it
 * while the heap is quiescent (a heap safepoint) and fully mapped. Returns 0, or
 * -EINVAL when it meets a header or reference that is not valid (the verifier
 * says which), -ENOMEM when its own bookkeeping cannot be allocated.
 */
UGC_API int ugc_heap_checksum(uint64_t heap, uint64_t *hash_out, uint64_t *objects_out, uint64_t *bytes_out);

#endif

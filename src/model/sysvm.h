/*
 * sysvm.h - the /proc/sys/vm tunables that watermarks, lowmem reserves and
 * compaction decisions depend on.  Each lives in its own file; a missing
 * file leaves its bit clear in have.
 */
#ifndef FRAGSCOPE_SYSVM_H
#define FRAGSCOPE_SYSVM_H

#include <stdint.h>

#include "limits.h"

enum {
	SYSVM_MIN_FREE_KBYTES = 1u << 0,
	SYSVM_WATERMARK_SCALE_FACTOR = 1u << 1,
	SYSVM_LOWMEM_RESERVE_RATIO = 1u << 2,
	SYSVM_EXTFRAG_THRESHOLD = 1u << 3,
	SYSVM_COMPACTION_PROACTIVENESS = 1u << 4,
	SYSVM_WATERMARK_BOOST_FACTOR = 1u << 5,
};

struct sysvm {
	unsigned have;
	int64_t min_free_kbytes;
	int64_t watermark_scale_factor;
	int64_t lowmem_reserve_ratio[FS_MAX_ZONES];
	unsigned nr_lowmem_reserve_ratio;
	int64_t extfrag_threshold;
	int64_t compaction_proactiveness;
	int64_t watermark_boost_factor;
};

/* The file names under proc/sys/vm/, indexed by bit position above. */
extern const char *const sysvm_files[6];

#endif

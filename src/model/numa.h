/*
 * numa.h - /sys/devices/system/node: which nodes exist, their distances,
 * per-node meminfo and per-node hugepage pools.
 */
#ifndef FRAGSCOPE_NUMA_H
#define FRAGSCOPE_NUMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meminfo.h"

struct hugepage_pool {
	uint64_t size_kb;   /* from the directory name hugepages-<size>kB */
	uint64_t nr;        /* nr_hugepages */
	uint64_t free;      /* free_hugepages */
	uint64_t surplus;   /* surplus_hugepages */
	unsigned have;      /* bit 0 nr, bit 1 free, bit 2 surplus */
};

struct numa_node {
	int id;
	bool has_memory;          /* listed in has_memory (when that file exists) */
	int *distance;            /* distances to the nodes in numa.nodes order; NULL if unknown */
	size_t nr_distance;
	bool has_meminfo;
	struct meminfo meminfo;   /* field names without the "Node N " prefix */
	struct hugepage_pool *hp;
	size_t nr_hp;
};

struct numa {
	struct numa_node *nodes;  /* sorted by id */
	size_t n;
};

const struct numa_node *numa_find(const struct numa *nm, int id);
void numa_free(struct numa *nm);

#endif

/*
 * numa.c - lookup and release of the NUMA node model (see numa.h).
 */
#include <stdlib.h>

#include "numa.h"

const struct numa_node *numa_find(const struct numa *nm, int id)
{
	if (!nm)
		return NULL;
	/* Linear: a handful of nodes, and it does not rely on the order. */
	for (size_t i = 0; i < nm->n; i++)
		if (nm->nodes[i].id == id)
			return &nm->nodes[i];
	return NULL;
}

void numa_free(struct numa *nm)
{
	if (!nm)
		return;
	for (size_t i = 0; i < nm->n; i++) {
		struct numa_node *nd = &nm->nodes[i];

		free(nd->distance);
		meminfo_free(&nd->meminfo);
		free(nd->hp);
	}
	free(nm->nodes);
	nm->nodes = NULL;
	nm->n = 0;
}

/*
 * meminfo.c - lookups in the ordered field list of /proc/meminfo and the
 * per-node meminfo files (see meminfo.h).  Lookups are linear and the
 * first field of a name wins: the list is ~60 entries, read once per run.
 */
#include <stdlib.h>
#include <string.h>

#include "meminfo.h"
#include "../util/util.h"

const struct meminfo_field *meminfo_find(const struct meminfo *mi, const char *name)
{
	if (!mi || !name)
		return NULL;
	for (size_t i = 0; i < mi->n; i++)
		if (strcmp(mi->f[i].name, name) == 0)
			return &mi->f[i];
	return NULL;
}

bool meminfo_get(const struct meminfo *mi, const char *name, uint64_t *ret)
{
	const struct meminfo_field *f = meminfo_find(mi, name);

	if (!f)
		return false;
	*ret = f->value;
	return true;
}

bool meminfo_get_bytes(const struct meminfo *mi, const char *name, uint64_t *ret)
{
	const struct meminfo_field *f = meminfo_find(mi, name);
	uint64_t v;

	if (!f)
		return false;
	if (!f->kb) {
		*ret = f->value;
		return true;
	}
	if (mul_overflow_u64(f->value, 1024, &v))
		return false;
	*ret = v;
	return true;
}

void meminfo_free(struct meminfo *mi)
{
	if (!mi)
		return;
	for (size_t i = 0; i < mi->n || i < mi->named; i++)
		free(mi->f[i].name);
	free(mi->f);
	mi->f = NULL;
	mi->n = mi->cap = mi->named = 0;
	mi->legacy_header = false;
}

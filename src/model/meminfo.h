/*
 * meminfo.h - /proc/meminfo (and the per-node
 * /sys/devices/system/node/nodeN/meminfo) as an ordered list of fields.
 *
 * Every field in the file is kept, in file order, including ones this
 * program does not know.  A field the kernel did not print is absent:
 * meminfo_get() returns false, never a silent 0.
 */
#ifndef FRAGSCOPE_MEMINFO_H
#define FRAGSCOPE_MEMINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct meminfo_field {
	char *name;     /* owned, e.g. "MemTotal", "Active(anon)", "HugePages_Total" */
	uint64_t value; /* the number as printed */
	bool kb;        /* printed with a " kB" unit: bytes = value * 1024 */
	unsigned line;  /* 1-based line in the file */
};

struct meminfo {
	struct meminfo_field *f;
	size_t n;
	size_t cap;
	size_t named;       /* f[0 .. named) own their names (a re-parse keeps them); >= n */
	bool legacy_header; /* 2.4-style "total: used: free:" + Mem:/Swap: lines were present (and skipped) */
};

/* Raw printed value of field name; false if absent. */
bool meminfo_get(const struct meminfo *mi, const char *name, uint64_t *ret);
/* Value in bytes for a kB field, the count for a unitless one; false if
 * absent or if bytes would overflow 64 bits. */
bool meminfo_get_bytes(const struct meminfo *mi, const char *name, uint64_t *ret);
const struct meminfo_field *meminfo_find(const struct meminfo *mi, const char *name);
void meminfo_free(struct meminfo *mi);

#endif

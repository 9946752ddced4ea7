/*
 * kv.h - an ordered list of (name, unsigned value) pairs.  Used for
 * /proc/vmstat, zoneinfo's counter blocks and every "unknown field" that a
 * parser keeps instead of dropping.  Lookups are linear: lists are short
 * (a few hundred entries) and read once per run.
 */
#ifndef FRAGSCOPE_KV_H
#define FRAGSCOPE_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kv {
	char *name;      /* owned, NUL-terminated */
	uint64_t value;
};

struct kvlist {
	struct kv *items;
	size_t n;
	size_t cap;
	size_t named;    /* items[0 .. named) own their names; named >= n */
};

/* Append a copy of name[0..namelen).  0 or -ENOMEM. */
int kvlist_add(struct kvlist *l, const char *name, size_t namelen, uint64_t value);
/* First entry with this name, or NULL. */
const struct kv *kvlist_find(const struct kvlist *l, const char *name);
/* true and *ret set if present; false (ret untouched) if absent. */
bool kvlist_get(const struct kvlist *l, const char *name, uint64_t *ret);
void kvlist_free(struct kvlist *l);

/*
 * Empty the list for a re-parse of the same file, keeping its memory:
 * kvlist_add() then reuses the array and, where the name at that position
 * is the same as last time, the name.  A live view re-reads vmstat and
 * zoneinfo on every refresh, and the kernel prints the same names each
 * time, so a refresh allocates nothing for them and its heap cannot drift.
 */
void kvlist_recycle(struct kvlist *l);
/* Free the names a recycled list kept past its new end. */
void kvlist_trim(struct kvlist *l);

#endif

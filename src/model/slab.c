/*
 * slab.c - the slab model (slab.h): freeing, merging the /sys/kernel/slab
 * directories into the /proc/slabinfo caches, lookup, and the derived
 * per-cache figures.  No I/O.
 *
 * Merging.  /proc/slabinfo lists every cache once per kmem_cache under
 * its name; /sys/kernel/slab (SLUB) has a directory per kmem_cache too,
 * but a mergeable cache's directory is named by a unique id
 * (":A-0000192", kernel.md 4.3) and every name merged into it, the
 * surviving one included, is a symlink to it.  The loader reports one
 * entry per directory with the symlink names in alias_names; merging
 * matches a directory to a /proc cache by its own name first, then by
 * those aliases.  Names are matched through one sorted index of the /proc
 * caches, so merging n caches costs O((n + aliases) log n).
 *
 * Derived figures follow tools/mm/slabinfo.c (kernel.md 4.4) and slabtop:
 *
 *	cache bytes  = slabs x (PAGE_SIZE << order)         ("Space")
 *	             | num_slabs x pagesperslab x PAGE_SIZE  (slabtop CACHE SIZE)
 *	active bytes = objects x object_size                 ("Used")
 *	             | active_objs x objsize                 (estimate: slot size)
 *	waste        = cache bytes - active bytes            ("Loss"), >= 0
 *	USE %        = active_objs x 100 / num_objs          (slabtop, rounded down)
 *
 * The sysfs form is used when the cache has the sysfs files, so every
 * figure of one cache comes from one read of one source.  Both forms
 * assume every slab has the preferred order; a slab allocated at the
 * fallback order (kernel.md 4.2) is counted too large.
 */
#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "slab.h"
#include "../util/util.h"

void slab_counter_free(struct slab_counter *c)
{
	if (!c)
		return;
	free(c->node);
	c->node = NULL;
	c->nr_node = 0;
}

void slab_cache_free(struct slab_cache *c)
{
	if (!c)
		return;
	free(c->name);
	kvlist_free(&c->globalstat);
	slab_counter_free(&c->objects);
	slab_counter_free(&c->total_objects);
	slab_counter_free(&c->slabs);
	slab_counter_free(&c->partial);
	slab_counter_free(&c->objects_partial);
	slab_counter_free(&c->cpu_slabs);
	free(c->ctor);
	kvlist_free(&c->stats);
	for (size_t i = 0; i < c->nr_alias_names; i++)
		free(c->alias_names[i]);
	free(c->alias_names);
	free(c->sys_name);
	memset(c, 0, sizeof(*c));
}

void slabinfo_free(struct slabinfo *si)
{
	if (!si)
		return;
	for (size_t i = 0; i < si->n; i++)
		slab_cache_free(&si->c[i]);
	free(si->c);
	memset(si, 0, sizeof(*si));
}

const struct slab_cache *slabinfo_find(const struct slabinfo *si, const char *name)
{
	for (size_t i = 0; i < si->n; i++)
		if (si->c[i].name && strcmp(si->c[i].name, name) == 0)
			return &si->c[i];
	return NULL;
}

/* ---- merging ----------------------------------------------------------- */

static int cmp_name(const void *a, const void *b)
{
	const struct slab_cache *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* How many of the sorted caches v[0..n) are called name; *first is the
 * first of them. */
static size_t name_range(struct slab_cache *const *v, size_t n, const char *name, size_t *first)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (hi = lo; hi < n && strcmp(v[hi]->name, name) == 0; hi++)
		;
	return hi - lo;
}

static void mark_duplicates(struct slab_cache *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i]->have |= SC_DUPLICATE;
}

/* Remove (and free) every alias equal to name. */
static void drop_alias(struct slab_cache *c, const char *name)
{
	size_t i, j = 0;

	for (i = 0; i < c->nr_alias_names; i++) {
		if (c->alias_names[i] && strcmp(c->alias_names[i], name) == 0)
			free(c->alias_names[i]);
		else
			c->alias_names[j++] = c->alias_names[i];
	}
	c->nr_alias_names = j;
	if (j == 0) {
		free(c->alias_names);
		c->alias_names = NULL;
	}
}

/*
 * Give dst (a /proc/slabinfo cache) the sysfs part of src and empty src.
 * The whole of *src is taken and dst's /proc part copied over it, so
 * sysfs fields added to struct slab_cache later move without a change
 * here; only the /proc part (name .. line) is listed.
 */
static void attach(struct slab_cache *dst, struct slab_cache *src, bool via_alias)
{
	struct slab_cache old = *dst, m = *src;

	kvlist_free(&m.globalstat);          /* a sysfs entry has none */
	m.name = old.name;
	m.have = old.have | SC_SYSFS;
	m.active_objs = old.active_objs;
	m.num_objs = old.num_objs;
	m.objsize = old.objsize;
	m.objperslab = old.objperslab;
	m.pagesperslab = old.pagesperslab;
	m.limit = old.limit;
	m.batchcount = old.batchcount;
	m.sharedfactor = old.sharedfactor;
	m.active_slabs = old.active_slabs;
	m.num_slabs = old.num_slabs;
	m.sharedavail = old.sharedavail;
	m.globalstat = old.globalstat;
	m.line = old.line;
	if (via_alias) {
		free(m.sys_name);
		m.sys_name = src->name;      /* the directory: ":A-0000192" */
		drop_alias(&m, m.name);
	} else {
		free(src->name);
	}
	/* Whatever sysfs detail dst had (none, from the parser) goes. */
	old.name = NULL;
	memset(&old.globalstat, 0, sizeof(old.globalstat));
	slab_cache_free(&old);
	*dst = m;
	memset(src, 0, sizeof(*src));
}

int slabinfo_merge(struct slabinfo *proc, struct slabinfo *sys)
{
	size_t np = proc->n, total, i, first, k;
	struct slab_cache **v = NULL, *c;

	if (sys->n == 0) {
		slabinfo_free(sys);
		return 0;
	}
	if (__builtin_add_overflow(np, sys->n, &total) || total > SIZE_MAX / sizeof(*c))
		return -ENOMEM;
	/* Room for every sysfs-only cache now: nothing below can fail, and
	 * the index into proc->c stays valid while entries are appended. */
	c = realloc(proc->c, total * sizeof(*c));
	if (!c)
		return -ENOMEM;
	proc->c = c;
	if (np) {
		v = malloc(np * sizeof(*v));
		if (!v)
			return -ENOMEM;
		for (i = 0; i < np; i++)
			v[i] = &proc->c[i];
		qsort(v, np, sizeof(*v), cmp_name);
	}

	for (i = 0; i < sys->n; i++) {
		struct slab_cache *s = &sys->c[i], *target = NULL;
		bool via_alias = false, drop = false;

		if (!s->name) {
			slab_cache_free(s);
			continue;
		}
		k = name_range(v, np, s->name, &first);
		if (k == 1) {
			target = v[first];
		} else if (k > 1) {
			mark_duplicates(v + first, k);
			drop = true;
		} else {
			for (size_t a = 0; a < s->nr_alias_names; a++) {
				if (!s->alias_names[a])
					continue;
				k = name_range(v, np, s->alias_names[a], &first);
				if (k == 0)
					continue;
				if (k > 1)
					mark_duplicates(v + first, k);
				if (k > 1 || (target && target != v[first]))
					drop = true;
				target = v[first];
			}
			via_alias = target != NULL;
		}
		if (target && (target->have & SC_SYSFS))
			drop = true;
		if (drop) {
			slab_cache_free(s);
		} else if (target) {
			attach(target, s, via_alias);
		} else {
			proc->c[proc->n] = *s;
			proc->c[proc->n].have |= SC_SYSFS;
			proc->n++;
			memset(s, 0, sizeof(*s));
		}
	}
	free(v);
	free(sys->c);
	memset(sys, 0, sizeof(*sys));
	return 0;
}

/* ---- derived figures ---------------------------------------------------- */

/* The k-th cache called name in si (k from 0), at hint when that fits. */
static struct slab_cache *nth_named(struct slabinfo *si, size_t hint, const char *name, unsigned k)
{
	if (hint < si->n && strcmp(si->c[hint].name, name) == 0 && k == 0 &&
	    !(si->c[hint].have & SC_DUPLICATE))
		return &si->c[hint];
	for (size_t i = 0; i < si->n; i++)
		if (si->c[i].name && strcmp(si->c[i].name, name) == 0 && k-- == 0)
			return &si->c[i];
	return NULL;
}

int slabinfo_refresh(struct slabinfo *si, struct slabinfo *fresh)
{
	const size_t tail = offsetof(struct slab_cache, sys);
	size_t only_sys = 0;

	for (size_t i = 0; i < si->n; i++)
		only_sys += si->c[i].have == SC_SYSFS;
	if (only_sys) {
		struct slab_cache *grown = realloc(fresh->c, (fresh->n + only_sys) * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		fresh->c = grown;
	}
	for (size_t i = 0; i < fresh->n; i++) {
		struct slab_cache *nc = &fresh->c[i], *oc;
		unsigned k = 0;

		if (nc->have & SC_DUPLICATE)
			for (size_t j = 0; j < i; j++)
				k += strcmp(fresh->c[j].name, nc->name) == 0;
		oc = nth_named(si, i, nc->name, k);
		if (!oc || !(oc->have & SC_SYSFS))
			continue;
		/* Move the sysfs tail: nc's is empty (a parse), oc's is taken. */
		memcpy((char *)nc + tail, (char *)oc + tail, sizeof(*nc) - tail);
		memset((char *)oc + tail, 0, sizeof(*oc) - tail);
		nc->have |= oc->have & (SC_SYSFS | SC_DUPLICATE);
		oc->have &= ~SC_SYSFS;
	}
	/* sysfs-only caches (no /proc line) keep their place at the end. */
	for (size_t i = 0; i < si->n; i++) {
		struct slab_cache *oc = &si->c[i];

		if (oc->have != SC_SYSFS)
			continue;
		fresh->c[fresh->n++] = *oc;
		memset(oc, 0, sizeof(*oc));
	}
	fresh->slab_allocator = fresh->slab_allocator || si->slab_allocator;
	slabinfo_free(si);
	*si = *fresh;
	memset(fresh, 0, sizeof(*fresh));
	return 0;
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	uint64_t r;

	return mul_overflow_u64(a, b, &r) ? UINT64_MAX : r;
}

uint64_t slab_active_objs(const struct slab_cache *c)
{
	if (c->sys & SYS_OBJECTS)
		return c->objects.total;
	return (c->have & SC_SLABINFO) ? c->active_objs : 0;
}

uint64_t slab_num_objs(const struct slab_cache *c)
{
	if (c->sys & SYS_TOTAL_OBJECTS)
		return c->total_objects.total;
	return (c->have & SC_SLABINFO) ? c->num_objs : 0;
}

uint64_t slab_cache_bytes(const struct slab_cache *c, uint64_t page_size)
{
	if ((c->sys & (SYS_SLABS | SYS_ORDER)) == (SYS_SLABS | SYS_ORDER)) {
		uint64_t slab_bytes;

		if (c->slabs.total == 0)
			return 0;
		if (c->order >= 64 || page_size > (UINT64_MAX >> c->order))
			return page_size ? UINT64_MAX : 0;
		slab_bytes = page_size << c->order;
		return mul_sat(c->slabs.total, slab_bytes);
	}
	if (c->have & SC_SLABINFO)
		return mul_sat(mul_sat(c->num_slabs, c->pagesperslab), page_size);
	return 0;
}

uint64_t slab_active_bytes(const struct slab_cache *c, bool *ret_estimate)
{
	uint64_t n = slab_active_objs(c), size = 0;
	bool estimate = true;

	if (c->sys & SYS_OBJECT_SIZE) {
		size = c->object_size;
		estimate = false;
	} else if (c->have & SC_SLABINFO) {
		size = c->objsize;
	} else if (c->sys & SYS_SLAB_SIZE) {
		size = c->slab_size;
	}
	if (ret_estimate)
		*ret_estimate = estimate;
	return mul_sat(n, size);
}

uint64_t slab_waste_bytes(const struct slab_cache *c, uint64_t page_size)
{
	uint64_t total = slab_cache_bytes(c, page_size), used = slab_active_bytes(c, NULL);

	return total > used ? total - used : 0;
}

unsigned slab_use_percent(const struct slab_cache *c)
{
	__extension__ typedef unsigned __int128 u128;
	uint64_t num = slab_num_objs(c);
	u128 pct;

	if (num == 0)
		return 0;
	pct = (u128)slab_active_objs(c) * 100 / num;
	return pct > UINT_MAX ? UINT_MAX : (unsigned)pct;
}

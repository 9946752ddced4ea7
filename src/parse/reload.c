/*
 * reload.c - keep a live view's inputs open and re-read them from offset
 * 0 on each refresh (see reload.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reload.h"
#include "parse.h"

/* One kept sys/kernel/slab/DIR/partial. */
struct kept_partial {
	char *dir;
	int fd;          /* -1: could not be opened (then not retried) */
};

struct reload {
	struct source *src;
	unsigned mask;
	struct load_opts opts;
	bool have_opts;
	bool loaded;
	int fd[IN__COUNT];            /* kept volatile inputs, -1 if none */
	struct buf b;
	double sysfs_interval, sysfs_last;
	int slab_dirfd;
	struct kept_partial *kp;      /* sorted by dir */
	size_t nkp;
};

/* The inputs re-read on each refresh. */
static const enum input_id volatile_inputs[] = {
	IN_MEMINFO, IN_VMSTAT, IN_BUDDYINFO, IN_ZONEINFO, IN_SLABINFO,
};

int reload_new(struct source *src, unsigned mask, const struct load_opts *opts,
	       double sysfs_interval, struct reload **ret)
{
	struct reload *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->src = src;
	r->mask = mask;
	if (opts) {
		r->opts = *opts;
		r->have_opts = true;
	}
	for (size_t i = 0; i < IN__COUNT; i++)
		r->fd[i] = -1;
	r->slab_dirfd = -1;
	r->sysfs_interval = sysfs_interval;
	*ret = r;
	return 0;
}

void reload_free(struct reload *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < IN__COUNT; i++)
		if (r->fd[i] >= 0)
			close(r->fd[i]);
	for (size_t i = 0; i < r->nkp; i++) {
		if (r->kp[i].fd >= 0)
			close(r->kp[i].fd);
		free(r->kp[i].dir);
	}
	free(r->kp);
	if (r->slab_dirfd >= 0)
		close(r->slab_dirfd);
	buf_free(&r->b);
	free(r);
}

/* Parse b into a fresh model of input id and swap it into m.  A parse
 * error empties the model and is recorded in m->in[id]. */
static int reparse(struct reload *r, struct machine *m, enum input_id id)
{
	struct input_status *st = &m->in[id];
	const char *data = r->b.data ? r->b.data : "";
	bool was_loaded = st->loaded;
	int e;

	st->loaded = false;
	st->err = 0;
	st->parse_error = false;
	switch (id) {
	case IN_MEMINFO:
		e = meminfo_reparse(data, r->b.len, st->path, &m->meminfo, &st->perr);
		break;
	case IN_VMSTAT:
		e = vmstat_reparse(data, r->b.len, st->path, &m->vmstat, &st->perr);
		break;
	case IN_BUDDYINFO: {
		struct buddyinfo v;

		memset(&v, 0, sizeof(v));
		e = buddyinfo_parse(data, r->b.len, st->path, &v, &st->perr);
		buddyinfo_free(&m->buddy);
		if (e == 0)
			m->buddy = v;
		break;
	}
	case IN_ZONEINFO:
		e = zoneinfo_reparse(data, r->b.len, st->path, &m->zi, &st->perr);
		break;
	case IN_SLABINFO: {
		struct slabinfo v;

		/* The same caches as last time: just the numbers. */
		if (was_loaded && slabinfo_update(&m->slab, data, r->b.len) == 0) {
			st->loaded = true;
			return 0;
		}
		memset(&v, 0, sizeof(v));
		e = slabinfo_parse(data, r->b.len, st->path, &v, &st->perr);
		if (e == 0) {
			e = slabinfo_refresh(&m->slab, &v);
			if (e < 0)
				slabinfo_free(&v);
			else
				st->loaded = true;
			return e == -ENOMEM ? e : 0;
		}
		slabinfo_free(&m->slab);
		break;
	}
	default:
		return 0;
	}
	if (e == 0) {
		st->loaded = true;
		return 0;
	}
	st->err = e;
	st->parse_error = e != -ENOMEM;
	st->perr.file = st->path;
	return e == -ENOMEM ? e : 0;
}

static int cmp_kp(const void *a, const void *b)
{
	return strcmp(((const struct kept_partial *)a)->dir, ((const struct kept_partial *)b)->dir);
}

/* The kept descriptor of DIR/partial, opened on first use. */
static struct kept_partial *kept(struct reload *r, const char *dir)
{
	struct kept_partial key = { (char *)dir, -1 }, *k, *grown;
	char rel[512];

	k = r->nkp ? bsearch(&key, r->kp, r->nkp, sizeof(*k), cmp_kp) : NULL;
	if (k)
		return k;
	grown = realloc(r->kp, (r->nkp + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	r->kp = grown;
	key.dir = strdup(dir);
	if (!key.dir)
		return NULL;
	snprintf(rel, sizeof(rel), "%s/partial", dir);
	key.fd = source_openat_at(r->src, r->slab_dirfd, rel, O_RDONLY);
	r->kp[r->nkp++] = key;
	qsort(r->kp, r->nkp, sizeof(*k), cmp_kp);
	return bsearch(&key, r->kp, r->nkp, sizeof(*k), cmp_kp);
}

/* Re-read the partial-slab count of every cache that has slabs. */
static int refresh_partial(struct reload *r, struct machine *m)
{
	for (size_t i = 0; i < m->slab.n; i++) {
		struct slab_cache *c = &m->slab.c[i];
		struct slab_counter v = { 0 };
		struct parse_error perr;
		struct kept_partial *k;

		if (!(c->have & SC_SYSFS) || !(c->sys & SYS_PARTIAL))
			continue;
		if ((c->have & SC_SLABINFO) && c->num_slabs == 0) {
			slab_counter_free(&c->partial);
			c->partial.total = 0;
			continue;
		}
		k = kept(r, c->sys_name ? c->sys_name : c->name);
		if (!k)
			return -ENOMEM;
		if (k->fd < 0 || source_pread_all(k->fd, &r->b) < 0 ||
		    slabsys_counter_parse(r->b.data ? r->b.data : "", r->b.len, "partial", &v, &perr) < 0) {
			/* Gone or unreadable now: no partial count rather than a stale one. */
			slab_counter_free(&c->partial);
			c->partial.total = 0;
			c->sys &= ~SYS_PARTIAL;
			continue;
		}
		slab_counter_free(&c->partial);
		c->partial = v;
	}
	return 0;
}

int reload_machine(struct reload *r, struct machine *m, double now)
{
	int e;

	if (!r->loaded) {
		e = machine_load_opts(r->src, r->mask, r->have_opts ? &r->opts : NULL, m);
		if (e < 0)
			return e;
		r->loaded = true;
		for (size_t i = 0; i < ARRAY_SIZE(volatile_inputs); i++) {
			enum input_id id = volatile_inputs[i];

			if ((r->mask & IN_BIT(id)) && m->in[id].loaded)
				r->fd[id] = source_openat(r->src, input_relpath(id), O_RDONLY);
		}
		if (m->in[IN_SLABSYS].loaded)
			r->slab_dirfd = source_openat(r->src, input_relpath(IN_SLABSYS), O_RDONLY | O_DIRECTORY);
		r->sysfs_last = now;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(volatile_inputs); i++) {
		enum input_id id = volatile_inputs[i];

		if (r->fd[id] < 0)
			continue;
		e = source_pread_all(r->fd[id], &r->b);
		if (e == -ENOMEM)
			return e;
		if (e < 0) {
			m->in[id].loaded = false;
			m->in[id].parse_error = false;
			m->in[id].err = e;
			continue;
		}
		e = reparse(r, m, id);
		if (e < 0)
			return e;
	}
	if (r->slab_dirfd >= 0 && m->in[IN_SLABINFO].loaded && now - r->sysfs_last >= r->sysfs_interval) {
		r->sysfs_last = now;
		return refresh_partial(r, m);
	}
	return 0;
}

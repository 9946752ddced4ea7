/*
 * load-slab.c - read /sys/kernel/slab (SLUB) into a struct slabinfo (see
 * slab_sysfs_load() in load.h; the files are in reference/kernel.md 4.3).
 *
 * The directory holds one subdirectory per cache and one symlink per
 * cache name that was merged into another: "cred -> :A-0000192".  A
 * subdirectory is named after the cache when the cache can never be
 * merged (kmalloc-192), else after a unique id (":A-0000192", flags then
 * s->size), and then every name of the cache, the first one included, is
 * a symlink to it.  So a cache's alias_names are the names of the
 * symlinks that point at its directory, and /proc/slabinfo's name for it
 * is one of them.
 *
 * Speed: `fragscope slab` must stay within twice `slabtop -o`, which
 * reads /proc/slabinfo only, while every sysfs file is a separate open,
 * read and close of a kernfs file whose show() runs on read (a 6.18 VM
 * with 235 caches: about 1.3 ms per file name, 40 ms for every file).
 * So each detail level reads only the files it needs and no file twice:
 *   - what /proc/slabinfo already gave is not read again (see
 *     slab_sysfs_load() in load.h);
 *   - a merged cache's directory name spells its flags, so its
 *     reclaim_account file is not read (unique_id_reclaim());
 *   - files are opened as "CACHE/FILE" relative to the directory's fd
 *     (no per-cache directory open: that costs more than the extra path
 *     component), with one read() each (source_read_at());
 *   - the cache directories are listed only at SLAB_DETAIL_FULL, which
 *     must find the optional CONFIG_SLUB_STATS files.
 *
 * Errors: a file that does not exist is an attribute this kernel does not
 * have (its SYS_* bit stays clear).  The attribute files are mode 0400,
 * so for a non-root user the first one fails with EACCES: that, or any
 * other error on an attribute the model knows, fails the whole input
 * once, with that file's path, and nothing is kept.  A cache that
 * disappears between the listing and its reads (live only) is dropped.
 * Files the parser does not know are read leniently at SLAB_DETAIL_FULL
 * and skipped when unreadable.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "parse.h"

#define SLAB_DIR "sys/kernel/slab"

/*
 * What the default `fragscope slab` table shows: object size, partial
 * slabs, reclaimability, slabs and slab order (partial and slabs also
 * carry their per-node values).  reclaim_account is skipped when the
 * directory name tells it; slabs and order when the cache's
 * /proc/slabinfo line gives them (num_slabs, pagesperslab); and every file
 * when that line has no slabs (an empty cache: its counters are zero, and
 * its object size and flags are left unread).  The loop in
 * slab_sysfs_load() relies on this order.
 */
static const char *const basic_files[] = {
	"object_size", "partial", "reclaim_account", "slabs", "order",
};
/* SLAB_DETAIL_NODES adds the other per-node counters, and slabs when
 * BASIC skipped it (node_files[0]). */
static const char *const node_files[] = {
	"slabs", "objects", "total_objects", "objects_partial", "cpu_slabs",
};

struct loader {
	struct source *src;
	struct input_status *st;
	struct buf b;
	bool failed;          /* st records why; stop */
};

/* Record a failure on file (NULL: the cache directory itself). */
static void fail_read(struct loader *l, const char *cache, const char *file, int err)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), SLAB_DIR "/%s%s%s", cache, file ? "/" : "", file ? file : "");
	snprintf(l->st->path, sizeof(l->st->path), "%s", source_display(l->src, rel));
	l->st->err = err;
	l->failed = true;
}

static void fail_parse(struct loader *l, const char *cache, const char *file, int err)
{
	fail_read(l, cache, file, err);
	l->st->parse_error = true;
	l->st->perr.file = l->st->path;
}

/*
 * Read and parse one attribute: rel is its path relative to dirfd (the
 * cache's directory, or "CACHE/FILE" under sys/kernel/slab).  strict: a
 * file the model knows, whose failure fails the input; otherwise read
 * errors just skip the file.  Returns -ENOMEM or 0 (l->failed says
 * whether to stop).
 */
static int read_attr(struct loader *l, int dirfd, const char *rel, struct slab_cache *c,
		     const char *file, bool strict)
{
	int r = source_read_at(l->src, dirfd, rel, &l->b);

	if (r == -ENOMEM)
		return r;
	/* Absent in this kernel; or (live) the cache was destroyed since the
	 * listing: kernfs then answers ENOENT, or ENODEV once open. */
	if (r == -ENOENT || r == -ENODEV)
		return 0;
	if (r < 0) {
		if (strict)
			fail_read(l, c->name, file, r);
		return 0;
	}
	/* The parser gets a placeholder name: the display path is built
	 * only when there is an error to show. */
	r = slabsys_attr_parse(file, l->b.data ? l->b.data : "", l->b.len, "", c, &l->st->perr);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		fail_parse(l, c->name, file, r);
	return 0;
}

/* The files named, as "CACHE/FILE" under the slab directory dfd. */
static int read_list(struct loader *l, int dfd, struct slab_cache *c, const char *const *files,
		     size_t n)
{
	char rel[PATH_MAX];
	size_t len = strlen(c->name);

	if (len + 2 > sizeof(rel))
		return 0;
	memcpy(rel, c->name, len);
	rel[len++] = '/';
	for (size_t i = 0; i < n && !l->failed; i++) {
		size_t fl = strlen(files[i]);
		int r;

		if (len + fl + 1 > sizeof(rel))
			continue;
		memcpy(rel + len, files[i], fl + 1);
		r = read_attr(l, dfd, rel, c, files[i], true);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * A merged cache's directory is named by create_unique_id() (mm/slub.c):
 * ':', one letter per flag that merging matches ('d' SLAB_CACHE_DMA, 'D'
 * DMA32, 'a' SLAB_RECLAIM_ACCOUNT, 'F' consistency checks, 'A'
 * SLAB_ACCOUNT; 't' meant "kmemcheck tracked" until 4.15), '-' if there
 * was a letter, then s->size in 7 digits: ":a-0000192", ":0000064".
 * Returns 1 or 0 for reclaim_account when name has that form, else -1.
 */
static int unique_id_reclaim(const char *name)
{
	const char *p = name + 1;
	bool reclaim = false;
	size_t digits;

	if (name[0] != ':')
		return -1;
	if (*p && strchr(p, '-')) {
		for (; *p != '-'; p++) {
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
				return -1;
			reclaim |= *p == 'a';
		}
		if (p == name + 1)
			return -1;
		p++;
	}
	digits = strspn(p, "0123456789");
	if (digits < 7 || p[digits])
		return -1;
	return reclaim;
}

/* SLAB_DETAIL_FULL: every regular file of the cache's directory. */
static int read_all(struct loader *l, int dfd, struct slab_cache *c)
{
	struct source_entry *e = NULL;
	size_t n = 0;
	int cfd, r;

	cfd = source_openat_at(l->src, dfd, c->name, O_RDONLY | O_DIRECTORY);
	if (cfd == -ENOENT) {
		c->have = 0;            /* destroyed since the listing */
		return 0;
	}
	if (cfd < 0) {
		if (cfd != -ENOMEM)
			fail_read(l, c->name, NULL, cfd);
		return cfd == -ENOMEM ? cfd : 0;
	}
	r = source_list_at(l->src, cfd, &e, &n);
	if (r < 0) {
		close(cfd);
		if (r != -ENOMEM)
			fail_read(l, c->name, NULL, r);
		return r == -ENOMEM ? r : 0;
	}
	for (size_t i = 0; i < n && !l->failed; i++) {
		enum slabsys_attr_class k;

		if (e[i].type != DT_REG)
			continue;
		k = slabsys_attr_class(e[i].name);
		if (k == SLABSYS_CONTROL)
			continue;
		r = read_attr(l, cfd, e[i].name, c, e[i].name, k == SLABSYS_KNOWN);
		if (r < 0)
			break;
	}
	source_entries_free(e, n);
	close(cfd);
	return r < 0 ? r : 0;
}

static int cmp_cache_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct slab_cache *)elem)->name);
}

/* "cred -> :A-0000192": add the link's name to its target cache. */
static int add_alias(struct loader *l, int dfd, const char *link, struct slab_cache *c, size_t n)
{
	char target[PATH_MAX];
	const char *base;
	struct slab_cache *t;
	char **names, *s;
	size_t len;
	int r;

	r = source_readlink_at(l->src, dfd, link, target, sizeof(target));
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0;               /* gone since the listing, or not a link */
	/* 6.x writes the bare name; accept "../slab/NAME" and absolute
	 * forms too: the last component names the cache directory. */
	len = strlen(target);
	while (len > 1 && target[len - 1] == '/')
		target[--len] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	t = n ? bsearch(base, c, n, sizeof(*c), cmp_cache_name) : NULL;
	if (!t)
		return 0;               /* dangling: not a cache of this directory */
	s = strdup(link);
	names = s ? realloc(t->alias_names, (t->nr_alias_names + 1) * sizeof(*names)) : NULL;
	if (!names) {
		free(s);
		return -ENOMEM;
	}
	names[t->nr_alias_names++] = s;
	t->alias_names = names;
	return 0;
}

/* ---- what /proc/slabinfo already said ---------------------------------- */

static int cmp_proc_ptr(const void *a, const void *b)
{
	return strcmp((*(struct slab_cache *const *)a)->name, (*(struct slab_cache *const *)b)->name);
}

static int cmp_key_proc(const void *key, const void *elem)
{
	return strcmp(key, (*(struct slab_cache *const *)elem)->name);
}

/* The one cache of the sorted index called name; NULL if none or several. */
static const struct slab_cache *proc_unique(struct slab_cache *const *v, size_t n, const char *name)
{
	struct slab_cache *const *p = n ? bsearch(name, v, n, sizeof(*v), cmp_key_proc) : NULL;

	if (!p)
		return NULL;
	if ((p > v && strcmp(p[-1]->name, name) == 0) || (p + 1 < v + n && strcmp(p[1]->name, name) == 0))
		return NULL;
	return *p;
}

/* c's /proc/slabinfo line: by its directory name, else by an alias that
 * names one line (and no alias naming another). */
static const struct slab_cache *proc_match(struct slab_cache *const *v, size_t n,
					   const struct slab_cache *c)
{
	const struct slab_cache *hit = proc_unique(v, n, c->name);

	if (hit)
		return hit;
	for (size_t a = 0; a < c->nr_alias_names; a++) {
		const struct slab_cache *h = proc_unique(v, n, c->alias_names[a]);

		if (h && hit && h != hit)
			return NULL;
		if (h)
			hit = h;
	}
	return hit;
}

/* Every counter of a cache without slabs is 0 (and has no node values). */
static void zero_counters(struct slab_cache *c, bool nodes)
{
	c->sys |= SYS_PARTIAL;
	if (nodes)
		c->sys |= SYS_SLABS | SYS_OBJECTS | SYS_TOTAL_OBJECTS | SYS_OBJECTS_PARTIAL | SYS_CPU_SLABS;
}

int slab_sysfs_load(struct source *src, const struct load_opts *opts, const struct slabinfo *proc,
		    struct slabinfo *ret, struct input_status *st)
{
	enum slab_detail detail = opts ? opts->slab_detail : SLAB_DETAIL_BASIC;
	struct slab_cache **pv = NULL;
	size_t npv = 0;
	struct loader l = { .src = src, .st = st, .b = BUF_INIT };
	struct source_entry *e = NULL;
	struct slab_cache *c = NULL;
	size_t ne = 0, n = 0, ndir = 0, keep;
	struct slabinfo si = { 0 };
	int dfd, r;

	st->attempted = true;
	snprintf(st->path, sizeof(st->path), "%s", source_display(src, SLAB_DIR));
	dfd = source_openat(src, SLAB_DIR, O_RDONLY | O_DIRECTORY);
	if (dfd < 0) {
		st->err = dfd;
		return dfd == -ENOMEM ? dfd : 0;
	}
	r = source_list_at(src, dfd, &e, &ne);
	if (r < 0) {
		st->err = r;
		goto out;
	}
	for (size_t i = 0; i < ne; i++)
		ndir += e[i].type == DT_DIR;
	c = calloc(ndir ? ndir : 1, sizeof(*c));
	if (!c) {
		r = -ENOMEM;
		goto out;
	}
	/* The listing is sorted, so c[] is sorted by directory name. */
	for (size_t i = 0; i < ne; i++) {
		if (e[i].type != DT_DIR)
			continue;
		c[n].name = e[i].name;
		e[i].name = NULL;
		c[n++].have = SC_SYSFS;
	}
	for (size_t i = 0; i < ne; i++) {
		if (e[i].type != DT_LNK)
			continue;
		r = add_alias(&l, dfd, e[i].name, c, n);
		if (r < 0)
			goto out;
	}

	/* Below FULL, an index of the /proc/slabinfo names. */
	if (proc && proc->n && detail < SLAB_DETAIL_FULL) {
		pv = malloc(proc->n * sizeof(*pv));
		if (!pv) {
			r = -ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < proc->n; i++)
			if (proc->c[i].name)
				pv[npv++] = &proc->c[i];
		qsort(pv, npv, sizeof(*pv), cmp_proc_ptr);
	}

	for (size_t i = 0; i < n && !l.failed; i++) {
		struct slab_cache *ci = &c[i];

		/* Not selected: nothing read, so /proc/slabinfo's figures stand. */
		if (opts && opts->slab_select && !opts->slab_select(ci, opts->slab_select_arg))
			continue;
		if (detail >= SLAB_DETAIL_FULL) {
			r = read_all(&l, dfd, ci);
		} else {
			/* Its /proc/slabinfo line, if any, has slabs and order. */
			const struct slab_cache *pc = proc_match(pv, npv, ci);
			bool empty = pc && pc->num_slabs == 0;
			int rcl = unique_id_reclaim(ci->name);

			if (rcl >= 0) {
				ci->flags |= rcl ? SF_RECLAIM_ACCOUNT : 0;
				ci->flags_read |= SF_RECLAIM_ACCOUNT;
				ci->sys |= SYS_FLAGS;
			}
			if (empty) {
				/* No slabs: nothing to count, and its object size
				 * and flag would only decorate a row of zeros.
				 * Skipping them saves a third of the files. */
				zero_counters(ci, detail >= SLAB_DETAIL_NODES);
				continue;
			}
			/* basic_files[]: object_size, partial, reclaim_account, slabs, order. */
			r = read_list(&l, dfd, ci, basic_files, 2);
			if (!r && rcl < 0)
				r = read_list(&l, dfd, ci, basic_files + 2, 1);
			if (!r && !pc)
				r = read_list(&l, dfd, ci, basic_files + 3, 2);
			if (!r && detail >= SLAB_DETAIL_NODES)
				r = read_list(&l, dfd, ci, node_files + !pc, ARRAY_SIZE(node_files) - !pc);
			/* Not one file: the directory went away since the listing. */
			if (!(ci->sys & SYS_OBJECT_SIZE) && !(ci->sys & ~(SYS_FLAGS | SYS_PARTIAL)))
				ci->have = 0;
		}
		if (r < 0)
			goto out;
	}
	if (l.failed) {
		r = 0;
		goto out;
	}
	/* Drop the caches that vanished. */
	keep = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i].have)
			c[keep++] = c[i];
		else
			slab_cache_free(&c[i]);
	}
	si.c = c;
	si.n = keep;
	c = NULL;
	n = 0;
	*ret = si;
	st->loaded = true;
	r = 0;
out:
	for (size_t i = 0; i < n; i++)
		slab_cache_free(&c[i]);
	free(c);
	free(pv);
	source_entries_free(e, ne);
	buf_free(&l.b);
	close(dfd);
	return r == -ENOMEM ? r : 0;
}

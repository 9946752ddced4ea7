/*
 * load.c - read and parse a command's inputs into struct machine
 * (see load.h).  This is the only place that joins the source layer
 * (I/O) to the parsers (pure); it records but never reports failures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "parse.h"

static const struct {
	const char *name;
	const char *relpath;
} inputs[IN__COUNT] = {
	[IN_MEMINFO] = { "meminfo", "proc/meminfo" },
	[IN_VMSTAT] = { "vmstat", "proc/vmstat" },
	[IN_BUDDYINFO] = { "buddyinfo", "proc/buddyinfo" },
	[IN_PAGETYPEINFO] = { "pagetypeinfo", "proc/pagetypeinfo" },
	[IN_ZONEINFO] = { "zoneinfo", "proc/zoneinfo" },
	[IN_SYSVM] = { "vm sysctls", "proc/sys/vm" },
	[IN_NODES] = { "NUMA nodes", "sys/devices/system/node" },
	[IN_SLABINFO] = { "slabinfo", "proc/slabinfo" },
	[IN_SLABSYS] = { "slab sysfs", "sys/kernel/slab" },
};

const char *input_name(enum input_id id)
{
	return inputs[id].name;
}

const char *input_relpath(enum input_id id)
{
	return inputs[id].relpath;
}

static void status_begin(struct source *src, struct input_status *st, const char *relpath)
{
	st->attempted = true;
	snprintf(st->path, sizeof(st->path), "%s", source_display(src, relpath));
}

/* Record a parse failure: the parser stored a pointer to a temporary
 * display path, so re-point perr.file at the status's own copy. */
static void status_parse_failed(struct input_status *st, int r, const char *path)
{
	st->err = r;
	st->parse_error = true;
	if (path != st->path)
		snprintf(st->path, sizeof(st->path), "%s", path);
	st->perr.file = st->path;
}

typedef int (*parse_fn)(const char *buf, size_t len, const char *file, void *ret,
			struct parse_error *perr);

static int wrap_meminfo_parse(const char *buf, size_t len, const char *file, void *ret,
		  struct parse_error *perr)
{
	return meminfo_parse(buf, len, file, (struct meminfo *)ret, perr);
}

static int wrap_vmstat_parse(const char *buf, size_t len, const char *file, void *ret,
		  struct parse_error *perr)
{
	return vmstat_parse(buf, len, file, (struct kvlist *)ret, perr);
}

static int wrap_buddyinfo_parse(const char *buf, size_t len, const char *file, void *ret,
		  struct parse_error *perr)
{
	return buddyinfo_parse(buf, len, file, (struct buddyinfo *)ret, perr);
}

static int wrap_pagetypeinfo_parse(const char *buf, size_t len, const char *file, void *ret,
		  struct parse_error *perr)
{
	return pagetypeinfo_parse(buf, len, file, (struct pagetypeinfo *)ret, perr);
}

static int wrap_zoneinfo_parse(const char *buf, size_t len, const char *file, void *ret,
		  struct parse_error *perr)
{
	return zoneinfo_parse(buf, len, file, (struct zoneinfo *)ret, perr);
}

static int wrap_slabinfo_parse(const char *buf, size_t len, const char *file, void *ret,
		  struct parse_error *perr)
{
	return slabinfo_parse(buf, len, file, (struct slabinfo *)ret, perr);
}

static int load_one(struct source *src, struct buf *b, enum input_id id, void *model,
		    parse_fn fn, struct input_status *st)
{
	int r;

	status_begin(src, st, inputs[id].relpath);
	r = source_read(src, inputs[id].relpath, b);
	if (r < 0) {
		st->err = r;
		return r == -ENOMEM ? r : 0;
	}
	r = fn(b->data ? b->data : "", b->len, st->path, model, &st->perr);
	if (r < 0) {
		status_parse_failed(st, r, st->path);
		return r == -ENOMEM ? r : 0;
	}
	st->loaded = true;
	return 0;
}

static int load_sysvm(struct source *src, struct buf *b, struct machine *m)
{
	struct input_status *st = &m->in[IN_SYSVM];
	char rel[64];
	int missing = 0, first_err = 0;

	status_begin(src, st, inputs[IN_SYSVM].relpath);
	for (unsigned i = 0; i < ARRAY_SIZE(sysvm_files); i++) {
		const char *path;
		int r;

		snprintf(rel, sizeof(rel), "proc/sys/vm/%s", sysvm_files[i]);
		r = source_read(src, rel, b);
		if (r == -ENOMEM)
			return r;
		if (r == -ENOENT) {
			missing++;
			continue;
		}
		if (r < 0) {
			if (!first_err)
				first_err = r;
			continue;
		}
		path = source_display(src, rel);
		r = sysvm_parse(1u << i, b->data ? b->data : "", b->len, path, &m->vm, &st->perr);
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			status_parse_failed(st, r, path);
			return 0;
		}
	}
	if (missing == (int)ARRAY_SIZE(sysvm_files))
		st->err = -ENOENT;
	else if (first_err && !m->vm.have)
		st->err = first_err;
	else
		st->loaded = true;
	return 0;
}

static int node_id_of(const char *name)
{
	char *end;
	long v;

	if (strncmp(name, "node", 4) != 0 || name[4] < '0' || name[4] > '9')
		return -1;
	v = strtol(name + 4, &end, 10);
	if (*end || v < 0 || v > 65535)
		return -1;
	return (int)v;
}

/* Read one small sysfs file and parse it; -ENOENT etc. pass through. */
static int read_parse(struct source *src, struct buf *b, const char *rel,
		      struct input_status *st, int (*fn)(const char *, size_t, const char *,
							void *, void *, struct parse_error *),
		      void *a1, void *a2)
{
	const char *path;
	int r = source_read(src, rel, b);

	if (r < 0)
		return r;
	path = source_display(src, rel);
	r = fn(b->data ? b->data : "", b->len, path, a1, a2, &st->perr);
	if (r < 0 && r != -ENOMEM)
		status_parse_failed(st, r, path);
	return r;
}

static int wrap_nodelist(const char *buf, size_t len, const char *file, void *a1, void *a2,
			 struct parse_error *perr)
{
	return nodelist_parse(buf, len, file, a1, a2, perr);
}

static int wrap_distance(const char *buf, size_t len, const char *file, void *a1, void *a2,
			 struct parse_error *perr)
{
	return distance_parse(buf, len, file, a1, a2, perr);
}

static int wrap_u64(const char *buf, size_t len, const char *file, void *a1, void *a2,
		    struct parse_error *perr)
{
	(void)a2;
	return sysfs_u64_parse(buf, len, file, a1, perr);
}

static int load_hugepages(struct source *src, struct buf *b, struct numa_node *nd,
			  struct input_status *st)
{
	static const char *const files[3] = { "nr_hugepages", "free_hugepages", "surplus_hugepages" };
	char rel[256], **names = NULL;
	size_t n = 0;
	int r;

	snprintf(rel, sizeof(rel), "sys/devices/system/node/node%d/hugepages", nd->id);
	r = source_list(src, rel, &names, &n);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	nd->hp = calloc(n ? n : 1, sizeof(*nd->hp));
	if (!nd->hp) {
		source_names_free(names);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct hugepage_pool *hp = &nd->hp[nd->nr_hp];
		unsigned long long kb;
		char tail[8];

		if (sscanf(names[i], "hugepages-%llukB%7s", &kb, tail) != 1)
			continue;
		hp->size_kb = kb;
		for (unsigned f = 0; f < 3; f++) {
			uint64_t *dst = f == 0 ? &hp->nr : f == 1 ? &hp->free : &hp->surplus;

			snprintf(rel, sizeof(rel), "sys/devices/system/node/node%d/hugepages/%s/%s",
				 nd->id, names[i], files[f]);
			r = read_parse(src, b, rel, st, wrap_u64, dst, NULL);
			if (r == -ENOMEM || (r < 0 && st->parse_error)) {
				source_names_free(names);
				return r;
			}
			if (r == 0)
				hp->have |= 1u << f;
		}
		nd->nr_hp++;
	}
	source_names_free(names);
	return 0;
}

static int load_nodes(struct source *src, struct buf *b, struct machine *m)
{
	struct input_status *st = &m->in[IN_NODES];
	char **names = NULL, rel[256];
	int *mem_ids = NULL;
	size_t n = 0, nmem = 0;
	bool have_mem_list;
	int r;

	status_begin(src, st, inputs[IN_NODES].relpath);
	r = source_list(src, inputs[IN_NODES].relpath, &names, &n);
	if (r < 0) {
		st->err = r;
		return r == -ENOMEM ? r : 0;
	}
	r = read_parse(src, b, "sys/devices/system/node/has_memory", st, wrap_nodelist, &mem_ids, &nmem);
	if (r == -ENOMEM || st->parse_error)
		goto out;
	have_mem_list = r == 0;

	m->numa.nodes = calloc(n ? n : 1, sizeof(*m->numa.nodes));
	if (!m->numa.nodes) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int id = node_id_of(names[i]);
		struct numa_node *nd;

		if (id < 0)
			continue;
		nd = &m->numa.nodes[m->numa.n++];
		nd->id = id;
		nd->has_memory = !have_mem_list;
		for (size_t k = 0; k < nmem; k++)
			if (mem_ids[k] == id)
				nd->has_memory = true;

		snprintf(rel, sizeof(rel), "sys/devices/system/node/node%d/distance", id);
		r = read_parse(src, b, rel, st, wrap_distance, &nd->distance, &nd->nr_distance);
		if (r == -ENOMEM || st->parse_error)
			goto out;

		snprintf(rel, sizeof(rel), "sys/devices/system/node/node%d/meminfo", id);
		r = source_read(src, rel, b);
		if (r == -ENOMEM)
			goto out;
		if (r == 0) {
			const char *path = source_display(src, rel);

			r = node_meminfo_parse(b->data ? b->data : "", b->len, path, id,
					       &nd->meminfo, &st->perr);
			if (r == -ENOMEM)
				goto out;
			if (r < 0) {
				status_parse_failed(st, r, path);
				goto out;
			}
			nd->has_meminfo = true;
		}
		r = load_hugepages(src, b, nd, st);
		if (r == -ENOMEM || st->parse_error)
			goto out;
	}
	/* Directory names sort as strings (node10 before node2): order by id. */
	for (size_t i = 1; i < m->numa.n; i++)
		for (size_t k = i; k > 0 && m->numa.nodes[k - 1].id > m->numa.nodes[k].id; k--) {
			struct numa_node t = m->numa.nodes[k];

			m->numa.nodes[k] = m->numa.nodes[k - 1];
			m->numa.nodes[k - 1] = t;
		}
	r = 0;
	st->loaded = true;
out:
	source_names_free(names);
	free(mem_ids);
	return r == -ENOMEM ? r : 0;
}

/* The snapshot manifest is our own compact JSON; only "page_size" is needed here. */
static bool manifest_page_size(const char *s, size_t len, uint64_t *ret)
{
	static const char key[] = "\"page_size\"";
	const char *p = s, *end = s + len;
	uint64_t v = 0;

	while ((p = memmem(p, (size_t)(end - p), key, sizeof(key) - 1))) {
		p += sizeof(key) - 1;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		if (p >= end || *p != ':')
			continue;
		p++;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return false;
		while (p < end && *p >= '0' && *p <= '9') {
			if (v > UINT64_MAX / 10)
				return false;
			v = v * 10 + (uint64_t)(*p++ - '0');
		}
		/* A page is a power of two between 1 KiB and 1 MiB. */
		if (v < 1024 || v > (1u << 20) || (v & (v - 1)))
			return false;
		*ret = v;
		return true;
	}
	return false;
}

static void load_release(struct source *src, struct buf *b, struct machine *m)
{
	const char *p, *e;

	if (source_read(src, "proc/sys/kernel/osrelease", b) == 0 && b->len) {
		size_t n = strcspn(b->data, "\n");

		if (n >= sizeof(m->kernel_release))
			n = sizeof(m->kernel_release) - 1;
		memcpy(m->kernel_release, b->data, n);
		m->kernel_release[n] = '\0';
		return;
	}
	/* "Linux version 6.18.44-fc (…)": the third word. */
	if (source_read(src, "proc/version", b) == 0 && b->len > 14 &&
	    strncmp(b->data, "Linux version ", 14) == 0) {
		p = b->data + 14;
		e = p + strcspn(p, " \n");
		if ((size_t)(e - p) < sizeof(m->kernel_release)) {
			memcpy(m->kernel_release, p, (size_t)(e - p));
			m->kernel_release[e - p] = '\0';
		}
	}
}

/* sys/kernel/slab, then merged into what /proc/slabinfo gave (if anything). */
static int load_slabsys(struct source *src, const struct load_opts *opts, struct machine *m)
{
	struct slabinfo sys = { 0 };
	int r;

	r = slab_sysfs_load(src, opts, m->in[IN_SLABINFO].loaded ? &m->slab : NULL, &sys,
			    &m->in[IN_SLABSYS]);
	if (r < 0 || !m->in[IN_SLABSYS].loaded)
		return r;
	r = slabinfo_merge(&m->slab, &sys);
	slabinfo_free(&sys);
	return r == -ENOMEM ? r : 0;
}

int machine_load(struct source *src, unsigned mask, struct machine *m)
{
	return machine_load_opts(src, mask, NULL, m);
}

int machine_load_opts(struct source *src, unsigned mask, const struct load_opts *opts,
		      struct machine *m)
{
	struct buf b = BUF_INIT;
	int r = 0;

	memset(m, 0, sizeof(*m));
	m->live = source_is_live(src);
	/* The page size: the host's when live, else the snapshot manifest's;
	 * failing both it is inferred, which needs meminfo and vmstat. */
	if (m->live) {
		long ps = sysconf(_SC_PAGESIZE);

		m->page_size = ps > 0 ? (uint64_t)ps : 4096;
		m->page_size_src = PAGE_SIZE_HOST;
	} else if (source_read(src, "fragscope-snapshot.json", &b) == 0 &&
		   manifest_page_size(b.data ? b.data : "", b.len, &m->page_size)) {
		m->page_size_src = PAGE_SIZE_MANIFEST;
	} else {
		mask |= IN_BIT(IN_MEMINFO) | IN_BIT(IN_VMSTAT);
	}

	if (mask & IN_BIT(IN_MEMINFO))
		r = load_one(src, &b, IN_MEMINFO, &m->meminfo, wrap_meminfo_parse, &m->in[IN_MEMINFO]);
	if (!r && (mask & IN_BIT(IN_VMSTAT)))
		r = load_one(src, &b, IN_VMSTAT, &m->vmstat, wrap_vmstat_parse, &m->in[IN_VMSTAT]);
	if (!r && (mask & IN_BIT(IN_BUDDYINFO)))
		r = load_one(src, &b, IN_BUDDYINFO, &m->buddy, wrap_buddyinfo_parse, &m->in[IN_BUDDYINFO]);
	if (!r && (mask & IN_BIT(IN_PAGETYPEINFO)))
		r = load_one(src, &b, IN_PAGETYPEINFO, &m->pt, wrap_pagetypeinfo_parse, &m->in[IN_PAGETYPEINFO]);
	if (!r && (mask & IN_BIT(IN_ZONEINFO)))
		r = load_one(src, &b, IN_ZONEINFO, &m->zi, wrap_zoneinfo_parse, &m->in[IN_ZONEINFO]);
	if (!r && (mask & IN_BIT(IN_SYSVM)))
		r = load_sysvm(src, &b, m);
	if (!r && (mask & IN_BIT(IN_NODES)))
		r = load_nodes(src, &b, m);
	if (!r && (mask & IN_BIT(IN_SLABINFO)))
		r = load_one(src, &b, IN_SLABINFO, &m->slab, wrap_slabinfo_parse, &m->in[IN_SLABINFO]);
	if (!r && (mask & IN_BIT(IN_SLABSYS)))
		r = load_slabsys(src, opts, m);
	if (r < 0)
		goto out;

	/* Neither host nor manifest said: infer it, or assume 4 KiB and say so. */
	if (!m->page_size) {
		if (page_size_infer(m->in[IN_MEMINFO].loaded ? &m->meminfo : NULL,
				    m->in[IN_VMSTAT].loaded ? &m->vmstat : NULL, &m->page_size)) {
			m->page_size_src = PAGE_SIZE_INFERRED;
		} else {
			m->page_size = 4096;
			m->page_size_src = PAGE_SIZE_ASSUMED;
		}
	}
	load_release(src, &b, m);
out:
	buf_free(&b);
	return r;
}

void machine_free(struct machine *m)
{
	meminfo_free(&m->meminfo);
	kvlist_free(&m->vmstat);
	buddyinfo_free(&m->buddy);
	pagetypeinfo_free(&m->pt);
	zoneinfo_free(&m->zi);
	numa_free(&m->numa);
	slabinfo_free(&m->slab);
}

/*
 * cmd-physmap.c - "fragscope physmap": physical memory one character per
 * pageblock, from /proc/kpageflags (root), zone by zone, with a legend and
 * per-zone totals.  -J gives the per-pageblock array.
 *
 * What a pageblock holds comes from its pages' flags (model/pageclass.h):
 * free in the buddy allocator, in use by movable (user and file) memory,
 * in use by the kernel, or no memory at all.  Its migratetype is not
 * exported by the kernel; physmap shows the estimate the simulator's seed
 * makes (sim --seed-from kpageflags): within pagetypeinfo's counts, the
 * pageblocks with the most kernel pages are Unmovable, then Reclaimable.
 * A pageblock with both kernel and movable pages in use is "mixed": the
 * fragmentation that compaction cannot undo.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "../parse/kpageflags.h"
#include "../sim/machine.h"

#define PHYSMAP_INPUTS (IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO) | IN_BIT(IN_PAGETYPEINFO) | IN_BIT(IN_SYSVM))
#define PHYSMAP_REQUIRED (IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO))

enum pb_class { PB_FREE, PB_MOVABLE, PB_UNMOVABLE, PB_RECLAIMABLE, PB_OTHER, PB_MIXED, PB_RESERVED, PB_BLANK,
		PB_HOLE, PB__COUNT };

static const struct {
	char c;
	const char *name, *what;
} classes[PB__COUNT] = {
	[PB_FREE] = { 'F', "free", "every page free" },
	[PB_MOVABLE] = { 'M', "movable", "movable pages in use (user, file), the rest free" },
	[PB_UNMOVABLE] = { 'U', "unmovable", "kernel pages in use (slab, page tables, ...)" },
	[PB_RECLAIMABLE] = { 'R', "reclaimable", "kernel pages in use, a Reclaimable pageblock (estimate)" },
	[PB_OTHER] = { 'H', "reserve", "kernel pages, a HighAtomic/CMA/Isolate pageblock (estimate)" },
	[PB_MIXED] = { 'X', "mixed", "both kernel and movable pages in use" },
	[PB_RESERVED] = { 'r', "reserved", "reserved pages (firmware, kernel image), the rest free" },
	[PB_BLANK] = { 'b', "blank", "no page flag: bare kernel pages, per-CPU lists, uninitialised" },
	[PB_HOLE] = { '.', "hole", "no memory" },
};

struct pb_info {
	uint32_t free, movable, kernel, reserved, blank;
	uint8_t cls;
};

static enum pb_class classify(const struct pb_info *p, unsigned mt)
{
	if (p->free + p->movable + p->kernel + p->reserved + p->blank == 0)
		return PB_HOLE;
	if (p->reserved && !p->kernel && !p->movable)
		return PB_RESERVED;
	if (p->blank && !p->kernel && !p->movable)
		return PB_BLANK;
	if ((p->kernel || p->reserved) && p->movable)
		return PB_MIXED;
	if (p->kernel)
		return mt == MT_RECLAIMABLE ? PB_RECLAIMABLE :
		       mt == MT_HIGHATOMIC || mt == MT_CMA || mt == MT_ISOLATE ? PB_OTHER : PB_UNMOVABLE;
	if (p->movable)
		return PB_MOVABLE;
	return PB_FREE;
}

static unsigned term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (c && atoi(c) >= 40)
		return (unsigned)atoi(c);
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

/* Classes of every pageblock of zone i; NULL after printing on failure (*rc set). */
static struct pb_info *zone_blocks(struct source *src, struct sim_machine *sm, size_t i, size_t *npb, int *rc)
{
	struct sim_zone *z = &sm->zones[i];
	uint64_t n = z->end - z->start;
	size_t first = (size_t)((z->start - z->base) >> z->pb_order);
	size_t last = (size_t)((z->end - 1 - z->base) >> z->pb_order);
	struct input_status st;
	struct pb_info *pb;
	uint8_t *cls = malloc(n ? n : 1);
	int r;

	*npb = last - first + 1;
	pb = calloc(*npb, sizeof(*pb));
	if (!cls || !pb) {
		free(cls);
		free(pb);
		cli_error("out of memory");
		*rc = EXIT_INPUT;
		return NULL;
	}
	r = kpageflags_classify(src, z->start, n, cls, &st);
	if (r == 0 && !st.loaded) {
		free(cls);
		free(pb);
		if (st.err == -EACCES || st.err == -EPERM) {
			cli_error("physmap needs root to read /proc/kpageflags");
			*rc = EXIT_PERM;
		} else {
			cli_error("cannot read %s: %s%s", source_is_live(src) ? "/proc/kpageflags" : "proc/kpageflags in the root",
				  strerror(-st.err), st.err == -ENOENT && !source_is_live(src) ?
				  " (take the snapshot with 'fragscope snapshot --kpageflags')" : "");
			*rc = EXIT_INPUT;
		}
		return NULL;
	}
	if (r == 0)
		r = sim_machine_place_pages(sm, i, cls);
	if (r < 0) {
		free(cls);
		free(pb);
		cli_error("out of memory");
		*rc = EXIT_INPUT;
		return NULL;
	}
	for (uint64_t p = 0; p < n; p++) {
		struct pb_info *b = &pb[((z->start - z->base + p) >> z->pb_order) - first];

		b->free += cls[p] == PAGE_FREE;
		b->movable += cls[p] == PAGE_MOVABLE;
		b->kernel += cls[p] == PAGE_KERNEL;
		b->reserved += cls[p] == PAGE_RESERVED;
		b->blank += cls[p] == PAGE_BLANK;
	}
	for (size_t k = 0; k < *npb; k++)
		pb[k].cls = (uint8_t)classify(&pb[k], z->pbmt[first + k]);
	free(cls);
	return pb;
}

static void print_zone_text(const struct sim_zone *z, const struct pb_info *pb, size_t npb, unsigned width,
			    const struct options *o)
{
	uint64_t count[PB__COUNT] = { 0 }, pbn = (uint64_t)1 << z->pb_order;
	uint64_t first_pfn = (z->start >> z->pb_order) << z->pb_order;
	unsigned per_line = width > 20 ? (width - 20) / 8 * 8 : 32;

	if (per_line < 8)
		per_line = 8;
	for (size_t k = 0; k < npb; k++)
		count[pb[k].cls]++;
	printf("Node %d, zone %s: pfn 0x%llx-0x%llx, %zu pageblocks of %llu pages\n", z->node, z->name,
	       (unsigned long long)z->start, (unsigned long long)z->end - 1, npb, (unsigned long long)pbn);
	for (size_t k = 0; k < npb; k += per_line) {
		printf("  %12llx ", (unsigned long long)(first_pfn + k * pbn));
		for (size_t c = k; c < npb && c < k + per_line; c++)
			putchar(classes[pb[c].cls].c);
		putchar('\n');
	}
	if (!o->noheadings) {
		printf("  totals:");
		for (int c = 0; c < PB__COUNT; c++)
			if (count[c])
				printf(" %c %s %llu", classes[c].c, classes[c].name, (unsigned long long)count[c]);
		printf("\n\n");
	}
}

static void print_zone_json(struct json *j, const struct sim_zone *z, const struct pb_info *pb, size_t npb)
{
	uint64_t count[PB__COUNT] = { 0 }, pbn = (uint64_t)1 << z->pb_order;
	uint64_t first_pfn = (z->start >> z->pb_order) << z->pb_order;

	json_begin_object(j);
	json_kv_i64(j, "node", z->node);
	json_kv_string(j, "zone", z->name);
	json_kv_u64(j, "start_pfn", z->start);
	json_kv_u64(j, "end_pfn", z->end);
	json_kv_u64(j, "pageblock_pages", pbn);
	json_key(j, "pageblocks");
	json_begin_array(j);
	for (size_t k = 0; k < npb; k++) {
		count[pb[k].cls]++;
		json_begin_object(j);
		json_kv_u64(j, "pfn", first_pfn + k * pbn);
		json_kv_string(j, "class", classes[pb[k].cls].name);
		json_kv_u64(j, "free", pb[k].free);
		json_kv_u64(j, "movable", pb[k].movable);
		json_kv_u64(j, "kernel", pb[k].kernel);
		json_kv_u64(j, "reserved", pb[k].reserved);
		json_kv_u64(j, "blank", pb[k].blank);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "totals");
	json_begin_object(j);
	for (int c = 0; c < PB__COUNT; c++)
		json_kv_u64(j, classes[c].name, count[c]);
	json_end_object(j);
	json_end_object(j);
}

int cmd_physmap(struct options *o)
{
	struct source *src = NULL;
	struct sim_machine sm;
	struct machine m;
	struct json *j = NULL;
	struct pb_info **pbs = NULL;
	size_t *npbs = NULL;
	unsigned width = term_width();
	int rc, r;

	rc = cli_load(o, PHYSMAP_INPUTS, PHYSMAP_REQUIRED, &src, &m);
	if (!src || !m.in[IN_BUDDYINFO].loaded || !m.in[IN_ZONEINFO].loaded)
		goto out_nomachine;
	r = sim_machine_seed_spans(&m.zi, &m.buddy, m.in[IN_PAGETYPEINFO].loaded ? &m.pt : NULL,
				   m.in[IN_SYSVM].loaded ? &m.vm : NULL, NULL, m.kernel_release, &sm);
	if (r < 0) {
		cli_error(r == -ENOMEM ? "out of memory" : "%s: no zone has watermarks (min/low lines)",
			  m.in[IN_ZONEINFO].path);
		cli_status(&rc, EXIT_INPUT);
		goto out_nomachine;
	}
	/* Read every zone first: an unreadable kpageflags prints nothing. */
	pbs = calloc(sm.nz ? sm.nz : 1, sizeof(*pbs));
	npbs = calloc(sm.nz ? sm.nz : 1, sizeof(*npbs));
	if (!pbs || !npbs) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	for (size_t i = 0; i < sm.nz; i++) {
		int zrc = EXIT_OK;

		pbs[i] = zone_blocks(src, &sm, i, &npbs[i], &zrc);
		if (!pbs[i]) {
			cli_status(&rc, zrc);
			goto out;
		}
	}
	if (o->json) {
		j = cli_json_begin(o, &m, "physmap");
		if (!j)
			goto out;
		json_key(j, "zones");
		json_begin_array(j);
		for (size_t i = 0; i < sm.nz; i++)
			print_zone_json(j, &sm.zones[i], pbs[i], npbs[i]);
		json_end_array(j);
		cli_json_end(j, &m, PHYSMAP_INPUTS);
	} else {
		if (!o->noheadings) {
			printf("One character per pageblock; what its pages hold (/proc/kpageflags):\n");
			for (int c = 0; c < PB__COUNT; c++)
				printf("  %c %-11s %s\n", classes[c].c, classes[c].name, classes[c].what);
			printf("\n");
		}
		for (size_t i = 0; i < sm.nz; i++)
			print_zone_text(&sm.zones[i], pbs[i], npbs[i], width, o);
	}
	rc = cli_finish(rc);
out:
	for (size_t i = 0; pbs && i < sm.nz; i++)
		free(pbs[i]);
	free(pbs);
	free(npbs);
	sim_machine_free(&sm);
out_nomachine:
	machine_free(&m);
	source_free(src);
	return rc;
}

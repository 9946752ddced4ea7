/*
 * cmd-top.c - "fragscope top": the live dashboard.  Panes, top to bottom:
 *
 *   memory     gauges for used, available, cache, slab, anon, shmem and
 *              hugepages (mem_summary and meminfo fields);
 *   free       per node and zone a bar per order (the share of the zone's
 *              free pages in blocks of that order) and the unusable and
 *              extfrag indices coloured by severity (analysis/frag.h);
 *   outlook    per zone and order GFP_KERNEL, GFP_ATOMIC and THP: ok,
 *              compaction or reclaim (the report's table, analysis/alloc.h);
 *   activity   compaction and reclaim rates from /proc/vmstat deltas;
 *   slab       the top caches by size and by growth (cmd-slab.c's rows);
 *   processes  the top processes by RSS or swap (libproc2 live);
 *   maps       Enter on a process: its maps --summary (cmd-maps.c's table).
 *
 * Panes that do not fit are left out (the focused one never is) and
 * named on the last line.  The loop, keys common to the live views and
 * batch mode are src/tui/; the inputs are re-read through parse/reload.h.
 */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "../analysis/alloc.h"
#include "../analysis/frag.h"
#include "../parse/load-procs.h"
#include "../parse/reload.h"
#include "../render/escape.h"
#include "../render/units.h"
#include "../tui/tui.h"

enum pane { P_MEM, P_FREE, P_OUTLOOK, P_ACTIVITY, P_SLAB, P_PROCS, P_MAPS, P__COUNT };

static const char *const pane_title[P__COUNT] = {
	"Memory", "Free pages per order and fragmentation indices",
	"Allocation outlook per order (ok / min: slow path / cmp: compaction / rcl: reclaim / fail)",
	"Reclaim and compaction activity (per second)", "Slab caches", "Processes", "Address space",
};

/* Short names for the "hidden" line, and which panes go first when the
 * terminal is too short for all (the focused pane never goes). */
static const char *const pane_short[P__COUNT] = {
	"memory", "free pages", "outlook", "activity", "slab", "processes", "address space",
};
static const enum pane drop_order[P__COUNT] = {
	P_SLAB, P_ACTIVITY, P_OUTLOOK, P_FREE, P_MEM, P_PROCS, P_MAPS,
};

/* The vmstat rates: name, and the counters summed into it (prefix match
 * when the name ends in '_'). */
static const struct { const char *name; const char *const match[5]; } rates_def[] = {
	{ "compact_stall", { "compact_stall" } },
	{ "compact_fail", { "compact_fail" } },
	{ "allocstall", { "allocstall_" } },
	{ "pgscan", { "pgscan_kswapd", "pgscan_direct", "pgscan_khugepaged", "pgscan_proactive" } },
	{ "thp_fault_fallback", { "thp_fault_fallback" } },
};
#define NR_RATES (sizeof(rates_def) / sizeof(rates_def[0]))

#define PROCS_INTERVAL 2.0      /* seconds between process-list reads */
#define SLAB_TOP 5

struct top {
	const struct options *o;
	struct source *src;
	struct reload *rl;
	struct machine m;
	bool first;
	unsigned frame;
	/* derived on each refresh */
	struct mem_summary ms;
	struct alloc_model am;
	bool have_am;
	struct slab_row *slab_rows;
	size_t nslab;
	struct slab_growth g;
	uint64_t counter[NR_RATES];
	bool have_counter[NR_RATES];
	double rate[NR_RATES];
	bool have_rate;
	double counter_t;
	/* processes */
	struct procs_table pt;
	bool procs_loaded;
	char procs_err[PATH_MAX + 64];
	double procs_t;
	enum procs_sort_key psort;
	size_t sel;                   /* selected process (index in sorted rows) */
	regex_t re;
	bool have_re;
	/* maps pane */
	bool maps_open;
	int maps_pid;
	struct table *maps_table;
	char maps_err[PATH_MAX + 64];
	/* focus */
	enum pane focus;
	bool slab_by_growth;
	double delay;
	bool paused;
};

static const char *const top_help[] = {
	"Tab        next pane (Shift-Tab: previous)",
	"s          sort the focused pane: processes by RSS / swap / PID, slab by size / growth",
	"Up Down    select a process      Enter  its maps --summary      Esc  close it",
	"p          pause / resume the refresh",
	NULL,
};

/* ---- model ------------------------------------------------------------ */

static bool proc_matches(const struct top *t, const struct proc_row *r)
{
	return !t->have_re || (r->cmd && regexec(&t->re, r->cmd, 0, NULL, 0) == 0);
}

static void procs_reload(struct top *t, double now)
{
	struct procs_table nt = { 0 };
	struct input_status dir;
	int r = -1;

	t->procs_t = now;
	t->procs_err[0] = '\0';
	/* Live, into the last table's memory (see procs_reload_live()). */
	if (source_is_live(t->src))
		r = procs_reload_live(t->src, &t->pt, t->procs_err, sizeof(t->procs_err));
	if (r < 0 && r != -ENOMEM) {
		t->procs_err[0] = '\0';
		r = procs_load_root(t->src, &nt, &dir);
		if (r == 0 && !dir.loaded) {
			snprintf(t->procs_err, sizeof(t->procs_err), "%s: %s", dir.path, cli_input_reason(&dir));
			r = -1;
		}
		procs_table_free(&t->pt);
		t->pt = nt;
	}
	t->procs_loaded = r == 0;
	if (r == -ENOMEM)
		snprintf(t->procs_err, sizeof(t->procs_err), "out of memory");
	procs_sort(t->pt.rows, t->pt.n, t->psort);
}

static void counters_update(struct top *t, double now)
{
	const struct kvlist *vm = &t->m.vmstat;
	double dt = now - t->counter_t;
	bool had = t->counter_t > 0;

	t->have_rate = had && dt > 0 && t->m.in[IN_VMSTAT].loaded;
	for (size_t k = 0; k < NR_RATES; k++) {
		uint64_t sum = 0;
		bool any = false;

		for (size_t i = 0; i < vm->n; i++) {
			for (size_t j = 0; j < 5 && rates_def[k].match[j]; j++) {
				const char *mt = rates_def[k].match[j];
				size_t n = strlen(mt);

				if (mt[n - 1] == '_' ? strncmp(vm->items[i].name, mt, n) == 0 :
				    strcmp(vm->items[i].name, mt) == 0) {
					sum += vm->items[i].value;
					any = true;
				}
			}
		}
		t->rate[k] = t->have_rate && any && t->have_counter[k] && sum >= t->counter[k] ?
			     (double)(sum - t->counter[k]) / dt : 0;
		t->counter[k] = sum;
		t->have_counter[k] = any;
	}
	t->counter_t = now;
}

static const struct top *rate_ctx;

static double slab_rate(const struct top *t, const struct slab_row *r)
{
	return t->g.have_rate ? t->g.rate[r->c - t->m.slab.c] : 0;
}

static int rate_cmp(const void *a, const void *b)
{
	double x = slab_rate(rate_ctx, a), y = slab_rate(rate_ctx, b);

	if (x != y)
		return x > y ? -1 : 1;
	return strcmp(((const struct slab_row *)a)->c->name, ((const struct slab_row *)b)->c->name);
}

static int top_update(void *st, double now)
{
	struct top *t = st;
	int r = reload_machine(t->rl, &t->m, now);

	if (r < 0) {
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	if (t->first) {
		const unsigned mask = IN_BIT(IN_MEMINFO) | IN_BIT(IN_VMSTAT) | IN_BIT(IN_BUDDYINFO) |
				      IN_BIT(IN_ZONEINFO) | IN_BIT(IN_SYSVM) | IN_BIT(IN_NODES) |
				      IN_BIT(IN_SLABINFO) | IN_BIT(IN_PAGETYPEINFO);

		t->first = false;
		if (!t->m.in[IN_MEMINFO].loaded && !t->m.in[IN_BUDDYINFO].loaded &&
		    !t->m.in[IN_ZONEINFO].loaded) {
			cli_error("nothing to show: none of meminfo, buddyinfo, zoneinfo could be read under '%s'",
				  source_root(t->src));
			return EXIT_INPUT;
		}
		r = cli_check_inputs(&t->m, mask, 0);
		if (r && r != EXIT_PERM && r != EXIT_INPUT)
			return r;
	}
	memset(&t->ms, 0, sizeof(t->ms));
	if (t->m.in[IN_MEMINFO].loaded)
		mem_summary_compute(&t->m.meminfo, &t->ms);
	if (t->have_am)
		alloc_model_free(&t->am);
	t->have_am = false;
	if (t->m.in[IN_ZONEINFO].loaded && t->m.in[IN_BUDDYINFO].loaded) {
		r = alloc_model_build(&t->m.zi, &t->m.buddy, t->m.in[IN_PAGETYPEINFO].loaded ? &t->m.pt : NULL,
				      t->m.in[IN_SYSVM].loaded ? &t->m.vm : NULL,
				      t->m.in[IN_NODES].loaded ? &t->m.numa : NULL, t->m.kernel_release, &t->am);
		if (r == -ENOMEM) {
			cli_error("out of memory");
			return EXIT_INPUT;
		}
		t->have_am = r == 0;
	}
	counters_update(t, now);
	free(t->slab_rows);
	t->slab_rows = NULL;
	t->nslab = 0;
	if (slab_growth_update(&t->g, &t->m.slab, now) < 0 ||
	    slab_rows_collect(&t->m, NULL, SORT_SIZE, &t->slab_rows, &t->nslab) < 0) {
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	if (t->frame == 0 || now - t->procs_t >= PROCS_INTERVAL)
		procs_reload(t, now);
	t->frame++;
	return 0;
}

/* ---- panes ------------------------------------------------------------ */

static enum tui_role level_role(double frac)
{
	return frac >= 0.9 ? ROLE_BAD : frac >= 0.75 ? ROLE_WARN : ROLE_GOOD;
}

static void gauge(struct scr *s, int y, const char *label, uint64_t v, uint64_t total, bool pressure)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];
	int w = s->cols - 50, fill;
	double frac = total ? (double)v / (double)total : 0;

	if (w > 60)
		w = 60;
	if (w < 10)
		w = 10;
	fill = (int)(frac * w + 0.5);
	if (fill > w)
		fill = w;
	tscr_printf(s, y, 1, ROLE_NORMAL, "%-10s [", label);
	tscr_fill(s, y, 13, fill, '#', pressure ? level_role(frac) : ROLE_BAR);
	tscr_fill(s, y, 13 + fill, w - fill, '.', ROLE_DIM);
	tscr_printf(s, y, 13 + w, ROLE_NORMAL, "] %9s / %-9s %5.1f%%", units_bytes(v, a), units_bytes(total, b),
		    frac * 100.0);
}

static int pane_mem(struct top *t, struct scr *s, int y, int max)
{
	const struct meminfo *mi = &t->m.meminfo;
	uint64_t total = t->ms.total, ht = 0, hs = 0;
	int y0 = y;

	if (!t->m.in[IN_MEMINFO].loaded) {
		tscr_printf(s, y++, 1, ROLE_BAD, "%s: %s", t->m.in[IN_MEMINFO].path,
			    cli_input_reason(&t->m.in[IN_MEMINFO]));
		return y - y0;
	}
	struct { const char *label; const char *field; uint64_t value; bool have, pressure; } g[] = {
		{ "used", NULL, t->ms.used, (t->ms.have & MS_USED) != 0, true },
		{ "available", NULL, t->ms.available, (t->ms.have & MS_AVAILABLE) != 0, false },
		{ "cache", NULL, t->ms.buff_cache, (t->ms.have & MS_BUFF_CACHE) != 0, false },
		{ "slab", NULL, t->ms.slab, (t->ms.have & MS_SLAB) != 0, false },
		{ "anon", "AnonPages", 0, false, false },
		{ "shmem", "Shmem", 0, false, false },
	};
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]) && y - y0 < max; i++) {
		if (g[i].field)
			g[i].have = meminfo_get_bytes(mi, g[i].field, &g[i].value);
		if (!g[i].have)
			continue;
		gauge(s, y++, g[i].label, g[i].value, total, g[i].pressure);
	}
	/* The hugetlb pool (default size) against all memory: taken from the
	 * page allocator whether or not its pages are in use. */
	if (y - y0 < max && meminfo_get(mi, "HugePages_Total", &ht) && meminfo_get_bytes(mi, "Hugepagesize", &hs))
		gauge(s, y++, "hugepages", ht * hs, total, false);
	return y - y0;
}

static int pane_free(struct top *t, struct scr *s, int y, int max)
{
	const struct buddyinfo *bi = &t->m.buddy;
	unsigned nr = bi->nr_orders < FS_MAX_ORDERS ? bi->nr_orders : FS_MAX_ORDERS;
	int y0 = y, cw = 7;

	if (!t->m.in[IN_BUDDYINFO].loaded) {
		tscr_printf(s, y++, 1, ROLE_BAD, "%s: %s", t->m.in[IN_BUDDYINFO].path,
			    cli_input_reason(&t->m.in[IN_BUDDYINFO]));
		return 1;
	}
	tscr_printf(s, y, 1, ROLE_DIM, "%-18s", "node zone / order");
	for (unsigned o = 0; o < nr; o++)
		tscr_printf(s, y, 20 + (int)o * cw, ROLE_DIM, "%6u", o);
	y++;
	for (size_t i = 0; i < bi->n && y - y0 + 3 <= max; i++) {
		const struct buddy_zone *z = &bi->z[i];
		uint64_t total = 0;

		for (unsigned o = 0; o < nr; o++)
			total += z->free[o] << o;
		tscr_printf(s, y, 1, ROLE_NORMAL, "%d %-8s free", z->node, z->zone);
		for (unsigned o = 0; o < nr; o++) {
			int fill = total ? (int)((double)(z->free[o] << o) * 6.0 / (double)total + 0.999) : 0;

			if (!(z->free[o]))
				fill = 0;
			tscr_fill(s, y, 20 + (int)o * cw, fill, '#', ROLE_BAR);
			tscr_fill(s, y, 20 + (int)o * cw + fill, 6 - fill, '.', ROLE_DIM);
		}
		y++;
		for (int which = 0; which < 2; which++) {
			tscr_printf(s, y, 1, ROLE_NORMAL, "  %-16s", which ? "extfrag" : "unusable");
			for (unsigned o = 0; o < nr; o++) {
				char v[16];
				int ix = which ? frag_extfrag_index(z->free, nr, o) : frag_unusable_index(z->free, nr, o);
				enum tui_role role = ix < 0 ? ROLE_GOOD : ix >= 750 ? ROLE_BAD :
						     ix >= 500 ? ROLE_WARN : ROLE_GOOD;

				frag_format_decimal(ix, v, sizeof(v));
				tscr_printf(s, y, 20 + (int)o * cw, role, "%6s", v);
			}
			y++;
		}
	}
	return y - y0;
}

/* A table printed with colour roles into the screen (the report's tables). */
static int put_table(struct scr *s, int y, int max, struct table *tb)
{
	struct table_opts to = { .color = true };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rows = 0;

	if (!f)
		return 0;
	table_print(tb, f, &to);
	fclose(f);
	/* Only the rows that fit. */
	for (size_t i = 0, start = 0; i < len && rows < max; i++) {
		if (text[i] == '\n') {
			tscr_ansi(s, y + rows, 1, text + start, i - start);
			rows++;
			start = i + 1;
		}
	}
	free(text);
	return rows;
}

static int pane_outlook(struct top *t, struct scr *s, int y, int max)
{
	struct table *tb;
	int n;

	if (!t->have_am) {
		tscr_printf(s, y, 1, ROLE_DIM, "needs zoneinfo and buddyinfo");
		return 1;
	}
	tb = view_outlook_table(&t->am);
	if (!tb)
		return 0;
	n = put_table(s, y, max, tb);
	table_free(tb);
	return n;
}

static int pane_activity(struct top *t, struct scr *s, int y, int max)
{
	int y0 = y;

	if (!t->m.in[IN_VMSTAT].loaded) {
		tscr_printf(s, y, 1, ROLE_BAD, "%s: %s", t->m.in[IN_VMSTAT].path, cli_input_reason(&t->m.in[IN_VMSTAT]));
		return 1;
	}
	for (size_t k = 0; k < NR_RATES && y - y0 < max; k++, y++) {
		tscr_printf(s, y, 1, ROLE_NORMAL, "%-20s", rates_def[k].name);
		if (!t->have_counter[k])
			tscr_printf(s, y, 22, ROLE_DIM, "%10s", "-");
		else if (!t->have_rate)
			tscr_printf(s, y, 22, ROLE_DIM, "%10s", "...");
		else
			tscr_printf(s, y, 22, t->rate[k] > 0 && k != 3 ? ROLE_WARN : ROLE_NORMAL, "%10.1f", t->rate[k]);
		tscr_printf(s, y, 34, ROLE_DIM, "since boot %llu", (unsigned long long)t->counter[k]);
	}
	return y - y0;
}

static void put_name(struct scr *s, int y, int x, const char *name)
{
	struct buf b = BUF_INIT;

	escape_text(name, strlen(name), &b);
	tscr_printf(s, y, x, ROLE_NORMAL, "%s", b.data ? b.data : "");
	buf_free(&b);
}

static int pane_slab(struct top *t, struct scr *s, int y, int max)
{
	struct slab_row *by_growth;
	int half = s->cols / 2, n = 0;
	char sz[UNITS_BUFSZ];

	if (!t->nslab) {
		tscr_printf(s, y, 1, ROLE_DIM, "%s: %s", t->m.in[IN_SLABINFO].path[0] ? t->m.in[IN_SLABINFO].path :
			    "/proc/slabinfo", t->m.in[IN_SLABINFO].loaded ? "no caches" :
			    cli_input_reason(&t->m.in[IN_SLABINFO]));
		return 1;
	}
	by_growth = malloc(t->nslab * sizeof(*by_growth));
	if (!by_growth)
		return 0;
	memcpy(by_growth, t->slab_rows, t->nslab * sizeof(*by_growth));
	rate_ctx = t;
	qsort(by_growth, t->nslab, sizeof(*by_growth), rate_cmp);
	tscr_printf(s, y, 1, t->slab_by_growth ? ROLE_DIM : ROLE_HEADING, "%10s %-22s", "SIZE", "BY SIZE");
	tscr_printf(s, y, half, t->slab_by_growth ? ROLE_HEADING : ROLE_DIM, "%10s %-22s", "OBJS/S", "BY GROWTH");
	n++;
	for (size_t i = 0; i < SLAB_TOP && i < t->nslab && n < max; i++, n++) {
		const struct slab_row *a = &t->slab_rows[i], *b = &by_growth[i];

		tscr_printf(s, y + n, 1, ROLE_NORMAL, "%10s ", units_bytes(a->cache_bytes, sz));
		put_name(s, y + n, 12, a->c->name);
		if (t->g.have_rate)
			tscr_printf(s, y + n, half, slab_rate(t, b) > 0 ? ROLE_WARN : ROLE_NORMAL, "%+10.1f ",
				    slab_rate(t, b));
		else
			tscr_printf(s, y + n, half, ROLE_DIM, "%10s ", "...");
		put_name(s, y + n, half + 11, b->c->name);
	}
	free(by_growth);
	return n;
}

/* The visible (filtered) process rows, in order: index i of the sorted table. */
static size_t procs_visible(const struct top *t, size_t *idx, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < t->pt.n && n < cap; i++)
		if (proc_matches(t, &t->pt.rows[i]))
			idx[n++] = i;
	return n;
}

static int pane_procs(struct top *t, struct scr *s, int y, int max)
{
	size_t idx[256], n;
	int rows = 0;
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ];

	if (!t->procs_loaded) {
		tscr_printf(s, y, 1, ROLE_BAD, "%s", t->procs_err[0] ? t->procs_err : "no processes");
		return 1;
	}
	n = procs_visible(t, idx, sizeof(idx) / sizeof(idx[0]));
	if (t->sel >= n)
		t->sel = n ? n - 1 : 0;
	tscr_fill(s, y, 0, s->cols, ' ', ROLE_HEADING);
	tscr_printf(s, y, 0, ROLE_HEADING, "%8s %-10s %10s %10s  %s   (sort: %s%s%s)", "PID", "USER", "RSS", "SWAP",
		    "COMMAND", procs_sort_name(t->psort), t->have_re ? ", filter: " : "",
		    t->have_re ? t->o->filter : "");
	rows++;
	if (!n && rows < max) {
		tscr_printf(s, y + rows++, 1, ROLE_DIM, "%s", t->have_re ? "no process matches the filter" :
			    "no processes with an address space");
		return rows;
	}
	/* Keep the selection visible. */
	size_t first = t->sel + 2 > (size_t)max ? t->sel + 2 - (size_t)max : 0;

	for (size_t k = first; k < n && rows < max; k++, rows++) {
		const struct proc_row *r = &t->pt.rows[idx[k]];
		uint64_t swap = 0;
		bool sel = k == t->sel && t->focus == P_PROCS;
		char user[16];
		struct buf cmd = BUF_INIT;

		if (r->user)
			snprintf(user, sizeof(user), "%.10s", r->user);
		else
			snprintf(user, sizeof(user), "%u", r->uid);
		escape_text(r->cmd ? r->cmd : "", r->cmd ? strlen(r->cmd) : 0, &cmd);
		tscr_printf(s, y + rows, 0, ROLE_NORMAL, "%8d %-10s %10s %10s  %s", r->pid, user,
			    (r->have & STATUS_VM_RSS) ? units_bytes(r->vm_rss_kb * 1024, a) : "-",
			    proc_row_swap(r, &swap) ? units_bytes(swap * 1024, b) : "-",
			    cmd.data ? cmd.data : "");
		buf_free(&cmd);
		if (sel)
			tscr_paint(s, y + rows, 0, s->cols, ROLE_SELECTED);
	}
	return rows;
}

static int pane_maps(struct top *t, struct scr *s, int y, int max)
{
	if (t->maps_err[0]) {
		tscr_printf(s, y, 1, ROLE_BAD, "%s", t->maps_err);
		return 1;
	}
	return t->maps_table ? put_table(s, y, max, t->maps_table) : 0;
}

static int pane_height(struct top *t, enum pane p, int cols)
{
	(void)cols;
	switch (p) {
	case P_MEM: return 1 + 7;
	case P_FREE: return 1 + 1 + 3 * (int)t->m.buddy.n;
	case P_OUTLOOK: return 1 + 1 + (t->have_am ? 3 * (int)t->m.buddy.n : 1);
	case P_ACTIVITY: return 1 + (int)NR_RATES;
	case P_SLAB: return 1 + 1 + SLAB_TOP;
	case P_PROCS: return 1 + 1 + 3;   /* at least three rows; it takes what is left */
	case P_MAPS: return !t->maps_open ? 0 : t->maps_table ? 2 + (int)table_nrows(t->maps_table) : 2;
	default: return 0;
	}
}

static void top_render(void *st, struct scr *s)
{
	struct top *t = st;
	int heights[P__COUNT], y = 0, avail = s->grow ? 1 << 20 : s->rows - 1, need = 0;
	bool show[P__COUNT];
	char hidden[160] = "";

	for (int p = 0; p < P__COUNT; p++) {
		heights[p] = pane_height(t, (enum pane)p, s->cols);
		show[p] = heights[p] > 0;
	}
	if (s->grow)
		heights[P_PROCS] = 2 + 10;
	/* Leave out panes from the bottom up, never the focused one. */
	for (int p = 0; p < P__COUNT; p++)
		need += show[p] ? heights[p] : 0;
	for (size_t k = 0; k < P__COUNT && need > avail; k++) {
		int p = drop_order[k];

		if (!show[p] || p == (int)t->focus)
			continue;
		show[p] = false;
		need -= heights[p];
		snprintf(hidden + strlen(hidden), sizeof(hidden) - strlen(hidden), "%s%s", hidden[0] ? ", " : "",
			 pane_short[p]);
	}
	for (int p = 0; p < P__COUNT; p++) {
		int max, used = 0;

		if (!show[p])
			continue;
		max = heights[p] - 1;
		if (p == P_PROCS && !s->grow)
			max += avail - need;
		tscr_printf(s, y, 0, p == (int)t->focus ? ROLE_SELECTED : ROLE_TITLE, "%s%s", pane_title[p],
			    p == P_MAPS ? "" : "");
		if (p == P_MAPS)
			tscr_printf(s, y, (int)strlen(pane_title[p]), p == (int)t->focus ? ROLE_SELECTED : ROLE_TITLE,
				    " of PID %d (maps --summary; Esc closes)", t->maps_pid);
		if (p == P_MEM && !s->grow)
			tscr_printf(s, y, s->cols - 32 > 40 ? s->cols - 32 : 40, ROLE_DIM, "%s every %gs%s",
				    t->paused ? "paused," : "refresh", t->delay, t->paused ? " (p)" : "");
		y++;
		switch (p) {
		case P_MEM: used = pane_mem(t, s, y, max); break;
		case P_FREE: used = pane_free(t, s, y, max); break;
		case P_OUTLOOK: used = pane_outlook(t, s, y, max); break;
		case P_ACTIVITY: used = pane_activity(t, s, y, max); break;
		case P_SLAB: used = pane_slab(t, s, y, max); break;
		case P_PROCS: used = pane_procs(t, s, y, max); break;
		case P_MAPS: used = pane_maps(t, s, y, max); break;
		}
		y += s->grow ? used : max;
	}
	if (hidden[0] && !s->grow)
		tscr_printf(s, s->rows - 1, 0, ROLE_DIM, "hidden (terminal too short; Tab to a pane shows it): %s", hidden);
}

/* ---- JSON ------------------------------------------------------------- */

static void top_json(void *st, struct json *j)
{
	struct top *t = st;
	size_t idx[256], n;

	json_kv_u64(j, "schema_version", 1);
	json_kv_string(j, "command", "top");
	json_kv_u64(j, "frame", t->frame);
	if (t->m.in[IN_MEMINFO].loaded)
		view_mem_summary_json(j, &t->ms);
	if (t->m.in[IN_BUDDYINFO].loaded)
		view_indices_json(j, &t->m);
	if (t->have_am)
		view_outlook_json(j, &t->am);
	json_key(j, "rates");
	json_begin_object(j);
	for (size_t k = 0; k < NR_RATES; k++) {
		json_key(j, rates_def[k].name);
		if (t->have_rate && t->have_counter[k])
			json_double(j, t->rate[k], 1);
		else
			json_null(j);
	}
	json_end_object(j);
	for (int which = 0; which < 2; which++) {
		struct slab_row *rows = t->slab_rows;
		struct slab_row *copy = NULL;

		if (which && t->nslab) {
			copy = malloc(t->nslab * sizeof(*copy));
			if (copy) {
				memcpy(copy, t->slab_rows, t->nslab * sizeof(*copy));
				rate_ctx = t;
				qsort(copy, t->nslab, sizeof(*copy), rate_cmp);
				rows = copy;
			}
		}
		json_key(j, which ? "slab_by_growth" : "slab_by_size");
		json_begin_array(j);
		for (size_t i = 0; i < SLAB_TOP && i < t->nslab && rows; i++) {
			json_begin_object(j);
			json_kv_string(j, "name", rows[i].c->name);
			json_kv_u64(j, "cache_bytes", rows[i].cache_bytes);
			json_key(j, "objects_per_s");
			if (t->g.have_rate)
				json_double(j, slab_rate(t, &rows[i]), 1);
			else
				json_null(j);
			json_end_object(j);
		}
		json_end_array(j);
		free(copy);
	}
	json_key(j, "processes");
	json_begin_array(j);
	n = t->procs_loaded ? procs_visible(t, idx, 10) : 0;
	for (size_t k = 0; k < n; k++) {
		const struct proc_row *r = &t->pt.rows[idx[k]];
		uint64_t v;

		json_begin_object(j);
		json_kv_i64(j, "pid", r->pid);
		json_kv_string(j, "command", r->cmd ? r->cmd : "");
		if (r->have & STATUS_VM_RSS)
			json_kv_u64(j, "rss_bytes", r->vm_rss_kb * 1024);
		if (proc_row_swap(r, &v))
			json_kv_u64(j, "swap_bytes", v * 1024);
		if (proc_row_rollup(r, PR_PSS, &v))
			json_kv_u64(j, "pss_bytes", v * 1024);
		json_end_object(j);
	}
	json_end_array(j);
}

/* ---- keys ------------------------------------------------------------- */

static void maps_open(struct top *t)
{
	size_t idx[256], n = procs_visible(t, idx, sizeof(idx) / sizeof(idx[0]));
	struct input_status st;
	struct maps mp;
	int r;

	table_free(t->maps_table);
	t->maps_table = NULL;
	t->maps_err[0] = '\0';
	if (!n)
		return;
	t->maps_pid = t->pt.rows[idx[t->sel < n ? t->sel : n - 1]].pid;
	t->maps_open = true;
	memset(&mp, 0, sizeof(mp));
	r = proc_load_maps(t->src, t->maps_pid, true, &mp, &st);
	if (r == 0 && !st.loaded)
		snprintf(t->maps_err, sizeof(t->maps_err), "%s: %s", st.path,
			 st.parse_error ? "malformed" : cli_input_reason(&st));
	else if (r < 0 || view_maps_summary_table(&t->m, &mp, &t->maps_table) < 0)
		snprintf(t->maps_err, sizeof(t->maps_err), "out of memory");
	maps_free(&mp);
}

static int top_key(void *st, int ch)
{
	struct top *t = st;
	size_t idx[256], n;

	switch (ch) {
	case '\t':
		do
			t->focus = (enum pane)((t->focus + 1) % P__COUNT);
		while (t->focus == P_MAPS && !t->maps_open);
		return TUI_KEY_REDRAW;
	case TUI_BTAB:
		do
			t->focus = (enum pane)((t->focus + P__COUNT - 1) % P__COUNT);
		while (t->focus == P_MAPS && !t->maps_open);
		return TUI_KEY_REDRAW;
	case 's':
		if (t->focus == P_SLAB) {
			t->slab_by_growth = !t->slab_by_growth;
		} else {
			t->focus = P_PROCS;
			t->psort = t->psort == PROCS_SORT_RSS ? PROCS_SORT_SWAP :
				   t->psort == PROCS_SORT_SWAP ? PROCS_SORT_PID : PROCS_SORT_RSS;
			procs_sort(t->pt.rows, t->pt.n, t->psort);
		}
		return TUI_KEY_REDRAW;
	case TUI_UP:
	case TUI_DOWN:
		t->focus = P_PROCS;
		n = procs_visible(t, idx, sizeof(idx) / sizeof(idx[0]));
		if (ch == TUI_UP && t->sel > 0)
			t->sel--;
		else if (ch == TUI_DOWN && t->sel + 1 < n)
			t->sel++;
		return TUI_KEY_REDRAW;
	case '\r':
	case '\n':
	case TUI_ENTER:
		if (t->focus != P_PROCS)
			return TUI_KEY_IGNORED;
		maps_open(t);
		t->focus = P_MAPS;
		return TUI_KEY_REDRAW;
	case 27:
		if (!t->maps_open)
			return TUI_KEY_IGNORED;
		t->maps_open = false;
		if (t->focus == P_MAPS)
			t->focus = P_PROCS;
		return TUI_KEY_REDRAW;
	default:
		return TUI_KEY_IGNORED;
	}
}

static int top_filter(void *st, const char *text, char *err, size_t n)
{
	struct top *t = st;
	char why[512];
	regex_t re;

	if (t->have_re)
		regfree(&t->re);
	t->have_re = false;
	t->sel = 0;
	if (!*text)
		return 0;
	if (slab_filter_compile(&re, text, why, sizeof(why)) < 0) {
		snprintf(err, n, "invalid regex %s", why);
		return -1;
	}
	t->re = re;
	t->have_re = true;
	live_filter_keep(t->o, text);
	return 0;
}

static void top_set_delay(void *st, double delay, bool paused)
{
	struct top *t = st;

	t->delay = delay;
	t->paused = paused;
}

static const struct tui_view top_view = {
	.name = "top",
	.min_rows = 20,
	.min_cols = 80,
	.help = top_help,
	.update = top_update,
	.render = top_render,
	.json = top_json,
	.key = top_key,
	.filter = top_filter,
	.set_delay = top_set_delay,
};

int cmd_top(struct options *o)
{
	const unsigned mask = IN_BIT(IN_MEMINFO) | IN_BIT(IN_VMSTAT) | IN_BIT(IN_BUDDYINFO) | IN_BIT(IN_ZONEINFO) |
			      IN_BIT(IN_PAGETYPEINFO) | IN_BIT(IN_SYSVM) | IN_BIT(IN_NODES) | IN_BIT(IN_SLABINFO);
	struct top t;
	struct tui_opts to;
	int rc;

	memset(&t, 0, sizeof(t));
	t.o = o;
	t.first = true;
	t.psort = PROCS_SORT_RSS;
	rc = live_opts(o, &to);
	if (rc)
		return rc;
	t.delay = to.delay;
	if (o->sort && (procs_sort_parse(o->sort, &t.psort) < 0 || t.psort == PROCS_SORT_PSS ||
			t.psort == PROCS_SORT_USS)) {
		cli_error("invalid sort key '%s' for top (rss, swap, pid, user or command)", o->sort);
		return EXIT_USAGE;
	}
	rc = cli_open_source(o, &t.src);
	if (rc)
		goto out;
	if (reload_new(t.src, mask, NULL, 1.0, &t.rl) < 0) {
		cli_error("out of memory");
		rc = EXIT_INPUT;
		goto out;
	}
	rc = tui_run(&top_view, &t, &to);
	if (to.error[0])
		cli_error("%s", to.error);
out:
	if (t.have_am)
		alloc_model_free(&t.am);
	free(t.slab_rows);
	slab_growth_free(&t.g);
	procs_table_free(&t.pt);
	procs_live_close();
	table_free(t.maps_table);
	if (t.have_re)
		regfree(&t.re);
	machine_free(&t.m);
	reload_free(t.rl);
	source_free(t.src);
	return live_finish(&to, rc);
}

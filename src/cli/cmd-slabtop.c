/*
 * cmd-slabtop.c - "fragscope slabtop": slabtop's live view of the slab
 * caches (its five-line header, its columns, its options -d -s -o and
 * sort keys a b c l v n o p s u), plus WASTE, PARTIAL and a growth rate
 * (objects per second between refreshes), sort keys w (waste), g
 * (growth) and r (partial), a regex filter (/) and help (h).
 *
 * The rows, sort order, filter and waste are cmd-slab.c's (views.h); the
 * inputs are kept open and re-read on each refresh (parse/reload.h); the
 * screen and loop are src/tui/.
 *
 * Header lines 1, 3, 4 and 5 are slabtop's definitions (sizes are slot
 * bytes: objects x slabinfo objsize).  Line 2, slabs: on SLAB the
 * kernel's active_slabs; on SLUB, where /proc/slabinfo says every slab
 * is active, "active" is the slabs not on a node partial list (sysfs
 * partial, full slabs and CPU slabs), and the line says so when sysfs
 * could not be read.
 */
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "../parse/reload.h"
#include "../render/escape.h"
#include "../tui/tui.h"

struct slabtop {
	const struct options *o;
	struct source *src;
	struct reload *rl;
	struct machine m;
	unsigned mask;
	enum sort_key sort;
	bool by_growth;
	regex_t re;
	bool have_re;
	struct slab_row *rows;
	size_t n;
	struct slab_growth g;
	unsigned frame;
	bool first;
	char status[PATH_MAX + 64];          /* a refresh problem, shown in the header area */
};

static const char *const slabtop_help[] = {
	"a          sort by active objects        o  by objects (the default)",
	"b          by objects per slab           p  by pages per slab",
	"c          by cache size                 s  by object size",
	"l          by slabs                      u  by use",
	"v          by active slabs               n  by name",
	"w          by waste                      g  by growth (objects/s)",
	"r          by partial slabs",
	NULL,
};

/* Rates against the last update, then the new baseline. */
int slab_growth_update(struct slab_growth *g, const struct slabinfo *si, double now)
{
	double dt = now - g->t;
	double *rate = realloc(g->rate, (si->n ? si->n : 1) * sizeof(*rate));
	bool same = g->n == si->n;

	if (!rate)
		return -ENOMEM;
	g->rate = rate;
	g->have_rate = g->n > 0 && dt > 0;
	for (size_t i = 0; i < si->n; i++) {
		const struct slab_cache *c = &si->c[i];
		uint64_t a = slab_active_objs(c);
		size_t k = i;

		rate[i] = 0;
		if (!(k < g->n && strcmp(g->name[k], c->name) == 0)) {
			same = false;
			for (k = 0; k < g->n && strcmp(g->name[k], c->name) != 0; k++)
				;
		}
		if (k < g->n && dt > 0)
			rate[i] = ((double)a - (double)g->active[k]) / dt;
	}
	if (!same) {
		for (size_t i = 0; i < g->n; i++)
			free(g->name[i]);
		free(g->name);
		free(g->active);
		g->n = 0;
		g->name = calloc(si->n ? si->n : 1, sizeof(*g->name));
		g->active = calloc(si->n ? si->n : 1, sizeof(*g->active));
		if (!g->name || !g->active)
			return -ENOMEM;
		for (size_t i = 0; i < si->n; i++) {
			g->name[i] = strdup(si->c[i].name);
			if (!g->name[i])
				return -ENOMEM;
			g->n = i + 1;
		}
	}
	for (size_t i = 0; i < si->n; i++)
		g->active[i] = slab_active_objs(&si->c[i]);
	g->t = now;
	return 0;
}

void slab_growth_free(struct slab_growth *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->name[i]);
	free(g->name);
	free(g->active);
	free(g->rate);
	memset(g, 0, sizeof(*g));
}

static double row_rate(const struct slabtop *t, const struct slab_row *r)
{
	return t->g.have_rate ? t->g.rate[r->c - t->m.slab.c] : 0;
}

static const struct slabtop *cmp_ctx;

static int growth_cmp(const void *a, const void *b)
{
	const struct slab_row *x = a, *y = b;
	double gx = row_rate(cmp_ctx, x), gy = row_rate(cmp_ctx, y);

	if (gx != gy)
		return gx > gy ? -1 : 1;
	return strcmp(x->c->name, y->c->name);
}

static int rows_build(struct slabtop *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
	if (slab_rows_collect(&t->m, t->have_re ? &t->re : NULL, t->sort, &t->rows, &t->n) < 0)
		return -ENOMEM;
	if (t->by_growth) {
		cmp_ctx = t;
		qsort(t->rows, t->n, sizeof(*t->rows), growth_cmp);
	}
	return 0;
}

static int slabtop_refresh(void *st, double now)
{
	struct slabtop *t = st;
	int r = reload_machine(t->rl, &t->m, now);
	const struct input_status *si = &t->m.in[IN_SLABINFO];

	if (r < 0) {
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	if (t->first) {
		t->first = false;
		if (!si->loaded) {
			if (si->err == -EACCES || si->err == -EPERM) {
				cli_error("slabtop needs root to read %s", si->path);
				return EXIT_PERM;
			}
			return cli_check_inputs(&t->m, IN_BIT(IN_SLABINFO), IN_BIT(IN_SLABINFO));
		}
		r = cli_check_slab_inputs(&t->m, t->mask);
		if (r && r != EXIT_PERM)
			return r;
	}
	t->status[0] = '\0';
	if (!si->loaded)
		snprintf(t->status, sizeof(t->status), "%s: %s", si->path,
			 si->parse_error ? "malformed, not refreshed" : cli_input_reason(si));
	if (slab_growth_update(&t->g, &t->m.slab, now) < 0 || rows_build(t) < 0) {
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	t->frame++;
	return 0;
}

/* ---- the frame -------------------------------------------------------- */

struct header {
	struct slab_totals tot;
	uint64_t active_size, total_size, min_size, max_size;   /* slot bytes, slabtop's */
	bool slub_sysfs;             /* SLUB and partial counts read */
	uint64_t active_slabs;
};

static void header_compute(const struct slabtop *t, struct header *h)
{
	memset(h, 0, sizeof(*h));
	slab_totals_compute(t->rows, t->n, t->m.slab.slab_allocator, &h->tot);
	for (size_t i = 0; i < t->n; i++) {
		const struct slab_row *r = &t->rows[i];
		uint64_t slot = r->slot_size;

		h->active_size += r->active * slot;
		h->total_size += r->objs * slot;
		if (!h->min_size || (slot && slot < h->min_size))
			h->min_size = slot;
		if (slot > h->max_size)
			h->max_size = slot;
	}
	h->active_slabs = h->tot.active_slabs;
	h->slub_sysfs = !t->m.slab.slab_allocator && h->tot.partial_known;
	if (h->slub_sysfs)
		h->active_slabs = h->tot.slabs >= h->tot.partial ? h->tot.slabs - h->tot.partial : 0;
}

/* v right-aligned in width at line[k], then the character after; returns the new k. */
static size_t put_u(char *line, size_t k, int width, uint64_t v, char after)
{
	char d[24];
	int n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < 24);
	for (int i = n; i < width; i++)
		line[k++] = ' ';
	while (n)
		line[k++] = d[--n];
	line[k++] = after;
	return k;
}

/* printf's "%*.2fK" of bytes / 1024 (bytes / 1024 is exact in binary, so
 * the rounding is to nearest, ties to even, as glibc does). */
static size_t put_k2(char *line, size_t k, int width, uint64_t bytes)
{
	uint64_t q = bytes * 100 / 1024, r = bytes * 100 % 1024;
	char d[32];
	int n = 0;

	if (r > 512 || (r == 512 && (q & 1)))
		q++;
	d[n++] = (char)('0' + q % 10);
	d[n++] = (char)('0' + q / 10 % 10);
	d[n++] = '.';
	q /= 100;
	do
		d[n++] = (char)('0' + q % 10);
	while ((q /= 10) && n < 30);
	for (int i = n; i < width; i++)
		line[k++] = ' ';
	while (n)
		line[k++] = d[--n];
	line[k++] = 'K';
	return k;
}

/* s right-aligned in width, then a blank. */
static size_t put_str(char *line, size_t k, int width, const char *str)
{
	size_t n = strlen(str);

	for (size_t i = n; i < (size_t)width; i++)
		line[k++] = ' ';
	memcpy(line + k, str, n);
	k += n;
	line[k++] = ' ';
	return k;
}

/* A cache name from the kernel: as is when it is plain printable ASCII
 * without a backslash (nearly always), else escaped (escape.h).  b is
 * scratch space kept across rows. */
static void put_name(struct scr *s, int y, int x, const char *name, struct buf *b)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c <= 0x20 || c >= 0x7f || c == '\\') {
			buf_reset(b);
			escape_text(name, n, b);
			tscr_put(s, y, x, ROLE_NORMAL, b->data ? b->data : "", b->len);
			return;
		}
	}
	tscr_put(s, y, x, ROLE_NORMAL, name, n);
}

static double pct(uint64_t a, uint64_t b)
{
	return b ? (double)a * 100.0 / (double)b : 0.0;
}

static void slabtop_render(void *st, struct scr *s)
{
	struct slabtop *t = st;
	struct header h;
	int y = 0, last = s->grow ? (int)t->n + 7 : s->rows;
	/* slabtop's columns and a readable NAME first: the added ones need 110. */
	bool wide = s->grow || s->cols >= 110;
	struct buf name = BUF_INIT;

	header_compute(t, &h);
	tscr_printf(s, y++, 0, ROLE_NORMAL, " Active / Total Objects (%% used)    : %llu / %llu (%.1f%%)",
		   (unsigned long long)h.tot.active, (unsigned long long)h.tot.objs, pct(h.tot.active, h.tot.objs));
	tscr_printf(s, y++, 0, ROLE_NORMAL, " Active / Total Slabs (%% used)      : %llu / %llu (%.1f%%)%s",
		   (unsigned long long)h.active_slabs, (unsigned long long)h.tot.slabs,
		   pct(h.active_slabs, h.tot.slabs),
		   t->m.slab.slab_allocator || h.slub_sysfs ? "" :
		   "  (SLUB without sysfs: every slab counts as active)");
	tscr_printf(s, y++, 0, ROLE_NORMAL, " Active / Total Caches (%% used)     : %llu / %llu (%.1f%%)",
		   (unsigned long long)h.tot.active_caches, (unsigned long long)h.tot.caches,
		   pct(h.tot.active_caches, h.tot.caches));
	tscr_printf(s, y++, 0, ROLE_NORMAL, " Active / Total Size (%% used)       : %.2fK / %.2fK (%.1f%%)",
		   (double)h.active_size / 1024.0, (double)h.total_size / 1024.0, pct(h.active_size, h.total_size));
	tscr_printf(s, y++, 0, ROLE_NORMAL, " Minimum / Average / Maximum Object : %.2fK / %.2fK / %.2fK",
		   (double)h.min_size / 1024.0,
		   h.tot.active ? (double)h.active_size / (double)h.tot.active / 1024.0 : 0.0,
		   (double)h.max_size / 1024.0);
	if (t->status[0])
		tscr_printf(s, y, 0, ROLE_BAD, " %s", t->status);
	else if (t->have_re)
		tscr_printf(s, y, 0, ROLE_DIM, " filter: %s", t->o->filter ? t->o->filter : "");
	y++;
	tscr_fill(s, y, 0, s->cols, ' ', ROLE_HEADING);
	tscr_printf(s, y++, 0, ROLE_HEADING, "%s", wide ?
		    "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE     WASTE PARTIAL    OBJ/S NAME" :
		    "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME");
	for (size_t i = 0; i < t->n && y < last; i++, y++) {
		const struct slab_row *r = &t->rows[i];
		char partial[24], rate[24];
		int x;

		/* printf only for what the integer formatter cannot say exactly:
		 * a non-zero rate (most caches do not change between refreshes). */
		if (!r->have_partial)
			strcpy(partial, "-");
		else
			partial[put_u(partial, 0, 0, r->partial, '\0') - 1] = '\0';
		if (!t->g.have_rate)
			strcpy(rate, "-");
		else if (row_rate(t, r) == 0)
			strcpy(rate, "+0.0");
		else
			snprintf(rate, sizeof(rate), "%+.1f", row_rate(t, r));
		{
			char line[128];
			size_t k = 0;

			/* slabtop's "%6u %6u %3u%% %7.2fK %6u %8u %9uK ", without printf:
			 * this runs for every visible row on every refresh. */
			k = put_u(line, k, 6, r->objs, ' ');
			k = put_u(line, k, 6, r->active, ' ');
			k = put_u(line, k, 3, r->use, '%');
			line[k++] = ' ';
			k = put_k2(line, k, 7, r->slot_size);
			line[k++] = ' ';
			k = put_u(line, k, 6, r->slabs, ' ');
			k = put_u(line, k, 8, r->objs_per_slab, ' ');
			k = put_u(line, k, 9, r->cache_bytes / 1024, 'K');
			line[k++] = ' ';
			x = tscr_put(s, y, 0, ROLE_NORMAL, line, k);
		}
		if (wide) {
			char line[64];
			size_t k = put_u(line, 0, 8, r->waste / 1024, 'K');

			line[k++] = ' ';
			k = put_str(line, k, 7, partial);
			k = put_str(line, k, 8, rate);
			x += tscr_put(s, y, x, ROLE_NORMAL, line, k);
			if (r->cache_bytes && r->waste * 2 > r->cache_bytes)
				tscr_paint(s, y, 55, 9, ROLE_WARN);
			if (t->g.have_rate && row_rate(t, r) > 0)
				tscr_paint(s, y, 73, 8, ROLE_WARN);
		}
		put_name(s, y, x, r->c->name, &name);
	}
	buf_free(&name);
}

static void slabtop_json(void *st, struct json *j)
{
	struct slabtop *t = st;
	struct header h;

	header_compute(t, &h);
	json_kv_u64(j, "schema_version", 1);
	json_kv_string(j, "command", "slabtop");
	json_kv_u64(j, "frame", t->frame);
	json_kv_string(j, "allocator", t->m.slab.slab_allocator ? "SLAB" : "SLUB");
	json_key(j, "totals");
	json_begin_object(j);
	json_kv_u64(j, "active_objects", h.tot.active);
	json_kv_u64(j, "objects", h.tot.objs);
	json_kv_u64(j, "slabs", h.tot.slabs);
	if (t->m.slab.slab_allocator || h.slub_sysfs)
		json_kv_u64(j, "active_slabs", h.active_slabs);
	else {
		json_key(j, "active_slabs");
		json_null(j);
	}
	if (h.tot.partial_known)
		json_kv_u64(j, "partial_slabs", h.tot.partial);
	json_kv_u64(j, "active_caches", h.tot.active_caches);
	json_kv_u64(j, "caches", h.tot.caches);
	json_kv_u64(j, "active_slot_bytes", h.active_size);
	json_kv_u64(j, "slot_bytes", h.total_size);
	json_kv_u64(j, "cache_bytes", h.tot.cache_bytes);
	json_kv_u64(j, "waste_bytes", h.tot.waste);
	json_kv_u64(j, "min_slot_size_bytes", h.min_size);
	json_kv_u64(j, "max_slot_size_bytes", h.max_size);
	json_end_object(j);
	json_key(j, "caches");
	json_begin_array(j);
	for (size_t i = 0; i < t->n; i++) {
		const struct slab_row *r = &t->rows[i];

		json_begin_object(j);
		json_kv_string(j, "name", r->c->name);
		json_kv_u64(j, "objects", r->objs);
		json_kv_u64(j, "active_objects", r->active);
		json_kv_u64(j, "use_percent", r->use);
		json_kv_u64(j, "slot_size_bytes", r->slot_size);
		if (r->object_size)
			json_kv_u64(j, "object_size_bytes", r->object_size);
		json_kv_u64(j, "slabs", r->slabs);
		json_kv_u64(j, "objects_per_slab", r->objs_per_slab);
		json_kv_u64(j, "pages_per_slab", r->pages_per_slab);
		json_kv_u64(j, "cache_bytes", r->cache_bytes);
		json_kv_u64(j, "waste_bytes", r->waste);
		if (r->have_partial)
			json_kv_u64(j, "partial_slabs", r->partial);
		json_key(j, "objects_per_s");
		if (t->g.have_rate)
			json_double(j, row_rate(t, r), 1);
		else
			json_null(j);
		json_end_object(j);
	}
	json_end_array(j);
}

static int slabtop_key(void *st, int ch)
{
	struct slabtop *t = st;
	char k[2] = { (char)ch, 0 };
	enum sort_key key;

	if (ch == 'g') {
		t->by_growth = true;
	} else if (ch > 0 && ch < 0x80 && ch != 'h' && slab_sort_parse(k, &key) == 0) {
		t->sort = key;
		t->by_growth = false;
	} else {
		return TUI_KEY_IGNORED;
	}
	if (rows_build(t) < 0)
		return TUI_KEY_IGNORED;
	return TUI_KEY_REDRAW;
}

/* The live views' / filter, kept as the --filter the JSON frames show. */
void live_filter_keep(const struct options *o, const char *text)
{
	static char filter_text[256];

	snprintf(filter_text, sizeof(filter_text), "%s", text);
	((struct options *)o)->filter = filter_text;
}

static int slabtop_filter(void *st, const char *text, char *err, size_t n)
{
	struct slabtop *t = st;
	char why[512];
	regex_t re;

	if (!*text) {
		if (t->have_re)
			regfree(&t->re);
		t->have_re = false;
		rows_build(t);
		return 0;
	}
	if (slab_filter_compile(&re, text, why, sizeof(why)) < 0) {
		snprintf(err, n, "invalid regex %s", why);
		return -1;
	}
	if (t->have_re)
		regfree(&t->re);
	t->re = re;
	t->have_re = true;
	live_filter_keep(t->o, text);
	rows_build(t);
	return 0;
}

static const struct tui_view slabtop_view = {
	.name = "slabtop",
	.min_rows = 10,
	.min_cols = 80,
	.help = slabtop_help,
	.update = slabtop_refresh,
	.render = slabtop_render,
	.json = slabtop_json,
	.key = slabtop_key,
	.filter = slabtop_filter,
};

/* Options shared by slabtop and top: the loop's settings. */
int live_finish(const struct tui_opts *to, int rc)
{
	int sig = tui_stopped_by();

	rc = to->batch ? cli_finish(rc) : rc;
	if (sig) {
		fflush(stdout);
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return rc;
}

int live_opts(const struct options *o, struct tui_opts *to)
{
	const char *nc = getenv("NO_COLOR");

	memset(to, 0, sizeof(*to));
	to->delay = (o->used & OPT_DELAY) ? o->delay : 3.0;
	to->batch = o->batch || o->once;
	to->iterations = o->once ? 1 : o->iterations;
	to->json = o->json;
	to->color = o->color_mode == COLOR_ALWAYS ||
		    (o->color_mode == COLOR_AUTO && !(nc && *nc));
	to->batch_cols = 132;
	if (o->json && !to->batch) {
		cli_error("-J/--json needs -b/--batch or -o/--once");
		return EXIT_USAGE;
	}
	if ((o->used & OPT_ITERATIONS) && !o->batch) {
		cli_error("-n/--iterations needs -b/--batch");
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_slabtop(struct options *o)
{
	struct slabtop t;
	struct tui_opts to;
	struct load_opts lo = { .slab_detail = SLAB_DETAIL_BASIC };
	int rc;

	memset(&t, 0, sizeof(t));
	t.o = o;
	t.first = true;
	t.sort = SORT_OBJS;
	rc = live_opts(o, &to);
	if (rc)
		return rc;
	if (o->sort) {
		if (strcmp(o->sort, "g") == 0 || strcmp(o->sort, "growth") == 0)
			t.by_growth = true;
		else if (slab_sort_parse(o->sort, &t.sort) < 0) {
			cli_error("invalid sort key '%s' (a b c l v n o p s u, w waste, r partial, g growth)", o->sort);
			return EXIT_USAGE;
		}
	}
	if (o->filter) {
		char err[512];

		if (slab_filter_compile(&t.re, o->filter, err, sizeof(err)) < 0) {
			cli_error("invalid --filter regex %s", err);
			return EXIT_USAGE;
		}
		t.have_re = true;
	}
	t.mask = o->no_sysfs ? IN_BIT(IN_SLABINFO) : IN_BIT(IN_SLABINFO) | IN_BIT(IN_SLABSYS);
	rc = cli_open_source(o, &t.src);
	if (rc)
		goto out;
	if (reload_new(t.src, t.mask, &lo, 1.0, &t.rl) < 0) {
		cli_error("out of memory");
		rc = EXIT_INPUT;
		goto out;
	}
	rc = tui_run(&slabtop_view, &t, &to);
	if (to.error[0])
		cli_error("%s", to.error);
	if (!rc && !to.batch)
		rc = EXIT_OK;
out:
	free(t.rows);
	slab_growth_free(&t.g);
	if (t.have_re)
		regfree(&t.re);
	machine_free(&t.m);
	reload_free(t.rl);
	source_free(t.src);
	return live_finish(&to, rc);
}

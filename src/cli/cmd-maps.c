/*
 * cmd-maps.c - "fragscope maps PID...": a process's address space.
 *
 *   maps PID          pmap's list: address, KiB, mode, mapping, total
 *   maps -x PID       pmap -x: RSS and dirty per mapping (smaps)
 *   maps -X / -XX     pmap -X / -XX: smaps fields as columns
 *   maps --summary    the address space by kind (text, data, bss, ...)
 *   maps --holes      the largest unmapped gaps
 *   maps --rollup     smaps_rollup's totals only
 *   -J                one JSON document with every field
 *
 * The list views copy pmap's layout byte for byte where pmap shows the
 * kernel's data (procps-ng 4.0), so scripts written for pmap keep working;
 * where pmap hides what the kernel said, fragscope shows it: "[ heap ]",
 * "[ vdso ]" rather than "[ anon ]", and " (deleted)" is kept.  Names are
 * escaped for the terminal (a process names its own files).
 *
 * Speed: a 60,000-mapping process must print in little more than the
 * time the kernel takes to generate its maps (issue 5: maps within 1.25x
 * of `cat /proc/PID/maps`, -J 1.5x, -x 1.15x of `cat .../smaps`).  The
 * list views therefore print as the file is read (proc_maps_next(): a
 * reader thread keeps the kernel busy while this one parses and prints
 * the chunk before), format rows in place with fmt.h, and keep nothing
 * of the file; see "the list views" below and stream.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "views.h"
#include "../analysis/addrspace.h"
#include "../render/escape.h"
#include "../render/fmt.h"
#include "../render/units.h"

/* ---- output buffer ---------------------------------------------------- */

struct out {
	char *b;
	size_t n, cap;
	bool failed;            /* out of memory: stop writing */
	bool scratch_only;      /* never written to stdout (a JSON value being built) */
	unsigned long flushes;  /* writes to stdout so far */
	struct buf scratch;     /* escaping */
	struct buf unesc;       /* names with \012 turned back into newlines */
};

/*
 * Output goes out in blocks of about this size: small enough to stay in
 * the cache while 60,000 lines go through it, large enough for few
 * write() calls.
 */
#define OUT_FLUSH (64 * 1024)

/*
 * Straight to the file descriptor: stdio would copy each block into its
 * own buffer first.  Whatever stdio holds goes first; if write() fails,
 * the rest is handed to stdio, which then fails the same way and keeps
 * the error for cli_finish() (exit status 5; EPIPE stays quiet).
 */
static void out_flush(struct out *o)
{
	size_t off = 0;

	if (!o->n || o->scratch_only)
		return;
	fflush(stdout);
	while (off < o->n) {
		ssize_t w = write(STDOUT_FILENO, o->b + off, o->n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fwrite(o->b + off, 1, o->n - off, stdout);
			fflush(stdout);
			break;
		}
		off += (size_t)w;
	}
	o->flushes++;
	o->n = 0;
}

/* Room for n more bytes; false when out of memory. */
static bool out_room(struct out *o, size_t n)
{
	if (o->n + n <= o->cap)
		return true;
	if (o->n >= OUT_FLUSH)
		out_flush(o);
	if (o->n + n > o->cap) {
		size_t cap = o->cap ? o->cap : o->scratch_only ? 4096 : OUT_FLUSH + 4096;
		bool first = !o->b;
		char *b;

		while (cap < o->n + n)
			cap *= 2;
		b = realloc(o->b, cap);
		if (!b) {
			o->failed = true;
			return false;
		}
		o->b = b;
		o->cap = cap;
		if (first)
			mem_prefault(b, cap);
	}
	return true;
}

/* After out_room(o, n): where the n bytes go. */
static char *out_ptr(struct out *o)
{
	return o->b + o->n;
}

static void put(struct out *o, const char *s, size_t n)
{
	if (!out_room(o, n))
		return;
	memcpy(o->b + o->n, s, n);
	o->n += n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void putch(struct out *o, char c)
{
	if (out_room(o, 1))
		o->b[o->n++] = c;
}

static void pad(struct out *o, size_t n)
{
	if (!out_room(o, n))
		return;
	memset(o->b + o->n, ' ', n);
	o->n += n;
}

static unsigned hex_len(uint64_t v)
{
	return fmt_hex_len(v);
}

static unsigned dec_len(uint64_t v)
{
	unsigned n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* v in hex, right-aligned in width, padded with fill. */
static void put_hex(struct out *o, uint64_t v, unsigned width, char fill)
{
	unsigned n = hex_len(v), w = width > n ? width : n;
	char *p;

	if (!out_room(o, w))
		return;
	p = out_ptr(o);
	memset(p, fill, w - n);
	fmt_hex_rev(p + w, v);
	o->n += w;
}

/* v in decimal, right-aligned in width. */
static void put_dec(struct out *o, uint64_t v, unsigned width)
{
	if (!out_room(o, width > FMT_U64_MAX ? width : FMT_U64_MAX))
		return;
	o->n += fmt_u64_right(out_ptr(o), v, width);
}

/* Plain printable ASCII, no backslash: nothing to escape. */
static bool plain_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\')
			return false;
	}
	return true;
}

/*
 * A name as the kernel printed it, made safe: "\012" back to a newline,
 * then every control character escaped (escape.h).  A name with nothing
 * to escape is copied as is.
 */
static void put_name_text(struct out *o, const char *s, size_t n)
{
	if (plain_ascii(s, n)) {
		put(o, s, n);
		return;
	}
	buf_reset(&o->unesc);
	if (buf_reserve(&o->unesc, n + 1) < 0) {
		o->failed = true;
		return;
	}
	n = vma_unescape(s, n, o->unesc.data);
	buf_reset(&o->scratch);
	if (escape_text(o->unesc.data, n, &o->scratch) < 0) {
		o->failed = true;
		return;
	}
	put(o, o->scratch.data, o->scratch.len);
}

static void out_free(struct out *o)
{
	free(o->b);
	buf_free(&o->scratch);
	buf_free(&o->unesc);
}

/* ---- one process ------------------------------------------------------ */

struct proc {
	int pid;
	char *cmd;                 /* command line, raw; NULL if unreadable */
	struct maps m;
	bool loaded;
	struct smaps_rollup r;
	bool have_rollup;
	struct input_status st;    /* of the maps, smaps or smaps_rollup read */
};

static void proc_free(struct proc *p)
{
	free(p->cmd);
	if (p->loaded)
		maps_free(&p->m);
	if (p->have_rollup)
		smaps_rollup_free(&p->r);
}

/* The file the view needs. */
static bool need_smaps(const struct options *o)
{
	return o->extended != MAPS_PLAIN;
}

/* Why a process could not be shown: one line, and the exit code. */
static int report_failure(const struct proc *p, bool live)
{
	const struct input_status *st = &p->st;

	if (st->parse_error) {
		if (st->perr.line)
			cli_error("%s:%u: %s", st->path, st->perr.line, st->perr.what);
		else
			cli_error("%s: %s", st->path, st->perr.what);
		return EXIT_INPUT;
	}
	switch (st->err) {
	case -ESRCH:
		cli_error("process %d: no such process (or it exited while being read)", p->pid);
		return EXIT_INPUT;
	case -EACCES:
	case -EPERM:
		cli_error("cannot read '%s': permission denied (%s)", st->path,
			  geteuid() == 0 ? "the kernel's ptrace access check refused even root"
					 : "another user's process: needs root");
		return EXIT_PERM;
	default:
		cli_error("cannot read '%s': %s%s", st->path, cli_input_reason(st),
			  st->err == -ENOENT && !live ? " (not in this snapshot)" : "");
		return EXIT_INPUT;
	}
}

static int proc_read(struct source *src, const struct options *o, struct proc *p)
{
	struct input_status cst;
	int r;

	r = proc_load_cmdline(src, p->pid, &p->cmd, &cst);
	if (r < 0)
		return r;
	if (o->rollup) {
		r = proc_load_rollup(src, p->pid, &p->r, &p->st);
		p->have_rollup = p->st.loaded;
	} else {
		r = proc_load_maps(src, p->pid, need_smaps(o) || o->summary, &p->m, &p->st);
		p->loaded = p->st.loaded;
		/* --summary shows RSS, PSS and swap when smaps can be read,
		 * and sizes from maps when it cannot. */
		if (r == 0 && !p->loaded && o->summary && !need_smaps(o) &&
		    p->st.err == -ENOENT && !p->st.parse_error) {
			r = proc_load_maps(src, p->pid, false, &p->m, &p->st);
			p->loaded = p->st.loaded;
		}
	}
	return r;
}

/* ---- names in pmap's style ------------------------------------------- */

/* The base name of a path: what follows the last '/'. */
static const char *base_name(const char *s, size_t *n)
{
	const char *slash = memrchr(s, '/', *n);

	if (slash && slash + 1 < s + *n) {
		*n -= (size_t)(slash + 1 - s);
		return slash + 1;
	}
	return s;
}

/*
 * pmap's mapping column: "  [ anon ]" for anonymous memory, "  [ NAME ]"
 * for the kernel's bracketed names (pmap says "[ anon ]" for all but the
 * stack), the base name of a file (the full path with -p), " (deleted)"
 * kept.  spaced: pmap's default and -x style; otherwise -X style (the
 * kernel's own spelling, and nothing for anonymous memory).
 */
static void put_mapping(struct out *o, const struct options *opt, const struct maps *m, const struct vma *v,
			bool spaced)
{
	size_t n;
	const char *s = vma_path(m, v, &n);

	if (n == 0) {
		if (spaced)
			puts_(o, "  [ anon ]");
		return;
	}
	if (s[0] == '[' && v->kind != VMA_KIND_FILE && v->kind != VMA_KIND_OTHER && n >= 2) {
		if (!spaced) {
			put_name_text(o, s, n);
			return;
		}
		puts_(o, "  [ ");
		put_name_text(o, s + 1, n - 2);
		puts_(o, " ]");
		return;
	}
	if (s[0] == '/' && !opt->show_path)
		s = base_name(s, &n);
	put_name_text(o, s, n);
	if (v->deleted)
		puts_(o, " (deleted)");
}

/* "PID:   command line", which pmap prints even with -q. */
static void put_header(struct out *o, const struct options *opt, const struct proc *p)
{
	(void)opt;
	put_dec(o, (uint64_t)p->pid, 0);
	putch(o, ':');
	if (p->cmd) {
		puts_(o, "   ");
		put_name_text(o, p->cmd, strlen(p->cmd));
	}
	putch(o, '\n');
}

static bool in_range(const struct options *opt, const struct vma *v)
{
	if (!(opt->used & OPT_RANGE))
		return true;
	/* pmap -A: mappings that overlap [low, high]. */
	return v->end > opt->range_lo && v->start <= opt->range_hi;
}

/* ---- the list views, printed as the file is read ---------------------- */

/*
 * pmap's list and pmap -x print one line per mapping and the totals at
 * the end, so each line is printed as soon as its mapping is parsed
 * (proc_maps_next()): the parse and print of one chunk overlap the
 * kernel's generation of the next on the reader thread, and nothing of
 * the file is kept.
 */
struct list_sums {
	uint64_t mappings, size_bytes, size_kb, rss_kb, pss_kb, swap_kb, dirty_kb;
};

static uint64_t counter(const struct maps *m, size_t i, enum smaps_counter c)
{
	uint64_t v = 0;

	vma_counter(m, i, c, &v);
	return v;
}

/* "000055f5b41e1000 " */
static char *put_addr16(char *q, uint64_t v)
{
	fmt_hex16(q, v);
	q[16] = ' ';
	return q + 17;
}

static char *put_mode_at(char *q, const struct vma *v)
{
	q[0] = (v->perms & VMA_READ) ? 'r' : '-';
	q[1] = (v->perms & VMA_WRITE) ? 'w' : '-';
	q[2] = (v->perms & VMA_EXEC) ? 'x' : '-';
	q[3] = (v->perms & VMA_SHARED) ? 's' : '-';
	q[4] = '-';
	q[5] = ' ';
	return q + 6;
}

/* pmap: "ADDRESS  KBYTES MODE  MAPPING" */
static void row_plain(struct out *o, const struct options *opt, const struct maps *m, size_t i,
		      struct list_sums *t)
{
	const struct vma *v = &m->v[i];
	uint64_t kb = (v->end - v->start) >> 10;
	char *q;

	if (!out_room(o, 64))
		return;
	q = put_addr16(out_ptr(o), v->start);
	q += fmt_u64_right(q, kb, 6);
	q[0] = 'K';
	q[1] = ' ';
	q = put_mode_at(q + 2, v);
	t->size_kb += kb;
	if (v->name_len == 0) {
		/* Anonymous memory, the common case: one copy of a constant. */
		memcpy(q, "  [ anon ]\n", 11);
		o->n = (size_t)(q + 11 - o->b);
		return;
	}
	o->n = (size_t)(q - o->b);
	put_mapping(o, opt, m, v, true);
	putch(o, '\n');
}

/* pmap -x: "ADDRESS  KBYTES RSS DIRTY MODE  MAPPING" */
static void row_x(struct out *o, const struct options *opt, const struct maps *m, size_t i,
		  struct list_sums *t)
{
	const struct vma *v = &m->v[i];
	uint64_t size = (v->end - v->start) >> 10;
	uint64_t rss = counter(m, i, SMAPS_RSS);
	uint64_t dirty = counter(m, i, SMAPS_SHARED_DIRTY) + counter(m, i, SMAPS_PRIVATE_DIRTY);
	char *q;

	if (!out_room(o, 96))
		return;
	q = put_addr16(out_ptr(o), v->start);
	q += fmt_u64_right(q, size, 7);
	*q++ = ' ';
	q += fmt_u64_right(q, rss, 7);
	*q++ = ' ';
	q += fmt_u64_right(q, dirty, 7);
	*q++ = ' ';
	q = put_mode_at(q, v);
	t->size_kb += size;
	t->rss_kb += rss;
	t->dirty_kb += dirty;
	if (v->name_len == 0) {
		memcpy(q, "  [ anon ]\n", 11);
		o->n = (size_t)(q + 11 - o->b);
		return;
	}
	o->n = (size_t)(q - o->b);
	put_mapping(o, opt, m, v, true);
	putch(o, '\n');
}

static void list_head(struct out *o, const struct options *opt, const struct proc *p)
{
	put_header(o, opt, p);
	if (opt->extended == MAPS_X && !opt->quiet && !opt->noheadings)
		puts_(o, "Address           Kbytes     RSS   Dirty Mode  Mapping\n");
}

static void list_foot(struct out *o, const struct options *opt, const struct list_sums *t)
{
	if (opt->quiet)
		return;
	if (opt->extended != MAPS_X) {
		puts_(o, " total ");
		put_dec(o, t->size_kb, 16);
		puts_(o, "K\n");
		return;
	}
	puts_(o, "---------------- ------- ------- ------- \n");
	puts_(o, "total kB        ");
	putch(o, ' ');
	put_dec(o, t->size_kb, 7);
	putch(o, ' ');
	put_dec(o, t->rss_kb, 7);
	putch(o, ' ');
	put_dec(o, t->dirty_kb, 7);
	putch(o, '\n');
}

/*
 * The list of one process, as it is read.  0 (p->st says whether it all
 * went through) or -ENOMEM.
 */
static int list_text(struct out *o, const struct options *opt, const struct proc *p,
		     struct proc_maps_stream *ms)
{
	struct list_sums t = { 0 };
	const struct maps *m;
	size_t from, to;
	int r;

	list_head(o, opt, p);
	while ((r = proc_maps_next(ms, &m, &from, &to)) > 0) {
		for (size_t i = from; i < to && !o->failed; i++) {
			if (!in_range(opt, &m->v[i]))
				continue;
			if (opt->extended == MAPS_X)
				row_x(o, opt, m, i, &t);
			else
				row_plain(o, opt, m, i, &t);
		}
		if (o->failed)
			return -ENOMEM;
	}
	if (r < 0)
		return r;
	if (p->st.loaded)
		list_foot(o, opt, &t);
	return o->failed ? -ENOMEM : 0;
}

/* Fields pmap -X leaves to -XX. */
static bool xx_only(const char *name)
{
	static const char *const hidden[] = {
		"KernelPageSize", "MMUPageSize", "Shared_Clean", "Shared_Dirty", "Private_Clean",
		"Private_Dirty", "AnonHugePages", "ProtectionKey",
	};

	for (size_t i = 0; i < ARRAY_SIZE(hidden); i++)
		if (strcmp(name, hidden[i]) == 0)
			return true;
	return false;
}

struct xcols {
	int *col_of;              /* per interned field name: column, or -1 */
	uint32_t *name_of;        /* per column: interned name */
	unsigned *width;          /* per column */
	uint64_t *total;
	bool *missing;            /* per column, scratch for one row */
	uint64_t *val;            /* per column, scratch for one row */
	size_t ncols;
	unsigned waddr, woff, wdev, winode, wflags;
	bool vmflags;             /* -XX: the VmFlags column */
};

static void xcols_free(struct xcols *x)
{
	free(x->col_of);
	free(x->name_of);
	free(x->width);
	free(x->total);
	free(x->missing);
	free(x->val);
}

/* Values of row i into x->val (missing[c] when the kernel did not print it). */
static void xrow(const struct maps *m, size_t i, struct xcols *x)
{
	const struct vma_smaps *s = &m->smaps[i];

	for (size_t c = 0; c < x->ncols; c++)
		x->missing[c] = true;
	for (size_t f = s->c.first; f < s->c.first + s->c.n; f++) {
		int c = x->col_of[smaps_field_name(&m->fields.f[f])];

		if (c >= 0) {
			x->val[c] = m->fields.f[f].value;
			x->missing[c] = false;
		}
	}
}

static int xcols_build(const struct options *opt, const struct maps *m, struct xcols *x)
{
	size_t nn = m->fields.nnames;

	memset(x, 0, sizeof(*x));
	x->vmflags = opt->extended == MAPS_XX;
	x->col_of = malloc((nn ? nn : 1) * sizeof(*x->col_of));
	x->name_of = malloc((nn ? nn : 1) * sizeof(*x->name_of));
	x->width = calloc(nn ? nn : 1, sizeof(*x->width));
	x->total = calloc(nn ? nn : 1, sizeof(*x->total));
	x->missing = calloc(nn ? nn : 1, sizeof(*x->missing));
	x->val = calloc(nn ? nn : 1, sizeof(*x->val));
	if (!x->col_of || !x->name_of || !x->width || !x->total || !x->missing || !x->val)
		return -ENOMEM;
	for (size_t k = 0; k < nn; k++) {
		const char *name = m->fields.names[k];

		x->col_of[k] = -1;
		if (opt->extended == MAPS_XBIG && xx_only(name))
			continue;
		x->col_of[k] = (int)x->ncols;
		x->name_of[x->ncols] = (uint32_t)k;
		x->width[x->ncols] = opt->quiet ? 1 : (unsigned)strlen(name);
		x->ncols++;
	}
	/* Widths: headings (unless -q), every value, and the totals. */
	x->waddr = opt->quiet ? 1 : 7;
	x->woff = opt->quiet ? 1 : 6;
	x->wdev = opt->quiet ? 1 : 6;
	x->winode = opt->quiet ? 1 : 5;
	x->wflags = opt->quiet ? 1 : 7;
	for (size_t i = 0; i < m->n; i++) {
		const struct vma *v = &m->v[i];
		unsigned w;

		if (!in_range(opt, v))
			continue;
		xrow(m, i, x);
		for (size_t c = 0; c < x->ncols; c++) {
			if (x->missing[c])
				continue;
			x->total[c] += x->val[c];
			w = dec_len(x->val[c]);
			if (w > x->width[c])
				x->width[c] = w;
		}
		w = hex_len(v->start);
		x->waddr = w > x->waddr ? w : x->waddr;
		w = hex_len(v->offset);
		w = w < 8 ? 8 : w;
		x->woff = w > x->woff ? w : x->woff;
		w = (v->dev_major > 0xff ? hex_len(v->dev_major) : 2) + 1 +
		    (v->dev_minor > 0xff ? hex_len(v->dev_minor) : 2);
		x->wdev = w > x->wdev ? w : x->wdev;
		w = dec_len(v->inode);
		x->winode = w > x->winode ? w : x->winode;
		if (x->vmflags) {
			size_t fl;

			vma_vmflags(m, i, &fl);
			x->wflags = fl > x->wflags ? (unsigned)fl : x->wflags;
		}
	}
	if (!opt->quiet)
		for (size_t c = 0; c < x->ncols; c++) {
			unsigned w = dec_len(x->total[c]);

			if (w > x->width[c])
				x->width[c] = w;
		}
	return 0;
}

static void put_right(struct out *o, const char *s, unsigned width)
{
	size_t n = strlen(s);

	if (n < width)
		pad(o, width - n);
	put(o, s, n);
}

static void view_xbig(struct out *o, const struct options *opt, const struct proc *p)
{
	const struct maps *m = &p->m;
	struct xcols x;
	unsigned lead;

	put_header(o, opt, p);
	if (xcols_build(opt, m, &x) < 0) {
		o->failed = true;
		xcols_free(&x);
		return;
	}
	if (!opt->quiet && !opt->noheadings) {
		put_right(o, "Address", x.waddr);
		puts_(o, " Perm ");
		put_right(o, "Offset", x.woff);
		putch(o, ' ');
		put_right(o, "Device", x.wdev);
		putch(o, ' ');
		put_right(o, "Inode", x.winode);
		for (size_t c = 0; c < x.ncols; c++) {
			putch(o, ' ');
			put_right(o, m->fields.names[x.name_of[c]], x.width[c]);
		}
		if (x.vmflags) {
			putch(o, ' ');
			put_right(o, "VmFlags", x.wflags);
		}
		puts_(o, " Mapping\n");
	}
	for (size_t i = 0; i < m->n && !o->failed; i++) {
		const struct vma *v = &m->v[i];

		if (!in_range(opt, v))
			continue;
		xrow(m, i, &x);
		put_hex(o, v->start, x.waddr, ' ');
		putch(o, ' ');
		put(o, v->perm_chars, 4);
		putch(o, ' ');
		pad(o, x.woff - (hex_len(v->offset) < 8 ? 8 : hex_len(v->offset)));
		put_hex(o, v->offset, 8, '0');
		putch(o, ' ');
		{
			unsigned wd = (v->dev_major > 0xff ? hex_len(v->dev_major) : 2) + 1 +
				      (v->dev_minor > 0xff ? hex_len(v->dev_minor) : 2);

			pad(o, x.wdev - wd);
			put_hex(o, v->dev_major, 2, '0');
			putch(o, ':');
			put_hex(o, v->dev_minor, 2, '0');
		}
		putch(o, ' ');
		put_dec(o, v->inode, x.winode);
		for (size_t c = 0; c < x.ncols; c++) {
			putch(o, ' ');
			if (x.missing[c])
				put_right(o, "-", x.width[c]);
			else
				put_dec(o, x.val[c], x.width[c]);
		}
		if (x.vmflags) {
			size_t fl;
			const char *f = vma_vmflags(m, i, &fl);

			putch(o, ' ');
			pad(o, x.wflags - fl);
			put(o, f, fl);
		}
		putch(o, ' ');
		put_mapping(o, opt, m, v, false);
		putch(o, '\n');
	}
	if (!opt->quiet) {
		lead = x.waddr + 1 + 4 + 1 + x.woff + 1 + x.wdev + 1 + x.winode + 1;
		pad(o, lead);
		for (size_t c = 0; c < x.ncols; c++) {
			if (out_room(o, x.width[c])) {
				memset(o->b + o->n, '=', x.width[c]);
				o->n += x.width[c];
			}
			putch(o, ' ');
		}
		putch(o, '\n');
		pad(o, lead);
		for (size_t c = 0; c < x.ncols; c++) {
			put_dec(o, x.total[c], x.width[c]);
			putch(o, ' ');
		}
		puts_(o, "KB \n");
	}
	xcols_free(&x);
}

/* ---- --summary and --holes (tables) ----------------------------------- */

static uint64_t base_page_kb(const struct machine *mach)
{
	return mach->page_size ? mach->page_size / 1024 : 4;
}

static int summary_table(const struct options *opt, const struct machine *mach, const struct proc *p,
			 struct table **ret)
{
	(void)opt;
	return view_maps_summary_table(mach, &p->m, ret);
}

int view_maps_summary_table(const struct machine *mach, const struct maps *m, struct table **ret)
{
	struct space_summary s;
	struct table *t = table_new("summary");
	int ck, cv, cs, cr, cp, cw, cd;

	*ret = t;
	if (!t)
		return -ENOMEM;
	space_summarize(m, base_page_kb(mach), &s);
	ck = table_add_column(t, "KIND", TABLE_STR, 0, "kind of mapping");
	cv = table_add_column(t, "VMAS", TABLE_U64, TABLE_RIGHT, "number of mappings");
	cs = table_add_column(t, "SIZE", TABLE_BYTES, TABLE_RIGHT, "address space");
	cr = table_add_column(t, "RSS", TABLE_BYTES, TABLE_RIGHT, "resident (smaps Rss)");
	cp = table_add_column(t, "PSS", TABLE_BYTES, TABLE_RIGHT, "proportional share (smaps Pss)");
	cw = table_add_column(t, "SWAP", TABLE_BYTES, TABLE_RIGHT, "swapped out (smaps Swap)");
	cd = table_add_column(t, "RULE", TABLE_STR, 0, "how the kind is decided");
	if (ck < 0 || cv < 0 || cs < 0 || cr < 0 || cp < 0 || cw < 0 || cd < 0)
		return -ENOMEM;
	for (int k = 0; k <= SPACE_NR; k++) {
		const struct space_sum *x = k < SPACE_NR ? &s.kind[k] : &s.total;

		if (k < SPACE_NR && x->vmas == 0)
			continue;
		if (table_new_row(t) < 0)
			return -ENOMEM;
		table_set_str(t, ck, k < SPACE_NR ? space_kind_name((enum space_kind)k) : "total");
		table_set_u64(t, cv, x->vmas);
		table_set_u64(t, cs, x->size_kb * 1024);
		if (s.have_smaps) {
			table_set_u64(t, cr, x->rss_kb * 1024);
			table_set_u64(t, cp, x->pss_kb * 1024);
			table_set_u64(t, cw, x->swap_kb * 1024);
		}
		table_set_str(t, cd, k < SPACE_NR ? space_kind_rule((enum space_kind)k) : "");
	}
	return 0;
}

/* A mapping's name for the holes table: kernel spelling, "anon" if none. */
static void hole_neighbour(const struct maps *m, size_t i, struct buf *b)
{
	size_t n;
	const char *s = vma_name(m, &m->v[i], &n);

	buf_reset(b);
	if (n == 0) {
		buf_append(b, "[anon]", 7);
		return;
	}
	if (buf_reserve(b, n + 1) == 0) {
		n = vma_unescape(s, n, b->data);
		b->len = n;
		buf_append(b, "", 1);
	}
}

static int holes_table(const struct options *opt, const struct space_holes *h, const struct maps *m,
		       struct table **ret)
{
	struct table *t = table_new("holes");
	struct buf b = BUF_INIT;
	uint64_t top = opt->top ? opt->top : 10;
	char hex[32];
	int cs, ce, cz, cb, ca;

	*ret = t;
	if (!t)
		return -ENOMEM;
	cs = table_add_column(t, "START", TABLE_STR, TABLE_RIGHT, "first unmapped address");
	ce = table_add_column(t, "END", TABLE_STR, TABLE_RIGHT, "first mapped address above it");
	cz = table_add_column(t, "SIZE", TABLE_BYTES, TABLE_RIGHT, "bytes unmapped");
	cb = table_add_column(t, "BELOW", TABLE_STR, 0, "the mapping below the gap");
	ca = table_add_column(t, "ABOVE", TABLE_STR, 0, "the mapping above the gap");
	if (cs < 0 || ce < 0 || cz < 0 || cb < 0 || ca < 0)
		return -ENOMEM;
	for (size_t i = 0; i < h->n && i < top; i++) {
		const struct space_hole *x = &h->h[i];

		if (table_new_row(t) < 0)
			return -ENOMEM;
		snprintf(hex, sizeof(hex), "%llx", (unsigned long long)x->start);
		table_set_str(t, cs, hex);
		snprintf(hex, sizeof(hex), "%llx", (unsigned long long)x->end);
		table_set_str(t, ce, hex);
		table_set_u64(t, cz, x->end - x->start);
		hole_neighbour(m, x->below, &b);
		table_set_str(t, cb, b.data ? b.data : "");
		hole_neighbour(m, x->above, &b);
		table_set_str(t, ca, b.data ? b.data : "");
	}
	buf_free(&b);
	return 0;
}

static void holes_line(const struct options *opt, const struct space_holes *h)
{
	char a[UNITS_BUFSZ], b[UNITS_BUFSZ], c[UNITS_BUFSZ];
	uint64_t largest = h->n ? h->h[0].end - h->h[0].start : 0;

	if (opt->bytes) {
		snprintf(a, sizeof(a), "%llu", (unsigned long long)h->total);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)largest);
		snprintf(c, sizeof(c), "%llu", (unsigned long long)h->mapped);
	} else {
		units_bytes(h->total, a);
		units_bytes(largest, b);
		units_bytes(h->mapped, c);
	}
	printf("%zu gaps, %s unmapped between %llx and %llx (%s mapped); largest gap %s (%.1f%% of the unmapped space)\n",
	       h->n, a, (unsigned long long)h->span_start, (unsigned long long)h->span_end, c, b,
	       h->total ? 100.0 * (double)largest / (double)h->total : 0.0);
}

static void rollup_table_fill(struct table *t, const struct smaps_rollup *r, int cf, int cv)
{
	for (size_t i = 0; i < r->fields.n; i++) {
		const struct smaps_field *f = &r->fields.f[i];

		if (table_new_row(t) < 0)
			return;
		table_set_str(t, cf, r->fields.names[smaps_field_name(f)]);
		table_set_u64(t, cv, smaps_field_kb(f) ? f->value * 1024 : f->value);
	}
}

/* ---- JSON ------------------------------------------------------------- */

/* "Pss_Dirty" -> "pss_dirty", "AnonHugePages" -> "anon_huge_pages",
 * "MMUPageSize" -> "mmu_page_size"; "_bytes" added to kB fields. */
static void json_field_key(const char *name, bool kb, char *out, size_t size)
{
	size_t n = 0;

	if (strcmp(name, "THPeligible") == 0) {
		snprintf(out, size, "thp_eligible");
		return;
	}
	for (size_t i = 0; name[i] && n + 8 < size; i++) {
		char c = name[i];

		if (c >= 'A' && c <= 'Z') {
			bool after_lower = i && name[i - 1] >= 'a' && name[i - 1] <= 'z';
			/* The last capital of a run starts a word: MMUPage. */
			bool run_end = i && name[i - 1] >= 'A' && name[i - 1] <= 'Z' && name[i + 1] >= 'a' &&
				       name[i + 1] <= 'z';

			if (after_lower || run_end)
				out[n++] = '_';
			c = (char)(c - 'A' + 'a');
		}
		out[n++] = c;
	}
	out[n] = '\0';
	if (kb)
		snprintf(out + n, size - n, "_bytes");
}

/* Lowercase hex without a prefix, as maps prints addresses; returns the
 * length.  out holds 17 bytes. */
static size_t hex_str(uint64_t v, char *out)
{
	static const char digits[] = "0123456789abcdef";
	unsigned n = hex_len(v);

	out[n] = '\0';
	for (unsigned i = n; i > 0; i--) {
		out[i - 1] = digits[v & 15];
		v >>= 4;
	}
	return n;
}

/* Addresses as hex strings: JSON numbers above 2^53 lose digits in jq
 * and JavaScript. */
static void json_hex(struct json *j, const char *key, uint64_t v)
{
	char s[17];
	size_t n = hex_str(v, s);

	json_key(j, key);
	json_string_len(j, s, n);
}

static void json_fields(struct json *j, const struct smaps_fields *fs, size_t first, size_t n, char (*keys)[48])
{
	for (size_t f = first; f < first + n; f++) {
		const struct smaps_field *x = &fs->f[f];

		if (keys[smaps_field_name(x)][0])
			json_kv_u64(j, keys[smaps_field_name(x)], smaps_field_kb(x) ? x->value * 1024 : x->value);
	}
}

/* Keys for every interned field name; NULL on ENOMEM. */
static char (*json_keys(const struct smaps_fields *fs))[48]
{
	char (*keys)[48] = calloc(fs->nnames ? fs->nnames : 1, sizeof(*keys));

	if (!keys)
		return NULL;
	for (size_t k = 0; k < fs->nnames; k++) {
		bool kb = false;

		/* A name's unit is the same in every entry; find one. */
		for (size_t f = 0; f < fs->n; f++)
			if (smaps_field_name(&fs->f[f]) == k) {
				kb = smaps_field_kb(&fs->f[f]);
				break;
			}
		/* smaps "Size" is the mapping's size_bytes, written already. */
		if (strcmp(fs->names[k], "Size") != 0)
			json_field_key(fs->names[k], kb, keys[k], sizeof(keys[k]));
	}
	return keys;
}

/* ---- JSON of the mapping list, as it is read --------------------------- */

/*
 * Each mapping object is formatted here as compact JSON text (keys are
 * constants, numbers and hex by fmt.h, strings checked for escaping in
 * one pass) and handed to the writer whole with json_raw(): a tenth of
 * the calls into the writer that one call per member would take, for
 * the same document (the writer lays it out in pretty mode).
 */

/* smaps field name -> JSON key, for each interned name; built as names appear. */
struct jkeys {
	char (*k)[48];
	unsigned char *len;   /* strlen(k[i]); 0: not shown */
	size_t n, cap;
	/* The kind names and their lengths. */
	const char *vk[VMA_KIND_NR], *sk[SPACE_NR];
	unsigned char vk_len[VMA_KIND_NR], sk_len[SPACE_NR];
};

static void jkeys_init(struct jkeys *jk)
{
	memset(jk, 0, sizeof(*jk));
	for (int k = 0; k < VMA_KIND_NR; k++) {
		jk->vk[k] = vma_kind_name((enum vma_kind)k);
		jk->vk_len[k] = (unsigned char)strlen(jk->vk[k]);
	}
	for (int k = 0; k < SPACE_NR; k++) {
		jk->sk[k] = space_kind_name((enum space_kind)k);
		jk->sk_len[k] = (unsigned char)strlen(jk->sk[k]);
	}
}

/* JSON strings need no escaping for these bytes (printable ASCII but '"' and '\\'). */
static bool json_plain_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			return false;
	}
	return true;
}

/* "s" as a JSON string into b. */
static void jstr(struct out *b, const char *s, size_t n)
{
	if (json_plain_text(s, n)) {
		if (!out_room(b, n + 2))
			return;
		b->b[b->n++] = '"';
		memcpy(b->b + b->n, s, n);
		b->n += n;
		b->b[b->n++] = '"';
		return;
	}
	buf_reset(&b->scratch);
	if (json_escape(s, n, &b->scratch) < 0) {
		b->failed = true;
		return;
	}
	putch(b, '"');
	put(b, b->scratch.data, b->scratch.len);
	putch(b, '"');
}

#define JLIT(b, lit) put(b, lit, sizeof(lit) - 1)

/* Keys for names interned since the last call; kb from each name's first
 * occurrence (the first in the file: earlier entries had no such name). */
static int jkeys_update(struct jkeys *jk, const struct smaps_fields *fs)
{
	size_t old = jk->n;

	if (fs->nnames <= old)
		return 0;
	if (fs->nnames > jk->cap) {
		size_t cap = fs->nnames + 16;
		char (*k)[48] = realloc(jk->k, cap * sizeof(*k));
		unsigned char *len;

		if (!k)
			return -ENOMEM;
		jk->k = k;
		len = realloc(jk->len, cap);
		if (!len)
			return -ENOMEM;
		jk->len = len;
		jk->cap = cap;
	}
	for (size_t k = old; k < fs->nnames; k++) {
		bool kb = false;

		for (size_t f = 0; f < fs->n; f++)
			if (smaps_field_name(&fs->f[f]) == k) {
				kb = smaps_field_kb(&fs->f[f]);
				break;
			}
		jk->k[k][0] = '\0';
		/* smaps "Size" is the mapping's size_bytes, written already. */
		if (strcmp(fs->names[k], "Size") != 0)
			json_field_key(fs->names[k], kb, jk->k[k], sizeof(jk->k[k]));
		jk->len[k] = (unsigned char)strlen(jk->k[k]);
	}
	jk->n = fs->nnames;
	return 0;
}

/* A literal at q; returns the end (a constant-size copy, no call). */
#define LIT(q, s) (memcpy((q), (s), sizeof(s) - 1), (q) + sizeof(s) - 1)

/* "%02x", as maps prints device numbers. */
static char *hex2_at(char *q, uint64_t v)
{
	if (v < 16)
		*q++ = '0';
	return fmt_hex_at(q, v);
}

/* One mapping object into b (reset first). */
static void json_vma_text(struct out *b, const struct maps *m, size_t i, uint64_t page_kb,
			  const struct jkeys *jk)
{
	const struct vma *v = &m->v[i];
	size_t n;
	const char *name = vma_path(m, v, &n);
	char *q;

	b->n = 0;
	/* The members up to "name": at most 230 bytes. */
	if (!out_room(b, 256))
		return;
	q = b->b;
	q = LIT(q, "{\"start\":\"");
	q = fmt_hex_at(q, v->start);
	q = LIT(q, "\",\"end\":\"");
	q = fmt_hex_at(q, v->end);
	q = LIT(q, "\",\"size_bytes\":");
	q = fmt_u64_at(q, v->end - v->start);
	/* perm_chars are [r-][w-][x-][sp]: nothing to escape. */
	q = LIT(q, ",\"perms\":\"");
	memcpy(q, v->perm_chars, 4);
	q = LIT(q + 4, "\",\"offset\":");
	q = fmt_u64_at(q, v->offset);
	q = LIT(q, ",\"device\":\"");
	q = hex2_at(q, v->dev_major);
	*q++ = ':';
	q = hex2_at(q, v->dev_minor);
	q = LIT(q, "\",\"inode\":");
	q = fmt_u64_at(q, v->inode);
	q = LIT(q, ",\"name\":");
	b->n = (size_t)(q - b->b);
	if (n == 0) {
		JLIT(b, "null");
	} else if (!memchr(name, '\\', n)) {
		jstr(b, name, n);
	} else {
		buf_reset(&b->unesc);
		if (buf_reserve(&b->unesc, n + 1) < 0) {
			b->failed = true;
			return;
		}
		jstr(b, b->unesc.data, vma_unescape(name, n, b->unesc.data));
	}
	if (!out_room(b, 96))
		return;
	q = b->b + b->n;
	if (v->deleted)
		q = LIT(q, ",\"deleted\":true,\"name_kind\":\"");
	else
		q = LIT(q, ",\"deleted\":false,\"name_kind\":\"");
	{
		unsigned vk = v->kind < VMA_KIND_NR ? v->kind : VMA_KIND_OTHER;
		enum space_kind sk = space_kind_of(m, i, page_kb);

		memcpy(q, jk->vk[vk], jk->vk_len[vk]);
		q = LIT(q + jk->vk_len[vk], "\",\"kind\":\"");
		memcpy(q, jk->sk[sk], jk->sk_len[sk]);
		q += jk->sk_len[sk];
		*q++ = '"';
	}
	b->n = (size_t)(q - b->b);
	if (m->smaps) {
		const struct vma_smaps *s = &m->smaps[i];
		const struct smaps_field *f = m->fields.f + s->c.first;

		for (uint32_t k = 0; k < s->c.n; k++) {
			uint32_t fname = smaps_field_name(&f[k]);
			const char *key = jk->k[fname];
			size_t kn = jk->len[fname];

			if (!kn || !out_room(b, kn + 4 + FMT_U64_MAX))
				continue;
			q = b->b + b->n;
			q = LIT(q, ",\"");
			memcpy(q, key, kn);
			q = LIT(q + kn, "\":");
			q = fmt_u64_at(q, smaps_field_kb(&f[k]) ? f[k].value * 1024 : f[k].value);
			b->n = (size_t)(q - b->b);
		}
		if (s->c.have & SMAPS_HAVE_VMFLAGS) {
			size_t fl, a = 0, e;
			const char *fs = vma_vmflags(m, i, &fl);

			/* The codes, as vma_vmflag() gives them: the first two
			 * bytes of each blank-separated token. */
			JLIT(b, ",\"vmflags\":[");
			while (a < fl) {
				char code[3];

				for (e = a; e < fl && fs[e] != ' '; e++)
					;
				code[0] = fs[a];
				code[1] = e - a > 1 ? fs[a + 1] : '\0';
				code[2] = '\0';
				if (a)
					putch(b, ',');
				jstr(b, code, strlen(code));
				a = e + 1;
			}
			putch(b, ']');
		}
		if (s->c.have & SMAPS_HAVE_NAME) {
			size_t an;
			const char *a = vma_android_name(m, i, &an);

			JLIT(b, ",\"android_name\":");
			jstr(b, a, an);
		}
	}
	putch(b, '}');
}

/*
 * "file", "mappings" and "totals" of one process, as the file is read.
 * 0 (p->st says whether it all went through) or -ENOMEM.
 */
static int list_json(struct json *j, const struct options *opt, const struct machine *mach,
		     const struct proc *p, struct proc_maps_stream *ms, struct out *b)
{
	uint64_t page_kb = base_page_kb(mach);
	struct list_sums t = { 0 };
	struct jkeys jk;
	const struct maps *m = NULL;
	bool smaps = need_smaps(opt);
	size_t from, to;
	int r;

	jkeys_init(&jk);
	json_kv_string(j, "file", p->st.path);
	json_key(j, "mappings");
	json_begin_array(j);
	while ((r = proc_maps_next(ms, &m, &from, &to)) > 0) {
		if (m->smaps && jkeys_update(&jk, &m->fields) < 0) {
			r = -ENOMEM;
			break;
		}
		for (size_t i = from; i < to; i++) {
			const struct vma *v = &m->v[i];

			if (!in_range(opt, v))
				continue;
			json_vma_text(b, m, i, page_kb, &jk);
			if (b->failed) {
				r = -ENOMEM;
				break;
			}
			json_raw(j, b->b, b->n);
			t.mappings++;
			t.size_bytes += v->end - v->start;
			if (smaps) {
				t.rss_kb += counter(m, i, SMAPS_RSS);
				t.pss_kb += counter(m, i, SMAPS_PSS);
				t.swap_kb += counter(m, i, SMAPS_SWAP);
				t.dirty_kb += counter(m, i, SMAPS_SHARED_DIRTY) +
					      counter(m, i, SMAPS_PRIVATE_DIRTY);
			}
		}
		if (r < 0)
			break;
	}
	free(jk.k);
	free(jk.len);
	if (r < 0)
		return r;
	json_end_array(j);
	if (!p->st.loaded)
		return 0;
	json_key(j, "totals");
	json_begin_object(j);
	json_kv_u64(j, "mappings", t.mappings);
	json_kv_u64(j, "size_bytes", t.size_bytes);
	if (smaps) {
		json_kv_u64(j, "rss_bytes", t.rss_kb * 1024);
		json_kv_u64(j, "pss_bytes", t.pss_kb * 1024);
		json_kv_u64(j, "swap_bytes", t.swap_kb * 1024);
		json_kv_u64(j, "dirty_bytes", t.dirty_kb * 1024);
	}
	json_end_object(j);
	return 0;
}

static void json_summary(struct json *j, const struct maps *m, uint64_t page_kb)
{
	struct space_summary s;

	space_summarize(m, page_kb, &s);
	json_key(j, "summary");
	json_begin_array(j);
	for (int k = 0; k < SPACE_NR; k++) {
		const struct space_sum *x = &s.kind[k];

		json_begin_object(j);
		json_kv_string(j, "kind", space_kind_name((enum space_kind)k));
		json_kv_string(j, "rule", space_kind_rule((enum space_kind)k));
		json_kv_u64(j, "mappings", x->vmas);
		json_kv_u64(j, "size_bytes", x->size_kb * 1024);
		json_key(j, "rss_bytes");
		s.have_smaps ? json_u64(j, x->rss_kb * 1024) : json_null(j);
		json_key(j, "pss_bytes");
		s.have_smaps ? json_u64(j, x->pss_kb * 1024) : json_null(j);
		json_key(j, "swap_bytes");
		s.have_smaps ? json_u64(j, x->swap_kb * 1024) : json_null(j);
		json_end_object(j);
	}
	json_end_array(j);
}

static void json_holes(struct json *j, const struct options *opt, const struct space_holes *h, const struct maps *m)
{
	uint64_t top = opt->top ? opt->top : h->n;
	struct buf b = BUF_INIT;

	json_key(j, "holes");
	json_begin_object(j);
	json_kv_u64(j, "count", h->n);
	json_kv_u64(j, "unmapped_bytes", h->total);
	json_kv_u64(j, "mapped_bytes", h->mapped);
	json_hex(j, "span_start", h->span_start);
	json_hex(j, "span_end", h->span_end);
	json_key(j, "largest");
	json_begin_array(j);
	for (size_t i = 0; i < h->n && i < top; i++) {
		json_begin_object(j);
		json_hex(j, "start", h->h[i].start);
		json_hex(j, "end", h->h[i].end);
		json_kv_u64(j, "size_bytes", h->h[i].end - h->h[i].start);
		hole_neighbour(m, h->h[i].below, &b);
		json_kv_string(j, "below", b.data);
		hole_neighbour(m, h->h[i].above, &b);
		json_kv_string(j, "above", b.data);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
	buf_free(&b);
}

static void json_error(struct json *j, const struct proc *p)
{
	const struct input_status *st = &p->st;

	json_key(j, "error");
	json_begin_object(j);
	json_kv_string(j, "path", st->path);
	json_kv_string(j, "reason", st->err == -ESRCH ? "no such process" : cli_input_reason(st));
	if (st->parse_error)
		json_kv_u64(j, "line", st->perr.line);
	json_end_object(j);
}

static int json_proc(struct json *j, const struct options *opt, const struct machine *mach, const struct proc *p)
{
	uint64_t page_kb = base_page_kb(mach);

	json_begin_object(j);
	json_kv_u64(j, "pid", (uint64_t)p->pid);
	json_kv_string(j, "command", p->cmd);
	if (!p->st.loaded) {
		json_error(j, p);
		json_end_object(j);
		return 0;
	}
	json_kv_string(j, "file", p->st.path);
	if (p->have_rollup) {
		char (*keys)[48] = json_keys(&p->r.fields);

		if (!keys)
			return -ENOMEM;
		json_hex(j, "start", p->r.start);
		json_hex(j, "end", p->r.end);
		json_key(j, "rollup");
		json_begin_object(j);
		json_fields(j, &p->r.fields, 0, p->r.fields.n, keys);
		json_end_object(j);
		free(keys);
	} else {
		const struct maps *m = &p->m;

		if (opt->summary)
			json_summary(j, m, page_kb);
		if (opt->holes) {
			struct space_holes h;

			if (space_holes(m, &h) < 0)
				return -ENOMEM;
			json_holes(j, opt, &h, m);
			space_holes_free(&h);
		}
	}
	json_end_object(j);
	return 0;
}

/* ---- text output of one process --------------------------------------- */

static int text_proc(struct out *o, const struct options *opt, const struct machine *mach, const struct proc *p)
{
	struct table_opts to = cli_table_opts(opt);
	int r = 0;

	if (!opt->summary && !opt->holes && !opt->rollup) {
		/* -X and -XX: columns as wide as their widest value. */
		view_xbig(o, opt, p);
		return o->failed ? -ENOMEM : 0;
	}
	put_header(o, opt, p);
	out_flush(o);
	if (opt->rollup) {
		struct table *t = table_new("rollup");
		int cf, cv;

		if (!t)
			return -ENOMEM;
		cf = table_add_column(t, "FIELD", TABLE_STR, 0, "smaps_rollup field");
		cv = table_add_column(t, "VALUE", TABLE_BYTES, TABLE_RIGHT, "total over every mapping");
		if (cf < 0 || cv < 0) {
			table_free(t);
			return -ENOMEM;
		}
		rollup_table_fill(t, &p->r, cf, cv);
		if (cli_select_columns(opt, &t, 1) == EXIT_OK && t)
			r = table_print(t, stdout, &to);
		table_free(t);
		return r;
	}
	if (opt->summary) {
		struct table *t;

		r = summary_table(opt, mach, p, &t);
		if (r == 0 && cli_select_columns(opt, &t, 1) == EXIT_OK && t)
			r = table_print(t, stdout, &to);
		table_free(t);
		if (r < 0)
			return r;
		if (!p->m.smaps && !opt->quiet)
			printf("(RSS, PSS and swap need %s/%d/smaps, which could not be read)\n",
			       opt->root ? opt->root : "/proc", p->pid);
	}
	if (opt->holes) {
		struct space_holes h;
		struct table *t;

		if (space_holes(&p->m, &h) < 0)
			return -ENOMEM;
		if (opt->summary)
			putchar('\n');
		r = holes_table(opt, &h, &p->m, &t);
		if (r == 0 && cli_select_columns(opt, &t, 1) == EXIT_OK && t)
			r = table_print(t, stdout, &to);
		table_free(t);
		if (r == 0 && !opt->quiet)
			holes_line(opt, &h);
		space_holes_free(&h);
	}
	return r;
}

/* ---- one process of a list view, printed as it is read --------------- */

/* Whether the view prints the mapping list as the file is read: all
 * list views but the text of -X and -XX, whose columns are as wide as
 * their widest value. */
static bool streamed(const struct options *o)
{
	return !o->summary && !o->holes && !o->rollup &&
	       (o->json || o->extended == MAPS_PLAIN || o->extended == MAPS_X);
}

static void json_failed(struct json *j, const struct proc *p)
{
	json_begin_object(j);
	json_kv_u64(j, "pid", (uint64_t)p->pid);
	json_kv_string(j, "command", p->cmd);
	json_error(j, p);
	json_end_object(j);
}

/*
 * A process of a streamed view.  A failure found after the list began
 * (a malformed line further down, the process exiting mid-read) takes
 * back what was printed of the process if none of it has left the
 * output buffer yet (64 KiB of text or JSON), so a small broken
 * file prints only the error, as before; a long list that has been
 * partly written ends where the failure was (JSON: "error" follows the
 * mappings read, and there are no totals).  *printed counts processes
 * shown; failures raise *rc.  0 or -ENOMEM.
 */
static int proc_stream(struct source *src, const struct options *o, const struct machine *mach,
		       struct json *j, struct out *out, struct out *scratch, struct proc *p,
		       unsigned *printed, int *rc)
{
	struct proc_maps_stream *ms;
	struct input_status cst;
	int r;

	/* The reader thread starts on maps while the command line is read. */
	r = proc_maps_open(src, p->pid, need_smaps(o), &ms, &p->st);
	if (r < 0)
		return r;
	r = proc_load_cmdline(src, p->pid, &p->cmd, &cst);
	if (r < 0) {
		proc_maps_close(ms);
		return r;
	}
	if (!ms) {
		cli_status(rc, report_failure(p, mach->live));
		if (j)
			json_failed(j, p);
		return 0;
	}
	if (j) {
		struct json_mark mark;

		json_begin_object(j);
		json_kv_u64(j, "pid", (uint64_t)p->pid);
		json_kv_string(j, "command", p->cmd);
		json_mark(j, &mark);
		r = list_json(j, o, mach, p, ms, scratch);
		if (r == 0 && !p->st.loaded) {
			cli_status(rc, report_failure(p, mach->live));
			json_rollback(j, &mark);
			json_error(j, p);
		}
		json_end_object(j);
	} else {
		size_t mark = out->n;
		unsigned long flushes = out->flushes;

		if (*printed && !o->quiet)
			putch(out, '\n');
		r = list_text(out, o, p, ms);
		if (r == 0 && !p->st.loaded && out->flushes == flushes) {
			out->n = mark;
		} else if (r == 0) {
			(*printed)++;
		}
		out_flush(out);
		if (r == 0 && !p->st.loaded)
			cli_status(rc, report_failure(p, mach->live));
	}
	proc_maps_close(ms);
	return r;
}

/* ---- the command ------------------------------------------------------ */

static int check_usage(const struct options *o)
{
	bool list = !o->summary && !o->holes && !o->rollup;

	if (o->rollup && (o->summary || o->holes))
		cli_error("--rollup reads only smaps_rollup: it does not combine with --summary or --holes");
	else if (!list && (o->used & (OPT_EXTENDED | OPT_RANGE | OPT_SHOW_PATH)))
		cli_error("-x, -X, -XX, -A and -p shape the list of mappings; they do not apply to --summary, --holes or --rollup");
	else if ((o->used & OPT_TOP) && !o->holes)
		cli_error("--top applies to --holes");
	else if (o->output && list)
		cli_error("the mapping list has pmap's columns; -o applies to --summary, --holes and --rollup");
	else
		return EXIT_OK;
	return EXIT_USAGE;
}

static int parse_pids(const struct options *o, int **ret)
{
	int *pids = calloc((size_t)o->argc, sizeof(*pids));

	if (!pids) {
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	for (int i = 0; i < o->argc; i++) {
		char *end;
		long v;

		errno = 0;
		v = strtol(o->argv[i], &end, 10);
		if (errno || end == o->argv[i] || *end || v <= 0 || v > 0x7fffffff) {
			struct buf b = BUF_INIT;

			escape_text(o->argv[i], strlen(o->argv[i]), &b);
			buf_append(&b, "", 1);
			cli_error("invalid PID '%s'", b.data ? b.data : "");
			buf_free(&b);
			free(pids);
			return EXIT_USAGE;
		}
		pids[i] = (int)v;
	}
	*ret = pids;
	return EXIT_OK;
}

/* "-o help": the columns of the --summary, --holes and --rollup tables. */
static int columns_help(const struct options *o)
{
	struct proc p = { 0 };
	struct space_holes h = { 0 };
	struct machine mach = { 0 };
	struct table *t[3] = { NULL, NULL, NULL };
	int rc = EXIT_INPUT;

	if (summary_table(o, &mach, &p, &t[0]) == 0 && holes_table(o, &h, &p.m, &t[1]) == 0 &&
	    (t[2] = table_new("rollup")) &&
	    table_add_column(t[2], "FIELD", TABLE_STR, 0, "smaps_rollup field") >= 0 &&
	    table_add_column(t[2], "VALUE", TABLE_BYTES, TABLE_RIGHT, "total over every mapping") >= 0)
		rc = cli_select_columns(o, t, 3) < 0 ? EXIT_OK : EXIT_USAGE;
	else
		cli_error("out of memory");
	for (int i = 0; i < 3; i++)
		table_free(t[i]);
	return cli_finish(rc);
}

int cmd_maps(struct options *o)
{
	struct source *src = NULL;
	struct machine mach;
	struct json *j = NULL;
	struct out out = { 0 };
	struct out scratch = { .scratch_only = true };  /* one JSON mapping */
	int *pids = NULL;
	unsigned printed = 0;      /* processes shown: a blank line between */
	int rc;

	if (o->output && strcmp(o->output, "help") == 0)
		return columns_help(o);
	rc = check_usage(o);
	if (rc)
		return rc;
	rc = parse_pids(o, &pids);
	if (rc)
		return rc;
	/*
	 * The streamed views write in blocks of 64 KiB already: without a stdio buffer in between they go to the
	 * file descriptor as they are, and no page is touched for a copy.
	 */
	if (streamed(o))
		setvbuf(stdout, NULL, _IONBF, 0);
	/* No machine-wide input: the page size and the kernel release. */
	rc = cli_load(o, 0, 0, &src, &mach);
	if (!src) {
		free(pids);
		machine_free(&mach);
		return rc;
	}
	if (o->json) {
		j = cli_json_begin(o, &mach, "maps");
		if (!j) {
			rc = EXIT_INPUT;
			goto out;
		}
		json_key(j, "processes");
		json_begin_array(j);
	}
	for (int i = 0; i < o->argc; i++) {
		struct proc p = { .pid = pids[i] };
		int r;

		if (streamed(o)) {
			r = proc_stream(src, o, &mach, j, &out, &scratch, &p, &printed, &rc);
			proc_free(&p);
			if (r < 0) {
				cli_error("out of memory");
				cli_status(&rc, EXIT_INPUT);
				break;
			}
			continue;
		}
		r = proc_read(src, o, &p);
		if (r < 0) {
			proc_free(&p);
			cli_error("out of memory");
			cli_status(&rc, EXIT_INPUT);
			break;
		}
		if (!p.st.loaded)
			cli_status(&rc, report_failure(&p, mach.live));
		if (j) {
			r = json_proc(j, o, &mach, &p);
		} else if (p.st.loaded) {
			if (printed++ && !o->quiet)
				putch(&out, '\n');
			r = text_proc(&out, o, &mach, &p);
			out_flush(&out);
		}
		proc_free(&p);
		if (r < 0) {
			cli_error("out of memory");
			cli_status(&rc, EXIT_INPUT);
			break;
		}
	}
	if (j) {
		json_end_array(j);
		cli_json_end(j, &mach, 0);
	}
out:
	out_flush(&out);
	out_free(&out);
	out_free(&scratch);
	free(pids);
	machine_free(&mach);
	source_free(src);
	return cli_finish(rc);
}

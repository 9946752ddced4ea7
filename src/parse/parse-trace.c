/*
 * parse-trace.c - the page allocator's kmem events in an ftrace text
 * trace (reference/kernel.md 6.2 and 6.3):
 *
 *   <comm>-<pid> [<cpu>] <flags> <secs>.<usecs>: mm_page_alloc: page=%p pfn=0x%lx order=%d migratetype=%d gfp_flags=%s
 *   <comm>-<pid> [<cpu>] <flags> <secs>.<usecs>: mm_page_free: page=%p pfn=0x%lx order=%d
 *   ...: mm_page_alloc_zone_locked: page=%p pfn=0x%lx order=%u migratetype=%d percpu_refill=%d
 *   ...: mm_page_pcpu_drain: page=%p pfn=0x%lx order=%d migratetype=%d
 *
 * The last two are the buddy lists' own traffic (taken from them, given
 * back from a per-CPU list); mm_page_free_batched repeats frees already
 * traced and is only counted.
 *
 * The task name may hold blanks and '-', so the event is found by its
 * ": NAME: " marker rather than by columns.  pfn is hex since 5.14 and
 * decimal before; both are accepted.  A failed allocation prints pfn 0
 * (and page 0).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse-trace.h"
#include "../analysis/alloc.h"

/* The events kept, by name; the first match wins, and no name is a prefix
 * of another's "NAME: " marker. */
static const struct {
	const char *name;
	uint8_t kind;        /* enum trace_kind; an allocation may become TRACE_ALLOC_FAILED */
} trace_events[] = {
	{ "mm_page_alloc", TRACE_ALLOC },
	{ "mm_page_free", TRACE_FREE },
	{ "mm_page_alloc_zone_locked", TRACE_BUDDY_TAKE },
	{ "mm_page_pcpu_drain", TRACE_BUDDY_GIVE },
};

void trace_free(struct trace *t)
{
	free(t->ev);
	t->ev = NULL;
	t->n = 0;
}

/* Composite names first, as __print_flags prints them (6.18 values). */
static const struct {
	const char *name;
	uint32_t mask;
} gfp_names[] = {
	{ "GFP_TRANSHUGE", 0x1c24ca }, { "GFP_TRANSHUGE_LIGHT", 0x1c20ca },
	{ "GFP_HIGHUSER_MOVABLE", 0x100cca }, { "GFP_HIGHUSER", 0x100cc2 }, { "GFP_USER", 0x100cc0 },
	{ "GFP_KERNEL_ACCOUNT", 0x400cc0 }, { "GFP_KERNEL", 0xcc0 }, { "GFP_NOFS", 0xc40 },
	{ "GFP_ATOMIC", 0x820 }, { "GFP_NOIO", 0xc00 }, { "GFP_NOWAIT", 0x2800 }, { "GFP_DMA", 0x1 },
	{ "GFP_DMA32", 0x4 }, { "__GFP_RECLAIM", 0xc00 },
	{ "__GFP_DMA", 0x1 }, { "__GFP_HIGHMEM", 0x2 }, { "__GFP_DMA32", 0x4 }, { "__GFP_MOVABLE", 0x8 },
	{ "__GFP_RECLAIMABLE", 0x10 }, { "__GFP_HIGH", 0x20 }, { "__GFP_IO", 0x40 }, { "__GFP_FS", 0x80 },
	{ "__GFP_ZERO", 0x100 }, { "__GFP_DIRECT_RECLAIM", 0x400 }, { "__GFP_KSWAPD_RECLAIM", 0x800 },
	{ "__GFP_WRITE", 0x1000 }, { "__GFP_NOWARN", 0x2000 }, { "__GFP_RETRY_MAYFAIL", 0x4000 },
	{ "__GFP_NOFAIL", 0x8000 }, { "__GFP_NORETRY", 0x10000 }, { "__GFP_MEMALLOC", 0x20000 },
	{ "__GFP_COMP", 0x40000 }, { "__GFP_NOMEMALLOC", 0x80000 }, { "__GFP_HARDWALL", 0x100000 },
	{ "__GFP_THISNODE", 0x200000 }, { "__GFP_ACCOUNT", 0x400000 }, { "__GFP_ZEROTAGS", 0x800000 },
};

uint32_t trace_gfp_mask(const char *s, size_t n, uint64_t *unknown)
{
	const char *end = s + n;
	uint32_t mask = 0;

	while (s < end) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		size_t len = (size_t)((bar ? bar : end) - s);
		bool known = false;

		if (len == 4 && memcmp(s, "none", 4) == 0) {
			known = true;
		} else if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			uint64_t v = 0;

			known = true;
			for (size_t k = 2; k < len && known; k++) {
				int d = s[k] >= '0' && s[k] <= '9' ? s[k] - '0' :
					s[k] >= 'a' && s[k] <= 'f' ? s[k] - 'a' + 10 :
					s[k] >= 'A' && s[k] <= 'F' ? s[k] - 'A' + 10 : -1;

				if (d < 0 || v >> 60)
					known = false;
				else
					v = v << 4 | (uint64_t)d;
			}
			if (known)
				mask |= (uint32_t)v;
		} else {
			for (size_t k = 0; k < sizeof(gfp_names) / sizeof(gfp_names[0]); k++)
				if (strlen(gfp_names[k].name) == len && memcmp(gfp_names[k].name, s, len) == 0) {
					mask |= gfp_names[k].mask;
					known = true;
					break;
				}
		}
		if (!known)
			(*unknown)++;
		s = bar ? bar + 1 : end;
	}
	return mask;
}

/* The value of "key=" in the payload [p, end), up to the next blank. */
static bool field(const char *p, const char *end, const char *key, struct span *val)
{
	size_t kl = strlen(key);

	while (p < end) {
		struct span tok;

		if (!tok_next(&p, end, &tok))
			break;
		if (tok.n > kl && memcmp(tok.p, key, kl) == 0 && tok.p[kl] == '=') {
			val->p = tok.p + kl + 1;
			val->n = tok.n - kl - 1;
			return true;
		}
	}
	return false;
}

static int number(struct span v, uint64_t *ret)
{
	if (v.n > 2 && v.p[0] == '0' && (v.p[1] == 'x' || v.p[1] == 'X')) {
		uint64_t x = 0;

		for (size_t k = 2; k < v.n; k++) {
			int d = v.p[k] >= '0' && v.p[k] <= '9' ? v.p[k] - '0' :
				v.p[k] >= 'a' && v.p[k] <= 'f' ? v.p[k] - 'a' + 10 :
				v.p[k] >= 'A' && v.p[k] <= 'F' ? v.p[k] - 'A' + 10 : -1;

			if (d < 0)
				return -EINVAL;
			if (x >> 60)
				return -ERANGE;
			x = x << 4 | (uint64_t)d;
		}
		*ret = x;
		return 0;
	}
	return lex_u64(v, ret);
}

/* Find ": NAME: " in the line; the payload follows. */
static const char *event(const char *line, size_t n, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = line; p + nl + 4 <= line + n; p++) {
		p = memchr(p, ':', (size_t)(line + n - p));
		if (!p || p + nl + 4 > line + n)
			return NULL;
		if (p[1] == ' ' && memcmp(p + 2, name, nl) == 0 && p[2 + nl] == ':' && p[3 + nl] == ' ')
			return p + 4 + nl;
	}
	return NULL;
}

int trace_parse(const char *buf, size_t len, const char *file, struct trace *ret, struct parse_error *perr)
{
	struct trace t = { 0 };
	struct lineiter it;
	const char *line;
	size_t n, cap = 0;
	int r = 0;

	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		const char *end = line + n, *pay;
		struct trace_event e = { 0 };
		const char *name = NULL;
		struct span v;
		uint64_t x;

		if (n == 0 || line[0] == '#')
			continue;
		if (event(line, n, "mm_page_free_batched")) {
			t.batched++;
			continue;
		}
		pay = NULL;
		for (size_t k = 0; k < sizeof(trace_events) / sizeof(trace_events[0]) && !pay; k++) {
			pay = event(line, n, trace_events[k].name);
			name = trace_events[k].name;
			e.kind = trace_events[k].kind;
		}
		if (!pay) {
			t.other_events++;
			continue;
		}
		e.line = it.lineno;
		e.mt = -1;
		if (!field(pay, end, "pfn", &v)) {
			r = parse_fail(perr, file, it.lineno, -EINVAL, "%s without pfn=", name);
			break;
		}
		r = number(v, &e.pfn);
		if (r < 0) {
			char show[LEX_SHOW_BUFSZ];

			r = parse_fail(perr, file, it.lineno, r, "pfn=%s: %s", lex_show(v, show, sizeof(show)), lex_strerror(r));
			break;
		}
		if (!field(pay, end, "order", &v) || lex_u64(v, &x) < 0 || x >= FS_MAX_ORDERS) {
			r = parse_fail(perr, file, it.lineno, -EINVAL, "%s: order= missing or not 0 to %d",
				       name, FS_MAX_ORDERS - 1);
			break;
		}
		e.order = (uint8_t)x;
		if (e.kind != TRACE_FREE && field(pay, end, "migratetype", &v) && lex_u64(v, &x) == 0 && x < 16)
			e.mt = (int8_t)x;
		if (e.kind == TRACE_ALLOC) {
			if (!e.pfn)
				e.kind = TRACE_ALLOC_FAILED;
			if (field(pay, end, "gfp_flags", &v))
				e.gfp = trace_gfp_mask(v.p, v.n, &t.unknown_flags);
		}
		if (e.kind == TRACE_BUDDY_TAKE || e.kind == TRACE_BUDDY_GIVE)
			t.buddy_events++;
		if (t.n == cap) {
			size_t nc = cap ? cap * 2 : 1024;
			struct trace_event *ne = realloc(t.ev, nc * sizeof(*ne));

			if (!ne) {
				r = -ENOMEM;
				break;
			}
			t.ev = ne;
			cap = nc;
		}
		t.ev[t.n++] = e;
	}
	if (r < 0) {
		trace_free(&t);
		return r;
	}
	*ret = t;
	return 0;
}

/*
 * addrspace.c - kinds of mappings and the gaps between them (see
 * addrspace.h for the rules).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "addrspace.h"

static const char *const kind_names[SPACE_NR] = {
	[SPACE_TEXT] = "text",
	[SPACE_DATA] = "data",
	[SPACE_BSS] = "bss",
	[SPACE_HEAP] = "heap",
	[SPACE_STACK] = "stack",
	[SPACE_THREAD_STACK] = "thread_stack",
	[SPACE_ANON] = "anon",
	[SPACE_FILE] = "file",
	[SPACE_SHM] = "shm",
	[SPACE_VDSO] = "vdso",
	[SPACE_HUGETLB] = "hugetlb",
	[SPACE_GUARD] = "guard",
};

static const char *const kind_rules[SPACE_NR] = {
	[SPACE_TEXT] = "file mapped executable",
	[SPACE_DATA] = "file mapped private and writable",
	[SPACE_BSS] = "anonymous rw right after a data mapping (inferred)",
	[SPACE_HEAP] = "[heap]",
	[SPACE_STACK] = "[stack], the main thread's",
	[SPACE_THREAD_STACK] = "anonymous rw right above a guard (inferred)",
	[SPACE_ANON] = "other anonymous memory",
	[SPACE_FILE] = "other file mappings",
	[SPACE_SHM] = "SysV, memfd, shared anonymous",
	[SPACE_VDSO] = "[vdso] [vvar] [vsyscall] and other specials",
	[SPACE_HUGETLB] = "hugetlb pages",
	[SPACE_GUARD] = "no access (---p): guards, reservations",
};

const char *space_kind_name(enum space_kind k)
{
	return (unsigned)k < SPACE_NR ? kind_names[k] : "?";
}

const char *space_kind_rule(enum space_kind k)
{
	return (unsigned)k < SPACE_NR ? kind_rules[k] : "?";
}

static bool no_access(const struct vma *v)
{
	return !(v->perms & (VMA_READ | VMA_WRITE | VMA_EXEC));
}

static bool private_rw(const struct vma *v)
{
	return (v->perms & (VMA_READ | VMA_WRITE | VMA_SHARED)) == (VMA_READ | VMA_WRITE);
}

static bool is_hugetlb(const struct maps *m, size_t i, uint64_t base_page_kb)
{
	const struct vma *v = &m->v[i];
	size_t n;
	const char *p = vma_path(m, v, &n);

	if (m->smaps) {
		const struct vma_smaps *s = &m->smaps[i];
		uint64_t kps;
		int ht = vmflag_bit("ht");

		if (vma_counter(m, i, SMAPS_KERNEL_PAGE_SIZE, &kps) && base_page_kb && kps > base_page_kb)
			return true;
		if (ht >= 0 && (s->vmflags_known >> ht & 1))
			return true;
	}
	return n == 14 && memcmp(p, "/anon_hugepage", 14) == 0;
}

/* Kind of a file mapping, by its permissions. */
static enum space_kind file_kind(const struct vma *v)
{
	if (v->perms & VMA_EXEC)
		return SPACE_TEXT;
	if ((v->perms & (VMA_WRITE | VMA_SHARED)) == VMA_WRITE)
		return SPACE_DATA;
	return SPACE_FILE;
}

enum space_kind space_kind_of(const struct maps *m, size_t i, uint64_t base_page_kb)
{
	const struct vma *v = &m->v[i];
	const struct vma *prev = i ? &m->v[i - 1] : NULL;

	if (no_access(v))
		return SPACE_GUARD;
	if (is_hugetlb(m, i, base_page_kb))
		return SPACE_HUGETLB;
	switch ((enum vma_kind)v->kind) {
	case VMA_KIND_HEAP:
		return SPACE_HEAP;
	case VMA_KIND_STACK:
		return SPACE_STACK;
	case VMA_KIND_VDSO:
	case VMA_KIND_VVAR:
	case VMA_KIND_VVAR_VCLOCK:
	case VMA_KIND_VSYSCALL:
	case VMA_KIND_BRACKETED:
		return SPACE_VDSO;
	case VMA_KIND_SYSV_SHM:
	case VMA_KIND_MEMFD:
	case VMA_KIND_ANON_SHMEM:
		return SPACE_SHM;
	case VMA_KIND_FILE: {
		size_t n;
		const char *p = vma_path(m, v, &n);

		/* Shared anonymous memory is a deleted /dev/zero on shmem. */
		if (v->deleted && (v->perms & VMA_SHARED) && n == 9 && memcmp(p, "/dev/zero", 9) == 0)
			return SPACE_SHM;
		/* A private /dev/zero mapping is anonymous memory. */
		if (n == 9 && memcmp(p, "/dev/zero", 9) == 0)
			return SPACE_ANON;
		return file_kind(v);
	}
	case VMA_KIND_ANON:
	case VMA_KIND_ANON_NAMED:
		if (prev && prev->end == v->start && private_rw(v)) {
			if (prev->kind == VMA_KIND_FILE && !prev->deleted && file_kind(prev) == SPACE_DATA)
				return SPACE_BSS;
			if (no_access(prev) && (prev->kind == VMA_KIND_ANON || prev->kind == VMA_KIND_ANON_NAMED))
				return SPACE_THREAD_STACK;
		}
		return SPACE_ANON;
	case VMA_KIND_OTHER:
	case VMA_KIND_NR:
		break;
	}
	return SPACE_ANON;
}

static void add(struct space_sum *s, uint64_t size_kb, const struct maps *m, size_t i)
{
	uint64_t v;

	s->vmas++;
	s->size_kb += size_kb;
	if (!m->smaps)
		return;
	if (vma_counter(m, i, SMAPS_RSS, &v))
		s->rss_kb += v;
	/* smaps counts hugetlb pages apart from Rss. */
	if (vma_counter(m, i, SMAPS_SHARED_HUGETLB, &v))
		s->rss_kb += v;
	if (vma_counter(m, i, SMAPS_PRIVATE_HUGETLB, &v))
		s->rss_kb += v;
	if (vma_counter(m, i, SMAPS_PSS, &v))
		s->pss_kb += v;
	if (vma_counter(m, i, SMAPS_SWAP, &v))
		s->swap_kb += v;
}

void space_summarize(const struct maps *m, uint64_t base_page_kb, struct space_summary *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->have_smaps = m->smaps != NULL;
	for (size_t i = 0; i < m->n; i++) {
		uint64_t kb = (m->v[i].end - m->v[i].start) / 1024;
		enum space_kind k = space_kind_of(m, i, base_page_kb);

		add(&ret->kind[k], kb, m, i);
		add(&ret->total, kb, m, i);
	}
}

static int cmp_hole(const void *a, const void *b)
{
	const struct space_hole *x = a, *y = b;
	uint64_t sx = x->end - x->start, sy = y->end - y->start;

	if (sx != sy)
		return sx > sy ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

int space_holes(const struct maps *m, struct space_holes *ret)
{
	struct space_holes r = { 0 };
	size_t last = 0;
	uint64_t reach = 0;
	bool any = false;

	for (size_t i = 0; i < m->n; i++) {
		const struct vma *v = &m->v[i];

		if (v->kind == VMA_KIND_VSYSCALL)
			continue;
		if (!any) {
			r.span_start = v->start;
			any = true;
		} else if (v->start > reach) {
			struct space_hole *h;

			if (r.n % 64 == 0) {
				h = realloc(r.h, (r.n + 64) * sizeof(*h));
				if (!h) {
					free(r.h);
					return -ENOMEM;
				}
				r.h = h;
			}
			r.h[r.n++] = (struct space_hole){ reach, v->start, last, i };
			r.total += v->start - reach;
		}
		/* The kernel prints mappings in address order; should one
		 * overlap or go backwards, count only what lies beyond. */
		if (v->end > reach) {
			r.mapped += v->end - (v->start > reach ? v->start : reach);
			reach = v->end;
			last = i;
		}
	}
	r.span_end = reach;
	if (r.n)
		qsort(r.h, r.n, sizeof(*r.h), cmp_hole);
	*ret = r;
	return 0;
}

void space_holes_free(struct space_holes *h)
{
	free(h->h);
	memset(h, 0, sizeof(*h));
}

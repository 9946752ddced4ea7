/*
 * addrspace.h - what a process's address space is made of: each mapping
 * sorted into the kinds the textbooks draw (text, data, bss, heap, stack,
 * ...), and the unmapped gaps between mappings.  Pure functions over a
 * struct maps (model/maps.h): no I/O.
 *
 * The kinds come from what maps and smaps say; several are inferences,
 * and the man page says so:
 *
 *   guard         no permission at all (---p, ---s): guard pages, and
 *                 reservations not yet made accessible
 *   hugetlb       smaps KernelPageSize above the base page size, or
 *                 VmFlags "ht", or the name /anon_hugepage
 *   vdso          [vdso] [vvar] [vvar_vclock] [vsyscall] and the other
 *                 bracketed special mappings ([uprobes], [sigpage], ...)
 *   heap, stack   [heap]; [stack] (the main thread's stack)
 *   shm           SysV shared memory (/SYSV...), memfd, [anon_shmem:...]
 *                 and shared anonymous memory (/dev/zero (deleted))
 *   text          a file mapped executable
 *   data          a file mapped private and writable (.data, .got after
 *                 relocation)
 *   file          every other file mapping (read-only segments, shared
 *                 or read-only files)
 *   bss           anonymous, private and writable, starting exactly where
 *                 a "data" mapping ends: the zero-filled tail the loader
 *                 places after .data (inferred from the layout)
 *   thread_stack  anonymous, private and writable, starting exactly where
 *                 a guard mapping ends: glibc's pthread stacks have their
 *                 guard below them (inferred from the layout)
 *   anon          every other anonymous mapping, named ([anon:NAME]) or
 *                 not, and anon_inode:... mappings
 */
#ifndef FRAGSCOPE_ADDRSPACE_H
#define FRAGSCOPE_ADDRSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/maps.h"

enum space_kind {
	SPACE_TEXT,
	SPACE_DATA,
	SPACE_BSS,
	SPACE_HEAP,
	SPACE_STACK,
	SPACE_THREAD_STACK,
	SPACE_ANON,
	SPACE_FILE,
	SPACE_SHM,
	SPACE_VDSO,
	SPACE_HUGETLB,
	SPACE_GUARD,
	SPACE_NR,
};

/* "text", "thread_stack", ... */
const char *space_kind_name(enum space_kind k);
/* One line on how the kind is decided, for --summary's legend and JSON. */
const char *space_kind_rule(enum space_kind k);

/* Kind of mapping i; base_page_kb: the base page size in kB (4 on x86). */
enum space_kind space_kind_of(const struct maps *m, size_t i, uint64_t base_page_kb);

/* Per-kind totals.  The smaps figures are valid when have_smaps; rss_kb
 * is Rss plus Shared_Hugetlb and Private_Hugetlb (smaps leaves hugetlb
 * pages out of Rss). */
struct space_sum {
	uint64_t vmas;
	uint64_t size_kb;
	uint64_t rss_kb, pss_kb, swap_kb;
};

struct space_summary {
	struct space_sum kind[SPACE_NR];
	struct space_sum total;
	bool have_smaps;             /* m->smaps was set */
};

void space_summarize(const struct maps *m, uint64_t base_page_kb, struct space_summary *ret);

/* An unmapped gap between mapping below and mapping above (indices). */
struct space_hole {
	uint64_t start, end;         /* [start, end) */
	size_t below, above;
};

/*
 * The gaps between consecutive mappings, largest first (ties: lower
 * address first).  The gap up to [vsyscall] is left out: that page lies
 * in the kernel's half of the address space, not in the process's map.
 * *ret is malloc'd (NULL when there is none).  0 or -ENOMEM.
 */
struct space_holes {
	struct space_hole *h;
	size_t n;
	uint64_t total;              /* sum of all gaps */
	uint64_t span_start, span_end; /* first mapping's start, last counted mapping's end */
	uint64_t mapped;             /* bytes mapped inside the span */
};

int space_holes(const struct maps *m, struct space_holes *ret);
void space_holes_free(struct space_holes *h);

#endif

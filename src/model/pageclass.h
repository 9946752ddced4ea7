/*
 * pageclass.h - what a page frame holds, as far as the buddy simulator's
 * seed needs to know: one byte per page, from /proc/kpageflags
 * (parse/kpageflags.h) to the simulated machine (sim/machine.h).
 */
#ifndef FRAGSCOPE_PAGECLASS_H
#define FRAGSCOPE_PAGECLASS_H

enum page_class {
	PAGE_KERNEL,    /* in use, not movable (slab, page tables, reserved, unknown) */
	PAGE_MOVABLE,   /* in use by user or file memory (LRU, anon, mapped) */
	PAGE_FREE,      /* in the buddy allocator's free lists */
	PAGE_HOLE,      /* no memory */
	PAGE_RESERVED,  /* reserved: firmware, the kernel image */
	PAGE_BLANK,     /* in use with no flag at all: a bare kernel allocation, a page on a
			 * per-CPU list, or memory the kernel has not initialised yet */
};

#endif

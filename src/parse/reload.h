/*
 * reload.h - re-read a machine's inputs on every refresh of a live view.
 *
 * The first reload_machine() is machine_load_opts().  The inputs that
 * change from second to second (meminfo, vmstat, buddyinfo, zoneinfo,
 * slabinfo) are then kept open, and each later call re-reads them from
 * offset 0 with pread() (procps's meminfo.c habit) and re-parses them in
 * place; the ones that do not change while the view runs (vm sysctls,
 * NUMA nodes, pagetypeinfo, which costs the kernel ~1 ms to generate, and
 * the slab geometry in /sys/kernel/slab) are kept from the first load.
 * The one volatile sysfs slab figure shown, the node partial-slab count,
 * is re-read through kept descriptors at most every sysfs_interval
 * seconds: one pread costs ~2 us and there is one file per cache.
 */
#ifndef FRAGSCOPE_RELOAD_H
#define FRAGSCOPE_RELOAD_H

#include "load.h"

struct reload;

/* src stays owned by the caller and must outlive the reload.  opts may be
 * NULL.  0 or -ENOMEM. */
int reload_new(struct source *src, unsigned mask, const struct load_opts *opts,
	       double sysfs_interval, struct reload **ret);
void reload_free(struct reload *r);

/*
 * Load (first call) or refresh *m; now is a monotonic time in seconds.
 * Each input's outcome is in m->in[] as machine_load() records it: a
 * refresh that fails leaves that input's model empty and says why.
 * Returns 0 or -ENOMEM.  machine_free(m) once at the end.
 */
int reload_machine(struct reload *r, struct machine *m, double now);

/*
 * slabinfo_refresh (model side, slab.c): take fresh (a new parse of
 * /proc/slabinfo) as the slab list of si, carrying over to each cache the
 * sysfs part si held for the same name (the k-th cache of a name gets the
 * k-th one's).  fresh is consumed; si's old caches are freed.
 */
#endif

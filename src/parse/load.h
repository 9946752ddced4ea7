/*
 * load.h - read and parse the inputs a command needs into one model.
 *
 * machine_load() reads each requested input through the source layer and
 * runs its parser.  It never prints: the outcome of every input is kept in
 * machine.in[] (loaded, or why not: missing, permission denied, malformed
 * at file:line) for the command layer to report and turn into an exit
 * status.  A failed input leaves its model empty; the others still load.
 */
#ifndef FRAGSCOPE_LOAD_H
#define FRAGSCOPE_LOAD_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "lex.h"
#include "source.h"
#include "../model/buddyinfo.h"
#include "../model/kv.h"
#include "../model/maps.h"
#include "../model/meminfo.h"
#include "../model/numa.h"
#include "../model/pagesize.h"
#include "../model/pagetypeinfo.h"
#include "../model/slab.h"
#include "../model/sysvm.h"
#include "../model/zoneinfo.h"

enum input_id {
	IN_MEMINFO,
	IN_VMSTAT,
	IN_BUDDYINFO,
	IN_PAGETYPEINFO,
	IN_ZONEINFO,
	IN_SYSVM,
	IN_NODES,
	IN_SLABINFO,     /* proc/slabinfo */
	IN_SLABSYS,      /* sys/kernel/slab, at load_opts.slab_detail */
	IN__COUNT
};

#define IN_BIT(id) (1u << (id))
#define IN_ALL ((1u << IN__COUNT) - 1)

struct input_status {
	bool attempted;
	bool loaded;
	int err;             /* 0; a read error (-ENOENT, -EACCES, ...); or a parse error (-EINVAL, -ERANGE) */
	bool parse_error;    /* err came from the parser: perr says where */
	char path[PATH_MAX]; /* display path of the file (or directory) */
	struct parse_error perr; /* perr.file points at path */
};

struct machine {
	struct meminfo meminfo;
	struct kvlist vmstat;
	struct buddyinfo buddy;
	struct pagetypeinfo pt;
	struct zoneinfo zi;
	struct sysvm vm;
	struct numa numa;
	struct slabinfo slab;    /* IN_SLABINFO and IN_SLABSYS, merged (slabinfo_merge) */
	struct input_status in[IN__COUNT];

	uint64_t page_size;
	enum page_size_source page_size_src;
	char kernel_release[128]; /* "" when unknown */
	bool live;
};

/* Name of an input for messages ("meminfo") and its path under the root. */
const char *input_name(enum input_id id);
const char *input_relpath(enum input_id id);

/*
 * Load the inputs in mask (IN_BIT()s) from src into *m (zeroed first).
 * Returns 0, or -ENOMEM; everything else is recorded per input in m->in.
 * The page size and kernel release are always determined.
 */
int machine_load(struct source *src, unsigned mask, struct machine *m);
void machine_free(struct machine *m);

/*
 * How much of /sys/kernel/slab IN_SLABSYS reads.  Each level reads what
 * the one before it does and more; the cost is in files opened per cache
 * (about 235 caches on a small 6.18 machine), so ask for the least the
 * output needs.  Symlinks (alias_names) are read at every level.
 *
 *   SLAB_DETAIL_BASIC  object_size, order, slabs, partial, reclaim_account:
 *                      5 files per cache, what `fragscope slab` shows by
 *                      default (slabs and partial include their per-node
 *                      values, which come in the same files); with
 *                      IN_SLABINFO loaded too, only object_size, partial
 *                      and reclaim_account, and fewer for empty and
 *                      merged caches (see slab_sysfs_load())
 *   SLAB_DETAIL_NODES  + objects, total_objects, objects_partial, cpu_slabs:
 *                      9 files (8 with IN_SLABINFO), every per-node counter
 *   SLAB_DETAIL_FULL   every file of every cache directory (listed):
 *                      geometry (slab_size, align, objs_per_slab), every
 *                      flag, ctor, cpu_partial, slabs_cpu_partial,
 *                      min_partial, aliases, usersize, sheaf_capacity, and
 *                      the CONFIG_SLUB_STATS counters and files newer than
 *                      this program into slab_cache.stats
 *
 * Which files were read shows per cache in slab_cache.sys (SYS_*) and, for
 * the 0/1 files, slab_cache.flags_read.
 */
enum slab_detail {
	SLAB_DETAIL_BASIC,
	SLAB_DETAIL_NODES,
	SLAB_DETAIL_FULL,
};

/* Options of machine_load_opts(); all-zero is machine_load()'s behaviour. */
struct load_opts {
	enum slab_detail slab_detail;   /* default SLAB_DETAIL_BASIC */
	/*
	 * When set, sys/kernel/slab files are read only for the caches it
	 * accepts (it sees the directory name and the alias names); the
	 * others keep what /proc/slabinfo says.  A --filter that names one
	 * cache then reads a few files instead of thousands, and moves the
	 * small kmalloc caches it measures less.
	 */
	bool (*slab_select)(const struct slab_cache *c, void *arg);
	void *slab_select_arg;
};

/* machine_load() with options; opts may be NULL (the defaults). */
int machine_load_opts(struct source *src, unsigned mask, const struct load_opts *opts,
		      struct machine *m);

/*
 * load-slab.c: read sys/kernel/slab at the given detail into *ret (one
 * SC_SYSFS cache per directory, sorted by directory name, with the names
 * of the symlinks pointing at it in alias_names, sorted) and record the
 * outcome in *st (attempted, loaded, or err with the path of the file that
 * failed: -EACCES for a non-root user).  *ret is set only when st->loaded.
 *
 * proc: what /proc/slabinfo gave, or NULL.  Below SLAB_DETAIL_FULL, for
 * a cache that has a line there, the files that line makes redundant are
 * not read: order (its pagesperslab), slabs (num_slabs) at
 * SLAB_DETAIL_BASIC, and when the line shows no slabs at all every
 * counter (partial; at NODES also slabs, objects, ...): those are set to
 * 0 as if read.  A directory is matched to its line by name, or for a
 * merged cache by one of its alias names, as slabinfo_merge() does; a
 * name that matches several lines matches none.  machine_load_opts()
 * passes m->slab when IN_SLABINFO loaded.  Returns 0 or -ENOMEM.
 */
int slab_sysfs_load(struct source *src, const struct load_opts *opts, const struct slabinfo *proc,
		    struct slabinfo *ret, struct input_status *st);

/*
 * load-proc.c: one process's files, proc/PID/... of the source.  Each
 * clears *st and records there what failed (-ESRCH: the process does not
 * exist or exited; -EACCES; a parse error with perr); returns 0 or
 * -ENOMEM.  On success st->loaded is set and *ret must be freed.
 *
 * proc_load_maps: maps, or smaps when smaps is true.
 * proc_load_rollup: smaps_rollup.
 * proc_load_cmdline: the arguments joined by blanks (raw bytes: escape
 *   before printing); for a kernel thread or zombie "[Name]" from status,
 *   and NULL when status has no Name: line either.
 */
int proc_load_maps(struct source *src, int pid, bool smaps, struct maps *ret, struct input_status *st);
/*
 * maps or smaps printed as they are read (stream.h, parse.h): open, then
 * call proc_maps_next() until it returns 0.  Each call returns 1 with
 * the next batch of complete entries, (*ret)->v[*from .. *to), valid
 * until the next call; every batch but the first has the last entry of
 * the batch before at index *from - 1 (space_kind_of() looks at it).
 * Entries are dropped once returned: nothing else of the file stays in
 * memory.  0 means the end (st->loaded set) or a failure recorded in st
 * as by proc_load_maps(), possibly after batches were returned: a parse
 * error further down (every entry before the bad line, or for smaps
 * before the entry that holds it, has been returned then), or the
 * process exited mid-read (-ESRCH).  Returns -ENOMEM too.  proc_maps_open() records an open failure in st and sets
 * *ret to NULL (returning 0); proc_maps_close() accepts NULL.
 */
struct proc_maps_stream;
int proc_maps_open(struct source *src, int pid, bool smaps, struct proc_maps_stream **ret,
		   struct input_status *st);
int proc_maps_next(struct proc_maps_stream *ms, const struct maps **ret, size_t *from,
		   size_t *to);
void proc_maps_close(struct proc_maps_stream *ms);
int proc_load_rollup(struct source *src, int pid, struct smaps_rollup *ret, struct input_status *st);
int proc_load_cmdline(struct source *src, int pid, char **ret, struct input_status *st);

/*
 * proc_read_file: proc/PID/NAME into *b, for files parsed elsewhere
 * (load-procs.c).  Clears *st and fills its path.  0; 1 when the process
 * exists but has no mm (a read of an mm file gave ESRCH: *b is empty);
 * or -errno, also left in st->err: -ESRCH when the process is gone.
 */
int proc_read_file(struct source *src, int pid, const char *name, struct buf *b, struct input_status *st);

#endif

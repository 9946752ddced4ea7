/*
 * parse.h - the text parsers.  Each is a pure function over (buf, len):
 * no I/O, no printing, no exit.  Common contract:
 *
 *   int X_parse(const char *buf, size_t len, const char *file,
 *               struct X *ret, struct parse_error *perr);
 *
 *   - file is the display path used in errors ("/proc/meminfo" or
 *     "ROOT/proc/meminfo"); it is borrowed and stored in perr->file.
 *   - Returns 0 and fills *ret (which the caller later frees with
 *     X_free()), or a negative errno: -EINVAL malformed input (perr says
 *     where and what), -ERANGE a number overflowed (perr says where),
 *     -ENOMEM.  On failure *ret is untouched.
 *   - Key/value files (meminfo, vmstat, zoneinfo): a field the parser
 *     does not know is kept (in the field list, or an "other"/stats
 *     list), never fatal.  Fixed-layout tables (buddyinfo, slabinfo,
 *     pagetypeinfo) reject a line that does not fit the layout, because
 *     a stray line there means the counts around it cannot be trusted.
 *     Malformed structure or numbers (a truncated line, a non-number
 *     where a number must be, an overflow, a column count that
 *     disagrees with the header) always fail.
 */
#ifndef FRAGSCOPE_PARSE_H
#define FRAGSCOPE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "lex.h"
#include "../model/buddyinfo.h"
#include "../model/kv.h"
#include "../model/maps.h"
#include "../model/meminfo.h"
#include "../model/numa.h"
#include "../model/pagetypeinfo.h"
#include "../model/slab.h"
#include "../model/sysvm.h"
#include "../model/zoneinfo.h"

int meminfo_parse(const char *buf, size_t len, const char *file,
		  struct meminfo *ret, struct parse_error *perr);

/* Per-node meminfo ("Node 0 MemTotal:  123 kB"): the "Node N " prefix is
 * checked against node and stripped from the field names. */
int node_meminfo_parse(const char *buf, size_t len, const char *file, int node,
		       struct meminfo *ret, struct parse_error *perr);

/* /proc/vmstat: "name value" per line, every counter kept in order. */
int vmstat_parse(const char *buf, size_t len, const char *file,
		 struct kvlist *ret, struct parse_error *perr);

/*
 * Re-parse into the last parse's model (or an empty one), reusing its
 * memory: the arrays, and the names that are the same as last time.  A
 * live view re-reads these files on every refresh; the kernel prints the
 * same names each time, so a refresh then allocates nothing for them (and
 * its heap does not drift over thousands of refreshes).  On failure the
 * model is freed and left empty.
 */
int meminfo_reparse(const char *buf, size_t len, const char *file,
		    struct meminfo *mi, struct parse_error *perr);
int vmstat_reparse(const char *buf, size_t len, const char *file,
		   struct kvlist *l, struct parse_error *perr);
int zoneinfo_reparse(const char *buf, size_t len, const char *file,
		     struct zoneinfo *zi, struct parse_error *perr);

int buddyinfo_parse(const char *buf, size_t len, const char *file,
		    struct buddyinfo *ret, struct parse_error *perr);

int pagetypeinfo_parse(const char *buf, size_t len, const char *file,
		       struct pagetypeinfo *ret, struct parse_error *perr);

int zoneinfo_parse(const char *buf, size_t len, const char *file,
		   struct zoneinfo *ret, struct parse_error *perr);

/*
 * /proc/slabinfo, versions 2.0 and 2.1, SLAB or SLUB, with or without the
 * "(statistics)" sections: one SC_SLABINFO cache per line in file order
 * (names shared by several lines get SC_DUPLICATE), version, statistics
 * and slab_allocator set.  Free with slabinfo_free().
 */
int slabinfo_parse(const char *buf, size_t len, const char *file,
		   struct slabinfo *ret, struct parse_error *perr);
/*
 * A re-read of /proc/slabinfo into si, a parse of an earlier read, in
 * place, for the live views: when the file is version 2.1 without
 * statistics and lists exactly si's /proc caches, in the same order, with
 * the same names, only the numbers change (no allocation, nothing else
 * touched).  0 when done; 1 when anything differs or does not parse, and
 * the caller parses the file afresh (some numbers may have been updated
 * by then; a fresh parse replaces them all).
 */
int slabinfo_update(struct slabinfo *si, const char *buf, size_t len);

/*
 * One /proc/sys/vm file.  which is one SYSVM_* bit; the parsed value is
 * stored in *vm and the bit set in vm->have.  lowmem_reserve_ratio holds
 * one integer per zone; the others one integer.
 */
int sysvm_parse(unsigned which, const char *buf, size_t len, const char *file,
		struct sysvm *vm, struct parse_error *perr);

/* A kernel node list such as "0-3,8,10-11\n" (has_memory, online). Sorted, unique. */
int nodelist_parse(const char *buf, size_t len, const char *file,
		   int **ret, size_t *ret_n, struct parse_error *perr);

/* nodeN/distance: blank-separated integers, one line. */
int distance_parse(const char *buf, size_t len, const char *file,
		   int **ret, size_t *ret_n, struct parse_error *perr);

/* A sysfs file holding one unsigned integer ("512\n"). */
int sysfs_u64_parse(const char *buf, size_t len, const char *file,
		    uint64_t *ret, struct parse_error *perr);

/*
 * /sys/kernel/slab/CACHE/ attribute files (parse-slabsys.c, SLUB).
 *
 * slabsys_counter_parse: "10437 N0=10437 N1=5": the total, then node
 * values in any order (ids < 1024, each at most once); ret->node has
 * max id + 1 entries (unlisted nodes 0), NULL when no node is listed.
 * Free with slab_counter_free().
 * slabsys_cpu_partial_parse: slabs_cpu_partial, "94(9) C0=73(7) C1=21(2)":
 * the total objects and slabs; the per-CPU parts are checked, not kept.
 * slabsys_flag_parse: "0" or "1".
 * slabsys_ctor_parse: a %pS symbol ("init_once+0x0/0x30 [xfs]"), *ret
 * malloc'd; an empty file is no constructor (*ret = NULL).
 */
int slabsys_counter_parse(const char *buf, size_t len, const char *file,
			  struct slab_counter *ret, struct parse_error *perr);
int slabsys_cpu_partial_parse(const char *buf, size_t len, const char *file,
			      uint64_t *ret_objs, uint64_t *ret_slabs, struct parse_error *perr);
int slabsys_flag_parse(const char *buf, size_t len, const char *file, bool *ret,
		       struct parse_error *perr);
int slabsys_ctor_parse(const char *buf, size_t len, const char *file, char **ret,
		       struct parse_error *perr);

/*
 * /proc/PID/maps and /proc/PID/smaps (parse-maps.c): one struct vma per
 * mapping in file order, names raw in an arena (see model/maps.h);
 * smaps_parse also fills ret->smaps and ret->fields (values in kB as
 * printed).  An empty file is a valid address space with no VMA (kernel
 * threads).  Free with maps_free().
 * smaps_rollup_parse: the "[rollup]" header's range and the counters.
 * Free with smaps_rollup_free().
 */
int maps_parse(const char *buf, size_t len, const char *file, struct maps *ret,
	       struct parse_error *perr);
int smaps_parse(const char *buf, size_t len, const char *file, struct maps *ret,
		struct parse_error *perr);
int smaps_rollup_parse(const char *buf, size_t len, const char *file,
		       struct smaps_rollup *ret, struct parse_error *perr);

/*
 * The maps and smaps parser, incrementally: feed the file in chunks of
 * any size (a line may be split anywhere) and get the same result as
 * maps_parse() / smaps_parse() on the whole.  Errors follow the common
 * contract (perr names the file and line; perr may be NULL) and are
 * sticky: after a failure every call returns the same code.
 *
 *   maps_parser_new     smaps: parse smaps (else maps).  file is borrowed.
 *   maps_parser_feed    the next n bytes; the chunk may be reused on return.
 *   maps_parser_end     no more input (parses a last line without '\n').
 *   maps_parser_finish  maps_parser_end(), then move the model into *ret
 *                       (free it with maps_free()); the parser is spent.
 *   maps_parser_free    free the parser (and a model not yet taken).
 *
 * Streaming: maps_parser_window() returns the model as parsed so far and
 * in *ret_complete how many of its first entries are complete (an smaps
 * entry is complete once the next header, or the end, has been seen);
 * *ret_first (may be NULL) is the index in the file of window entry 0.
 * maps_parser_drop(k) forgets the first k complete entries, so a caller
 * that prints as it parses keeps only a few entries in memory; the
 * window pointer stays valid until the next call on the parser.
 */
struct maps_parser;
int maps_parser_new(bool smaps, const char *file, struct maps_parser **ret,
		    struct parse_error *perr);
int maps_parser_feed(struct maps_parser *ps, const char *buf, size_t n,
		     struct parse_error *perr);
int maps_parser_end(struct maps_parser *ps, struct parse_error *perr);
int maps_parser_finish(struct maps_parser *ps, struct maps *ret, struct parse_error *perr);
void maps_parser_free(struct maps_parser *ps);
const struct maps *maps_parser_window(struct maps_parser *ps, size_t *ret_complete,
				      size_t *ret_first);
void maps_parser_drop(struct maps_parser *ps, size_t k);

/* What an attribute file name is to the parser. */
enum slabsys_attr_class {
	SLABSYS_KNOWN,    /* an attribute of struct slab_cache (strict) */
	SLABSYS_CONTROL,  /* shrink, validate, ...: not data, never read */
	SLABSYS_UNKNOWN,  /* CONFIG_SLUB_STATS counters and newer files (lenient) */
};
enum slabsys_attr_class slabsys_attr_class(const char *name);

/*
 * Parse the file of attribute name into *c: sets the field and its SYS_*
 * bit (for the 0/1 files, SYS_FLAGS and the SF_* bit in c->flags_read and,
 * if 1, in c->flags).  An unknown name whose first token is a number is
 * appended to c->stats (SYS_STATS); other unknown content and the
 * controls are ignored (0).  On failure *c is unchanged.
 */
int slabsys_attr_parse(const char *name, const char *buf, size_t len, const char *file,
		       struct slab_cache *c, struct parse_error *perr);

#endif

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
 *     list), never fatal.  Fixed-layout tables (buddyinfo,
 *     pagetypeinfo) reject a line that does not fit the layout, because
 *     a stray line there means the counts around it cannot be trusted.
 *     Malformed structure or numbers (a truncated line, a non-number
 *     where a number must be, an overflow, a column count that
 *     disagrees with the header) always fail.
 */
#ifndef FRAGSCOPE_PARSE_H
#define FRAGSCOPE_PARSE_H

#include <stddef.h>

#include "lex.h"
#include "../model/buddyinfo.h"
#include "../model/kv.h"
#include "../model/meminfo.h"
#include "../model/numa.h"
#include "../model/pagetypeinfo.h"
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

int buddyinfo_parse(const char *buf, size_t len, const char *file,
		    struct buddyinfo *ret, struct parse_error *perr);

int pagetypeinfo_parse(const char *buf, size_t len, const char *file,
		       struct pagetypeinfo *ret, struct parse_error *perr);

int zoneinfo_parse(const char *buf, size_t len, const char *file,
		   struct zoneinfo *ret, struct parse_error *perr);

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

#endif

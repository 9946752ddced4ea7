/*
 * parse-procs.h - the parsers of `fragscope procs` that parse.h does not
 * hold: /proc/PID/status and a snapshot's /etc/passwd.  Same contract as
 * parse.h: pure functions over (buf, len), no I/O, no printing; 0 or a
 * negative errno with perr saying where; *ret untouched on failure.
 */
#ifndef FRAGSCOPE_PARSE_PROCS_H
#define FRAGSCOPE_PARSE_PROCS_H

#include <stddef.h>

#include "lex.h"
#include "../model/procs.h"

/*
 * /proc/PID/status (parse-status.c): "Key:<tab>value" lines.  Kept:
 * Name (the rest of the line after the tab, as printed), State (its
 * letter), Uid (four numbers), Kthread (0 or 1), VmRSS, RssAnon,
 * RssFile, RssShmem, VmSwap ("N kB"), Threads.  Other keys are ignored,
 * whatever they hold.  What is kept is checked strictly: a line without
 * ':' anywhere, a bad or overflowing number (a kB value too large for
 * 64 bits as bytes, a uid above 2^32 - 1), a missing unit, text after a
 * value, a kept key twice, and a file without Name, State, Uid or
 * Threads (the kernel always prints them; Threads comes after the memory
 * lines, so a file cut short at a line boundary is caught too) all fail
 * with -EINVAL or -ERANGE.  Free with proc_status_free().
 */
int status_parse(const char *buf, size_t len, const char *file,
		 struct proc_status *ret, struct parse_error *perr);

/*
 * /etc/passwd of a snapshot root (parse-passwd.c): "name:pw:uid:..."
 * lines into (uid, name) pairs, in file order.  The file is not kernel
 * output and legitimately holds lines this does not understand (NIS
 * "+" entries, comments): a line without a name and a decimal uid below
 * 2^32 is skipped, never an error.  Returns 0 or -ENOMEM (perr then says
 * so).  Free with passwd_db_free().
 */
int passwd_parse(const char *buf, size_t len, const char *file,
		 struct passwd_db *ret, struct parse_error *perr);

#endif

/*
 * load-procs.h - the process table of `fragscope procs`: which processes
 * exist and what their status files say, from a snapshot root
 * (load-procs.c, in the core library) or from the live machine through
 * libproc2's pids API (procs-live.c, linked into the fragscope executable
 * only, so that the unit tests and fuzzers do not need libproc2).
 *
 * Neither reads smaps_rollup: the command layer does, per row, with
 * proc_load_rollup(), and only unless --no-pss.  Neither prints: what
 * failed is kept in the table for the command layer to report.
 */
#ifndef FRAGSCOPE_LOAD_PROCS_H
#define FRAGSCOPE_LOAD_PROCS_H

#include <stddef.h>

#include "load.h"
#include "../model/procs.h"

/* A process whose status could not be read or parsed. */
struct proc_failure {
	int pid;
	struct input_status st;   /* st.perr.file is not set: use st.path */
};

struct procs_table {
	struct proc_row *rows;    /* processes with an address space, in no particular order */
	size_t n, cap;
	size_t kernel_threads;    /* left out: kernel threads */
	size_t no_mm;             /* left out: zombies and exiting processes (no mm) */
	size_t exited;            /* left out: gone between the listing and the reading */
	struct proc_failure *fail;
	size_t nfail, fail_cap;
	struct proc_row *spare;   /* the last load's row array, for the next (procs_reload_live) */
	size_t spare_cap;
};

/* A new zeroed row at the end of t; NULL on ENOMEM. */
struct proc_row *procs_table_add(struct procs_table *t);
/* Remove row i (freed), keeping the order of the others. */
void procs_table_drop(struct procs_table *t, size_t i);
/* Record a failure.  0 or -ENOMEM. */
int procs_table_fail(struct procs_table *t, int pid, const struct input_status *st);
void procs_table_free(struct procs_table *t);

/*
 * proc_load_status: proc/PID/status parsed into *ret (st as for the other
 * proc_load_* functions in load.h: -ESRCH when the process is gone).
 * Returns 0 or -ENOMEM.
 */
int proc_load_status(struct source *src, int pid, struct proc_status *ret, struct input_status *st);

/*
 * procs_load_root: every proc/<number> directory of a (non-live) source:
 * status parsed and classified (proc_status_kind), the command line
 * (proc_load_cmdline) and the user name from the root's etc/passwd when
 * it has one (else the rows have no name: the uid is all there is).  A
 * process whose status is missing, unreadable or malformed is recorded in
 * t->fail and left out.  *dir_st tells whether proc/ itself could be
 * listed (dir_st->loaded).  Returns 0 or -ENOMEM.
 */
int procs_load_root(struct source *src, struct procs_table *ret, struct input_status *dir_st);

/*
 * procs_load_live (procs-live.c): every process of this machine from
 * libproc2 (procps_pids_reap): pid, effective uid and user name
 * (getpwuid through libproc2), the command line, and status VmRSS,
 * RssAnon, RssFile, RssShmem and VmSwap; kernel threads (PF_KTHREAD) and
 * zombies are counted, not listed.  src is the live source, used only to
 * read a command line that libproc2 cannot tell from an empty one.
 * libproc2 is loaded with dlopen() here (see procs-live.c for why).
 * Returns 0; -ELIBACC when libproc2 cannot be loaded (err says why);
 * -ENOMEM; or another -errno when libproc2 cannot start (/proc not
 * mounted).
 */
int procs_load_live(struct source *src, struct procs_table *ret, char *err, size_t errsz);
/*
 * The same into t, which holds the last load (or nothing), reusing its
 * memory: the row arrays alternate, and a process still there with the
 * same user and command keeps its strings.  For a view that lists the
 * processes every few seconds: the heap then stays as it was rather than
 * drifting with every reload.  On failure t is empty.
 */
int procs_reload_live(struct source *src, struct procs_table *t, char *err, size_t errsz);
/* Unload libproc2 (procs_load_live keeps it loaded between calls). */
void procs_live_close(void);

#endif

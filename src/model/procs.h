/*
 * procs.h - processes by memory: what /proc/PID/status says about one
 * process, the user database of a snapshot, and the rows of the process
 * table with their sort order and totals.
 *
 * Sources of each value (reference/kernel.md 5.6 for smaps_rollup):
 *
 *   status (or libproc2, which reads the same file on the live machine):
 *     VmRSS, RssAnon, RssFile, RssShmem, VmSwap, the effective uid and
 *     whether the task is a kernel thread.  These are the kernel's mm
 *     counters: cheap to read.
 *   smaps_rollup: Pss (and its Anon/File/Shmem split), Private_Clean +
 *     Private_Dirty (the USS), Swap and SwapPss.  The kernel walks every
 *     page table of the process to print it, so it costs time in
 *     proportion to the mapped memory; `procs --no-pss` does not read it.
 *
 * Values are in kB as the kernel prints them; the parsers reject any kB
 * value whose byte count would overflow 64 bits, so value * 1024 is safe.
 * A value the kernel did not print is "absent" (its have bit clear), not 0.
 */
#ifndef FRAGSCOPE_PROCS_H
#define FRAGSCOPE_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- /proc/PID/status ------------------------------------------------- */

/* Bits of proc_status.have: which lines the file had. */
enum {
	STATUS_NAME = 1u << 0,
	STATUS_STATE = 1u << 1,
	STATUS_UID = 1u << 2,
	STATUS_KTHREAD = 1u << 3,    /* "Kthread:" (6.x kernels) */
	STATUS_VM_RSS = 1u << 4,
	STATUS_RSS_ANON = 1u << 5,   /* 4.5+ */
	STATUS_RSS_FILE = 1u << 6,
	STATUS_RSS_SHMEM = 1u << 7,
	STATUS_VM_SWAP = 1u << 8,    /* 2.6.34+ */
	STATUS_THREADS = 1u << 9,
};

struct proc_status {
	unsigned have;
	char *name;            /* Name: as printed (the kernel escapes \n and \\ there); malloc'd */
	char state;            /* first letter of State: ('S', 'Z', ...) */
	uint32_t uid[4];       /* Uid: real, effective, saved set, filesystem */
	bool kthread;          /* Kthread: 1 */
	uint64_t vm_rss_kb;
	uint64_t rss_anon_kb;
	uint64_t rss_file_kb;
	uint64_t rss_shmem_kb;
	uint64_t vm_swap_kb;
	uint64_t threads;
};

void proc_status_free(struct proc_status *s);

/* What a process is, for the table: only PROC_USER has memory to show. */
enum proc_kind {
	PROC_USER,       /* has an address space */
	PROC_KTHREAD,    /* a kernel thread: no mm */
	PROC_NO_MM,      /* a zombie, or a process past exit_mm(): no mm left */
};

/*
 * Kthread: decides where the kernel prints it.  Older kernels do not, and
 * then a task without VmRSS (no mm) is a kernel thread unless its state is
 * Z (zombie) or X (dead).
 */
enum proc_kind proc_status_kind(const struct proc_status *s);

/* ---- a snapshot's /etc/passwd ----------------------------------------- */

struct passwd_entry {
	uint32_t uid;
	char *name;      /* malloc'd */
};

struct passwd_db {
	struct passwd_entry *e;
	size_t n, cap;
};

/* The first name for uid, or NULL. */
const char *passwd_db_name(const struct passwd_db *db, uint32_t uid);
void passwd_db_free(struct passwd_db *db);

/* ---- the process table ------------------------------------------------ */

/* Values of proc_row.rv (from smaps_rollup) and bits of proc_row.rhave. */
enum proc_rollup_value {
	PR_RSS,              /* Rss (JSON only: RSS shown is status VmRSS) */
	PR_PSS,
	PR_PSS_ANON,         /* 5.x+ */
	PR_PSS_FILE,
	PR_PSS_SHMEM,
	PR_PSS_DIRTY,        /* 6.0+ */
	PR_SHARED_CLEAN,
	PR_SHARED_DIRTY,
	PR_PRIVATE_CLEAN,
	PR_PRIVATE_DIRTY,
	PR_USS,              /* Private_Clean + Private_Dirty, when both were printed */
	PR_SWAP,
	PR_SWAP_PSS,         /* 4.3+ */
	PR_SHARED_HUGETLB,
	PR_PRIVATE_HUGETLB,
	PR_NR,
};

struct proc_row {
	int pid;
	uint32_t uid;          /* effective */
	char *user;            /* the uid's name, or NULL when none is known; malloc'd */
	char *cmd;             /* command line (raw bytes, escape before printing) or "[Name]"; malloc'd, may be NULL */
	unsigned have;         /* STATUS_* bits of the status values below */
	uint64_t vm_rss_kb, rss_anon_kb, rss_file_kb, rss_shmem_kb, vm_swap_kb;
	bool rollup;           /* smaps_rollup was read: rv[] where rhave says */
	unsigned rhave;        /* 1 << enum proc_rollup_value */
	uint64_t rv[PR_NR];    /* kB */
};

/* true and *ret_kb set when the row has value v from smaps_rollup. */
bool proc_row_rollup(const struct proc_row *r, enum proc_rollup_value v, uint64_t *ret_kb);
/*
 * The swap shown for a row: smaps_rollup Swap when it was read (it counts
 * swapped shmem too), else status VmSwap.  false when neither is known.
 */
bool proc_row_swap(const struct proc_row *r, uint64_t *ret_kb);
void proc_row_free(struct proc_row *r);

/*
 * Copy the smaps_rollup values into r (rollup set).  counters are the
 * kernel's printed values as smaps_counters holds them, indexed by enum
 * smaps_counter (maps.h), have their bits; have == 0 is a process without
 * an mm (it became a zombie): every value 0.
 */
struct smaps_rollup;
void proc_row_set_rollup(struct proc_row *r, const struct smaps_rollup *ro);

enum procs_sort_key {
	PROCS_SORT_PID,
	PROCS_SORT_USER,
	PROCS_SORT_RSS,
	PROCS_SORT_PSS,
	PROCS_SORT_USS,
	PROCS_SORT_SWAP,
	PROCS_SORT_COMMAND,
};

/* "pid", "user", "rss", "pss", "uss", "swap", "command" (case-insensitive).
 * 0 or -EINVAL. */
int procs_sort_parse(const char *s, enum procs_sort_key *ret);
const char *procs_sort_name(enum procs_sort_key k);
/*
 * Sort rows: sizes largest first (a row without the value last), pid
 * ascending, user and command in byte order (a user without a name by its
 * uid in decimal, a row without a command last); ties by pid ascending.
 */
void procs_sort(struct proc_row *rows, size_t n, enum procs_sort_key k);

/* Sums in kB saturate at UINT64_MAX / 1024 (so * 1024 stays exact), as
 * does the USS of one row. */
struct procs_totals {
	size_t rows;
	uint64_t rss_kb, pss_kb, uss_kb, swap_kb;
	size_t rss_n, pss_n, uss_n, swap_n;  /* rows that had each value */
};

void procs_total(const struct proc_row *rows, size_t n, struct procs_totals *ret);

#endif

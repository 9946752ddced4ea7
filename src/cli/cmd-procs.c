/*
 * cmd-procs.c - "fragscope procs": processes by memory.
 *
 *   PID USER RSS PSS USS SWAP COMMAND, largest PSS first
 *   -s KEY     sort by pid, user, rss, pss, uss, swap or command
 *   --top N    the first N rows only (totals still cover every process)
 *   --no-pss   do not read smaps_rollup: RSS and swap from status only
 *   -J         one JSON document with every value
 *
 * The list comes from libproc2's pids API on the live machine and from
 * the snapshot's proc/ directories under --root (load-procs.h).  PSS and
 * USS need /proc/PID/smaps_rollup, which the kernel builds by walking
 * every page table of the process: that is where the time goes on a
 * machine with big processes, and why --no-pss exists.
 *
 * What cannot be shown is said once, never printed as a zero: a process
 * whose smaps_rollup cannot be read keeps "-" in PSS and USS, and one
 * summary line on stderr counts them by reason (exit status 0: the rest
 * is right); a malformed status or smaps_rollup is named with file and
 * line (exit status 3).  Kernel threads and zombies have no address
 * space; they are counted in the footer, not listed.  A process that
 * exits while being read is left out and counted too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../parse/load-procs.h"
#include "../render/units.h"

/* ---- why smaps_rollup could not be read ------------------------------ */

/* One smaps_rollup that could not be read, by pid (JSON names it). */
struct rollup_fail {
	int pid;
	char *path;
	char *reason;
	unsigned line;        /* of a parse error, else 0 */
};

struct fails {
	struct rollup_fail *f;
	size_t n, cap;
	/* The summary line: read failures by reason (parse errors have
	 * their own line each). */
	struct { const char *reason; size_t n; } by[8];
	size_t nby, unreadable, other;   /* other: reasons beyond by[] */
};

static void fails_free(struct fails *fl)
{
	for (size_t i = 0; i < fl->n; i++) {
		free(fl->f[i].path);
		free(fl->f[i].reason);
	}
	free(fl->f);
}

static int fails_add(struct fails *fl, int pid, const char *path, const char *reason, unsigned line)
{
	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 16;
		struct rollup_fail *f = realloc(fl->f, cap * sizeof(*f));

		if (!f)
			return -ENOMEM;
		fl->f = f;
		fl->cap = cap;
	}
	fl->f[fl->n].path = strdup(path);
	fl->f[fl->n].reason = strdup(reason);
	if (!fl->f[fl->n].path || !fl->f[fl->n].reason) {
		free(fl->f[fl->n].path);
		free(fl->f[fl->n].reason);
		return -ENOMEM;
	}
	fl->f[fl->n].pid = pid;
	fl->f[fl->n].line = line;
	fl->n++;
	return 0;
}

static const struct rollup_fail *fails_find(const struct fails *fl, int pid)
{
	for (size_t i = 0; i < fl->n; i++)
		if (fl->f[i].pid == pid)
			return &fl->f[i];
	return NULL;
}

/* Why a file could not be read, with what to do where it helps. */
static const char *read_reason(int err, bool live)
{
	switch (err) {
	case -EACCES:
	case -EPERM:
		return geteuid() == 0 ? "permission denied by the kernel's ptrace access check"
				      : "permission denied, needs root";
	case -ENOENT:
		return live ? "no smaps_rollup: kernel older than 4.14" : "not in this snapshot";
	default:
		return strerror(-err);
	}
}

static void count_reason(struct fails *fl, const char *reason)
{
	fl->unreadable++;
	for (size_t i = 0; i < fl->nby; i++) {
		if (fl->by[i].reason == reason || strcmp(fl->by[i].reason, reason) == 0) {
			fl->by[i].n++;
			return;
		}
	}
	if (fl->nby < ARRAY_SIZE(fl->by)) {
		fl->by[fl->nby].reason = reason;
		fl->by[fl->nby++].n = 1;
	} else {
		fl->other++;
	}
}

/* "fragscope: procs: PSS and USS unavailable for 3 processes (2 ...; 1 ...): shown as -" */
static void fails_summary(const struct fails *fl)
{
	if (!fl->unreadable)
		return;
	fflush(stdout);
	fprintf(stderr, "fragscope: procs: PSS and USS unavailable for %zu process%s (", fl->unreadable,
		fl->unreadable == 1 ? "" : "es");
	if (fl->nby == 1) {
		fputs(fl->by[0].reason, stderr);
	} else {
		for (size_t i = 0; i < fl->nby; i++)
			fprintf(stderr, "%s%zu %s", i ? "; " : "", fl->by[i].n, fl->by[i].reason);
		if (fl->other)
			fprintf(stderr, "; %zu for other reasons", fl->other);
	}
	fputs("): shown as -\n", stderr);
}

/* ---- reading ---------------------------------------------------------- */

/* Status failures: one line each; returns the exit code they imply. */
static int report_status_failures(const struct procs_table *t, bool live)
{
	int rc = EXIT_OK;

	for (size_t i = 0; i < t->nfail; i++) {
		const struct input_status *st = &t->fail[i].st;

		if (st->parse_error) {
			if (st->perr.line)
				cli_error("%s:%u: %s", st->path, st->perr.line, st->perr.what);
			else
				cli_error("%s: %s", st->path, st->perr.what);
			cli_status(&rc, EXIT_INPUT);
		} else {
			cli_error("cannot read '%s': %s, process %d not shown", st->path,
				  st->err == -ENOENT && !live ? "not found (not in this snapshot)"
							      : cli_input_reason(st),
				  t->fail[i].pid);
			cli_status(&rc, st->err == -EACCES || st->err == -EPERM ? EXIT_PERM : EXIT_INPUT);
		}
	}
	return rc;
}

/*
 * smaps_rollup of every row.  Rows of processes that exited are dropped
 * (t->exited); a malformed file is reported at once (*rc = EXIT_INPUT).
 * 0 or -ENOMEM.
 */
static int read_rollups(struct source *src, bool live, struct procs_table *t, struct fails *fl, int *rc)
{
	for (size_t i = 0; i < t->n;) {
		struct proc_row *row = &t->rows[i];
		struct smaps_rollup r;
		struct input_status st;

		if (proc_load_rollup(src, row->pid, &r, &st) < 0)
			return -ENOMEM;
		if (st.loaded) {
			proc_row_set_rollup(row, &r);
			smaps_rollup_free(&r);
		} else if (st.err == -ESRCH) {
			procs_table_drop(t, i);
			t->exited++;
			continue;
		} else if (st.parse_error) {
			if (st.perr.line)
				cli_error("%s:%u: %s", st.path, st.perr.line, st.perr.what);
			else
				cli_error("%s: %s", st.path, st.perr.what);
			cli_status(rc, EXIT_INPUT);
			if (fails_add(fl, row->pid, st.path, st.perr.what, st.perr.line) < 0)
				return -ENOMEM;
		} else {
			const char *why = read_reason(st.err, live);

			count_reason(fl, why);
			if (fails_add(fl, row->pid, st.path, why, 0) < 0)
				return -ENOMEM;
		}
		i++;
	}
	return 0;
}

/* ---- the table -------------------------------------------------------- */

struct cols {
	int pid, user, uid, rss, rss_anon, rss_file, rss_shmem, pss, pss_anon, pss_file, pss_shmem, uss, swap,
	    swap_pss, cmd;
};

static struct table *table_build(const struct options *o, struct cols *c)
{
	struct table *t = table_new("procs");
	unsigned pss_flags = TABLE_RIGHT | (o->no_pss ? TABLE_HIDDEN : 0);
	const unsigned hid = TABLE_RIGHT | TABLE_HIDDEN;

	if (!t)
		return NULL;
	c->pid = table_add_column(t, "PID", TABLE_U64, TABLE_RIGHT, "process ID");
	c->user = table_add_column(t, "USER", TABLE_STR, 0,
				   "effective user: its name, or the uid when no name is known");
	c->uid = table_add_column(t, "UID", TABLE_U64, hid, "effective user ID");
	c->rss = table_add_column(t, "RSS", TABLE_BYTES, TABLE_RIGHT, "resident memory (status VmRSS)");
	c->rss_anon = table_add_column(t, "RSS-ANON", TABLE_BYTES, hid, "resident anonymous memory (status RssAnon)");
	c->rss_file = table_add_column(t, "RSS-FILE", TABLE_BYTES, hid, "resident file pages (status RssFile)");
	c->rss_shmem = table_add_column(t, "RSS-SHMEM", TABLE_BYTES, hid,
					"resident shared memory: shmem, tmpfs, SysV (status RssShmem)");
	c->pss = table_add_column(t, "PSS", TABLE_BYTES, pss_flags,
				  "proportional set size: each page divided by the processes mapping it (smaps_rollup Pss)");
	c->pss_anon = table_add_column(t, "PSS-ANON", TABLE_BYTES, hid, "PSS of anonymous memory (smaps_rollup Pss_Anon)");
	c->pss_file = table_add_column(t, "PSS-FILE", TABLE_BYTES, hid, "PSS of file pages (smaps_rollup Pss_File)");
	c->pss_shmem = table_add_column(t, "PSS-SHMEM", TABLE_BYTES, hid, "PSS of shared memory (smaps_rollup Pss_Shmem)");
	c->uss = table_add_column(t, "USS", TABLE_BYTES, pss_flags,
				  "unique set size: smaps_rollup Private_Clean + Private_Dirty (hugetlb pages not included)");
	c->swap = table_add_column(t, "SWAP", TABLE_BYTES, TABLE_RIGHT,
				   "swapped out: smaps_rollup Swap, or status VmSwap where smaps_rollup was not read");
	c->swap_pss = table_add_column(t, "SWAP-PSS", TABLE_BYTES, hid, "proportional swap (smaps_rollup SwapPss)");
	c->cmd = table_add_column(t, "COMMAND", TABLE_STR, 0,
				  "command line, or [name] when it is empty; control characters escaped");
	if (c->pid < 0 || c->user < 0 || c->uid < 0 || c->rss < 0 || c->rss_anon < 0 || c->rss_file < 0 ||
	    c->rss_shmem < 0 || c->pss < 0 || c->pss_anon < 0 || c->pss_file < 0 || c->pss_shmem < 0 ||
	    c->uss < 0 || c->swap < 0 || c->swap_pss < 0 || c->cmd < 0) {
		table_free(t);
		return NULL;
	}
	return t;
}

static void set_kb(struct table *t, int col, bool have, uint64_t kb)
{
	if (have)
		table_set_u64(t, col, kb * 1024);
}

static void set_rollup(struct table *t, int col, const struct proc_row *r, enum proc_rollup_value v)
{
	uint64_t kb;

	if (proc_row_rollup(r, v, &kb))
		table_set_u64(t, col, kb * 1024);
}

static int table_fill(struct table *t, const struct cols *c, const struct proc_row *rows, size_t n)
{
	char uid[16];
	uint64_t kb;

	for (size_t i = 0; i < n; i++) {
		const struct proc_row *r = &rows[i];

		if (table_new_row(t) < 0)
			return -ENOMEM;
		table_set_u64(t, c->pid, (uint64_t)r->pid);
		snprintf(uid, sizeof(uid), "%u", (unsigned)r->uid);
		if (table_set_str(t, c->user, r->user ? r->user : uid) < 0)
			return -ENOMEM;
		table_set_u64(t, c->uid, r->uid);
		set_kb(t, c->rss, r->have & STATUS_VM_RSS, r->vm_rss_kb);
		set_kb(t, c->rss_anon, r->have & STATUS_RSS_ANON, r->rss_anon_kb);
		set_kb(t, c->rss_file, r->have & STATUS_RSS_FILE, r->rss_file_kb);
		set_kb(t, c->rss_shmem, r->have & STATUS_RSS_SHMEM, r->rss_shmem_kb);
		set_rollup(t, c->pss, r, PR_PSS);
		set_rollup(t, c->pss_anon, r, PR_PSS_ANON);
		set_rollup(t, c->pss_file, r, PR_PSS_FILE);
		set_rollup(t, c->pss_shmem, r, PR_PSS_SHMEM);
		set_rollup(t, c->uss, r, PR_USS);
		if (proc_row_swap(r, &kb))
			table_set_u64(t, c->swap, kb * 1024);
		set_rollup(t, c->swap_pss, r, PR_SWAP_PSS);
		if (r->cmd && table_set_str(t, c->cmd, r->cmd) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- text footer ------------------------------------------------------ */

static const char *size_text(const struct options *o, uint64_t kb, char out[UNITS_BUFSZ])
{
	if (o->bytes)
		snprintf(out, UNITS_BUFSZ, "%llu", (unsigned long long)(kb * 1024));
	else
		units_bytes(kb * 1024, out);
	return out;
}

/* " (4 of 5 processes)" when not every row had the value. */
static void of_rows(size_t have, size_t rows)
{
	if (have != rows)
		printf(" (%zu of %zu processes)", have, rows);
}

static void footer(const struct options *o, const struct procs_table *t, const struct procs_totals *tot,
		   size_t shown, enum procs_sort_key key)
{
	char b[UNITS_BUFSZ];
	bool sep = false;

	printf("\nTotal of %zu process%s: RSS %s", tot->rows, tot->rows == 1 ? "" : "es",
	       size_text(o, tot->rss_kb, b));
	of_rows(tot->rss_n, tot->rows);
	if (!o->no_pss) {
		printf(", PSS %s", size_text(o, tot->pss_kb, b));
		of_rows(tot->pss_n, tot->rows);
		printf(", USS %s", size_text(o, tot->uss_kb, b));
		of_rows(tot->uss_n, tot->rows);
	}
	printf(", swap %s", size_text(o, tot->swap_kb, b));
	of_rows(tot->swap_n, tot->rows);
	putchar('\n');
	if (shown < tot->rows)
		printf("Shown: the first %zu by %s (--top)\n", shown, procs_sort_name(key));
	if (t->kernel_threads || t->no_mm || t->exited) {
		fputs("Not shown:", stdout);
		if (t->kernel_threads) {
			printf(" %zu kernel thread%s", t->kernel_threads, t->kernel_threads == 1 ? "" : "s");
			sep = true;
		}
		if (t->no_mm) {
			printf("%s %zu zombie%s", sep ? "," : "", t->no_mm, t->no_mm == 1 ? "" : "s");
			sep = true;
		}
		if (t->kernel_threads || t->no_mm)
			fputs(" (no address space)", stdout);
		if (t->exited)
			printf("%s %zu that exited while being read", sep ? "," : "", t->exited);
		putchar('\n');
	}
	if (o->no_pss)
		puts("RSS and swap from status; smaps_rollup not read (--no-pss), so no PSS or USS");
	else
		printf("PSS and USS read from smaps_rollup of %zu process%s "
		       "(use --no-pss to skip; slow on processes with many mappings)\n",
		       tot->pss_n, tot->pss_n == 1 ? "" : "es");
}

/* ---- JSON ------------------------------------------------------------- */

static void json_kb(struct json *j, const char *key, bool have, uint64_t kb)
{
	json_key(j, key);
	if (have)
		json_u64(j, kb * 1024);
	else
		json_null(j);
}

static void json_rollup(struct json *j, const char *key, const struct proc_row *r, enum proc_rollup_value v)
{
	uint64_t kb;
	bool have = proc_row_rollup(r, v, &kb);

	json_kb(j, key, have, kb);
}

static void json_row(struct json *j, const struct options *o, const struct proc_row *r, const struct fails *fl)
{
	json_begin_object(j);
	json_kv_u64(j, "pid", (uint64_t)r->pid);
	json_kv_u64(j, "uid", r->uid);
	json_kv_string(j, "user", r->user);
	json_kv_string(j, "command", r->cmd);
	json_kb(j, "rss_bytes", r->have & STATUS_VM_RSS, r->vm_rss_kb);
	json_kb(j, "rss_anon_bytes", r->have & STATUS_RSS_ANON, r->rss_anon_kb);
	json_kb(j, "rss_file_bytes", r->have & STATUS_RSS_FILE, r->rss_file_kb);
	json_kb(j, "rss_shmem_bytes", r->have & STATUS_RSS_SHMEM, r->rss_shmem_kb);
	json_kb(j, "vm_swap_bytes", r->have & STATUS_VM_SWAP, r->vm_swap_kb);
	if (!o->no_pss) {
		const struct rollup_fail *f = r->rollup ? NULL : fails_find(fl, r->pid);

		json_rollup(j, "pss_bytes", r, PR_PSS);
		json_rollup(j, "pss_anon_bytes", r, PR_PSS_ANON);
		json_rollup(j, "pss_file_bytes", r, PR_PSS_FILE);
		json_rollup(j, "pss_shmem_bytes", r, PR_PSS_SHMEM);
		json_rollup(j, "pss_dirty_bytes", r, PR_PSS_DIRTY);
		json_rollup(j, "uss_bytes", r, PR_USS);
		json_rollup(j, "rollup_rss_bytes", r, PR_RSS);
		json_rollup(j, "shared_clean_bytes", r, PR_SHARED_CLEAN);
		json_rollup(j, "shared_dirty_bytes", r, PR_SHARED_DIRTY);
		json_rollup(j, "private_clean_bytes", r, PR_PRIVATE_CLEAN);
		json_rollup(j, "private_dirty_bytes", r, PR_PRIVATE_DIRTY);
		json_rollup(j, "swap_bytes", r, PR_SWAP);
		json_rollup(j, "swap_pss_bytes", r, PR_SWAP_PSS);
		json_rollup(j, "shared_hugetlb_bytes", r, PR_SHARED_HUGETLB);
		json_rollup(j, "private_hugetlb_bytes", r, PR_PRIVATE_HUGETLB);
		json_key(j, "rollup_error");
		if (f) {
			json_begin_object(j);
			json_kv_string(j, "path", f->path);
			json_kv_string(j, "reason", f->reason);
			if (f->line)
				json_kv_u64(j, "line", f->line);
			json_end_object(j);
		} else {
			json_null(j);
		}
	}
	json_end_object(j);
}

static void json_doc(struct json *j, const struct options *o, const struct procs_table *t,
		     const struct procs_totals *tot, size_t shown, enum procs_sort_key key, const struct fails *fl)
{
	json_kv_bool(j, "pss_read", !o->no_pss);
	json_kv_string(j, "sort", procs_sort_name(key));
	json_key(j, "top");
	if (o->top)
		json_u64(j, o->top);
	else
		json_null(j);
	json_key(j, "processes");
	json_begin_array(j);
	for (size_t i = 0; i < shown; i++)
		json_row(j, o, &t->rows[i], fl);
	json_end_array(j);
	json_key(j, "totals");
	json_begin_object(j);
	json_kv_u64(j, "processes", tot->rows);
	json_kv_u64(j, "rss_bytes", tot->rss_kb * 1024);
	if (!o->no_pss) {
		json_kv_u64(j, "pss_bytes", tot->pss_kb * 1024);
		json_kv_u64(j, "uss_bytes", tot->uss_kb * 1024);
		json_kv_u64(j, "pss_processes", tot->pss_n);
	}
	json_kv_u64(j, "swap_bytes", tot->swap_kb * 1024);
	json_end_object(j);
	json_key(j, "not_shown");
	json_begin_object(j);
	json_kv_u64(j, "kernel_threads", t->kernel_threads);
	json_kv_u64(j, "zombies", t->no_mm);
	json_kv_u64(j, "exited", t->exited);
	json_kv_u64(j, "status_errors", t->nfail);
	json_end_object(j);
	if (!o->no_pss)
		json_kv_u64(j, "pss_unavailable", fl->n);
	json_key(j, "errors");
	json_begin_array(j);
	for (size_t i = 0; i < t->nfail; i++) {
		const struct input_status *st = &t->fail[i].st;

		json_begin_object(j);
		json_kv_u64(j, "pid", (uint64_t)t->fail[i].pid);
		json_kv_string(j, "path", st->path);
		json_kv_string(j, "reason", cli_input_reason(st));
		if (st->parse_error && st->perr.line)
			json_kv_u64(j, "line", st->perr.line);
		json_end_object(j);
	}
	json_end_array(j);
}

/* ---- the command ------------------------------------------------------ */

static int columns_help(const struct options *o)
{
	struct cols c;
	struct table *t = table_build(o, &c);
	int rc;

	if (!t) {
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	rc = cli_select_columns(o, &t, 1) < 0 ? EXIT_OK : EXIT_USAGE;
	table_free(t);
	return cli_finish(rc);
}

static int parse_usage(const struct options *o, enum procs_sort_key *key)
{
	*key = o->no_pss ? PROCS_SORT_RSS : PROCS_SORT_PSS;
	if (o->sort && procs_sort_parse(o->sort, key) < 0) {
		cli_error("invalid sort key '%s' (pid, user, rss, pss, uss, swap or command)", o->sort);
		return EXIT_USAGE;
	}
	if (o->no_pss && (*key == PROCS_SORT_PSS || *key == PROCS_SORT_USS)) {
		cli_error("--no-pss reads no PSS or USS: sort by pid, user, rss, swap or command");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int load(struct source *src, bool live, struct procs_table *t)
{
	struct input_status dir;
	int r;

	if (live) {
		char why[256];

		r = procs_load_live(src, t, why, sizeof(why));
		if (r == -ENOMEM) {
			cli_error("out of memory");
			return EXIT_INPUT;
		}
		if (r == -ELIBACC) {
			/* The same list from the source layer, as under --root. */
			cli_warn("cannot load libproc2 (%s): reading /proc directly", why);
		} else if (r < 0) {
			cli_error("cannot list processes with libproc2: %s (is /proc mounted?)", strerror(-r));
			return EXIT_INPUT;
		} else {
			return EXIT_OK;
		}
	}
	r = procs_load_root(src, t, &dir);
	if (r < 0) {
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	if (!dir.loaded) {
		cli_error("cannot read '%s': %s%s", dir.path, cli_input_reason(&dir),
			  dir.err == -ENOENT ? " (not in this snapshot)" : "");
		return dir.err == -EACCES || dir.err == -EPERM ? EXIT_PERM : EXIT_INPUT;
	}
	if (t->n + t->kernel_threads + t->no_mm + t->exited + t->nfail == 0) {
		cli_error("no process directories in '%s' (fragscope snapshot captures the processes named with --pid)",
			  dir.path);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int cmd_procs(struct options *o)
{
	struct source *src = NULL;
	struct machine mach;
	struct procs_table t = { 0 };
	struct procs_totals tot;
	struct fails fl = { 0 };
	enum procs_sort_key key;
	size_t shown;
	int rc, r;

	if (o->output && strcmp(o->output, "help") == 0)
		return columns_help(o);
	rc = parse_usage(o, &key);
	if (rc)
		return rc;
	/* No machine-wide input: the page size and kernel release for -J. */
	rc = cli_load(o, 0, 0, &src, &mach);
	if (!src) {
		machine_free(&mach);
		return rc;
	}
	r = load(src, mach.live, &t);
	if (r) {
		cli_status(&rc, r);
		goto out;
	}
	cli_status(&rc, report_status_failures(&t, mach.live));
	if (!o->no_pss && read_rollups(src, mach.live, &t, &fl, &rc) < 0) {
		cli_error("out of memory");
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	procs_sort(t.rows, t.n, key);
	procs_total(t.rows, t.n, &tot);
	shown = o->top && o->top < t.n ? (size_t)o->top : t.n;

	if (o->json) {
		struct json *j = cli_json_begin(o, &mach, "procs");

		if (!j) {
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		json_doc(j, o, &t, &tot, shown, key, &fl);
		cli_json_end(j, &mach, 0);
	} else {
		struct table_opts to = cli_table_opts(o);
		struct cols c;
		struct table *tab = table_build(o, &c);

		if (!tab || table_fill(tab, &c, t.rows, shown) < 0) {
			table_free(tab);
			cli_error("out of memory");
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		r = cli_select_columns(o, &tab, 1);
		if (r) {
			table_free(tab);
			if (r > 0)
				cli_status(&rc, r);
			goto out;
		}
		table_print(tab, stdout, &to);
		table_free(tab);
		if (!o->raw && !o->noheadings && !o->output)
			footer(o, &t, &tot, shown, key);
	}
	fails_summary(&fl);
out:
	fails_free(&fl);
	procs_table_free(&t);
	machine_free(&mach);
	source_free(src);
	procs_live_close();
	return cli_finish(rc);
}

/*
 * procs-live.c - the process table of the live machine through libproc2's
 * pids API (see load-procs.h).  Linked into the fragscope executable only.
 *
 * One procps_pids_reap() pass reads, per process, /proc/PID/stat (flags,
 * state) and status (uids, VmRSS, RssAnon, RssFile, RssShmem, VmSwap),
 * and resolves the effective uid with getpwuid(3).  Processes that exit
 * during the pass are skipped by libproc2 itself.
 *
 * libproc2 is loaded with dlopen(3) when procs runs, not linked: it pulls
 * in libsystemd and, through it, libgcrypt, liblzma, libzstd, liblz4,
 * libcap and libgpg-error, whose loading and relocation took 2.5 ms of
 * every fragscope start on the 2026-11-22 machine (fragscope mem went
 * from 3.0 to 5.7 ms of CPU, twice cat's time), for every command.
 * Only the header is used at build time.
 *
 * The command line is read from /proc/PID/cmdline through the source
 * layer, raw (see command()): libproc2's joined PIDS_CMDLINE turns control
 * characters into '.', which would hide an ESC from the escaping done at
 * print time, and its vector (PIDS_CMDLINE_V) cannot tell an empty command
 * line from a single "-" and is allocated anew on every pass.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libproc2/pids.h>

#include "load-procs.h"

/* The soname of procps 4's library (libproc2.so.0.0.x); a packager may
 * define another with -DLIBPROC2_SONAME='"..."'. */
#ifndef LIBPROC2_SONAME
#define LIBPROC2_SONAME "libproc2.so.0"
#endif

/* The three functions used, from dlopen(). */
struct api {
	void *handle;
	int (*pids_new)(struct pids_info **info, enum pids_item *items, int numitems);
	struct pids_fetch *(*pids_reap)(struct pids_info *info, enum pids_fetch_type which);
	int (*pids_unref)(struct pids_info **info);
};

/* 0, or -ELIBACC with the reason in err[]. */
static int api_open(struct api *a, char *err, size_t errsz)
{
	const char *e;

	memset(a, 0, sizeof(*a));
	a->handle = dlopen(LIBPROC2_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!a->handle) {
		e = dlerror();
		snprintf(err, errsz, "%s", e ? e : "cannot load " LIBPROC2_SONAME);
		return -ELIBACC;
	}
	/* POSIX: a function pointer is read from dlsym()'s object pointer. */
	*(void **)&a->pids_new = dlsym(a->handle, "procps_pids_new");
	*(void **)&a->pids_reap = dlsym(a->handle, "procps_pids_reap");
	*(void **)&a->pids_unref = dlsym(a->handle, "procps_pids_unref");
	if (!a->pids_new || !a->pids_reap || !a->pids_unref) {
		e = dlerror();
		snprintf(err, errsz, "%s", e ? e : LIBPROC2_SONAME ": a procps_pids_* function is missing");
		dlclose(a->handle);
		a->handle = NULL;
		return -ELIBACC;
	}
	return 0;
}

/* include/linux/sched.h: this task is a kernel thread. */
#define PF_KTHREAD 0x00200000ul

enum {
	I_PID, I_EUID, I_EUSER, I_FLAGS, I_STATE,
	I_VM_RSS, I_RSS_ANON, I_RSS_FILE, I_RSS_SHMEM, I_VM_SWAP,
};

static enum pids_item items[] = {
	[I_PID] = PIDS_ID_PID,
	[I_EUID] = PIDS_ID_EUID,
	[I_EUSER] = PIDS_ID_EUSER,
	[I_FLAGS] = PIDS_FLAGS,
	[I_STATE] = PIDS_STATE,
	[I_VM_RSS] = PIDS_VM_RSS,
	[I_RSS_ANON] = PIDS_VM_RSS_ANON,
	[I_RSS_FILE] = PIDS_VM_RSS_FILE,
	[I_RSS_SHMEM] = PIDS_VM_RSS_SHARED,
	[I_VM_SWAP] = PIDS_VM_SWAP,
};

/*
 * The command line is read here from /proc/PID/cmdline, not asked of
 * libproc2: its PIDS_CMDLINE_V and PIDS_CMD allocate a vector and a
 * string per process on every pass, which made a view that lists the
 * processes every few seconds grow its heap.  Read into one buffer kept
 * for the run, a command that has not changed since the last pass is
 * compared and kept, not copied.
 */
static struct buf cmd_buf = BUF_INIT;

/*
 * The command of one process, as ps shows it: the arguments joined by
 * blanks (raw bytes), or "[name]" when the command line is empty.  *old
 * is the same process's command from the last pass, taken over when
 * equal.  0, -ENOMEM or -ESRCH (gone).
 */
static int command(struct source *src, int pid, char **old, char **ret)
{
	struct input_status st;
	char rel[64];
	size_t n;
	int r;

	*ret = NULL;
	/* Straight from the source: libproc2 has just seen the process alive
	 * and not a zombie, so an open that fails means it is gone. */
	snprintf(rel, sizeof(rel), "proc/%d/cmdline", pid);
	r = source_read(src, rel, &cmd_buf);
	if (r == -ENOMEM)
		return r;
	if (r == -ENOENT || r == -ESRCH)
		return -ESRCH;
	n = r == 0 ? cmd_buf.len : 0;
	/* Arguments are NUL-separated (and NUL-terminated). */
	while (n && cmd_buf.data[n - 1] == '\0')
		n--;
	if (n == 0) {
		/* No command line: "[name]" from status (or nothing). */
		r = proc_load_cmdline(src, pid, ret, &st);
		if (r < 0)
			return r;
		return !st.loaded && st.err == -ESRCH ? -ESRCH : 0;
	}
	for (size_t i = 0; i < n; i++)
		if (cmd_buf.data[i] == '\0')
			cmd_buf.data[i] = ' ';
	if (old && *old && strnlen(*old, n + 1) == n && memcmp(*old, cmd_buf.data, n) == 0) {
		*ret = *old;
		*old = NULL;
		return 0;
	}
	*ret = xstrndup(cmd_buf.data, n);
	return *ret ? 0 : -ENOMEM;
}

/* The name libproc2 gives a uid it cannot resolve is the number itself. */
static bool is_uid_text(const char *name, unsigned uid)
{
	char b[16];

	snprintf(b, sizeof(b), "%u", uid);
	return strcmp(name, b) == 0;
}

/*
 * libproc2 is loaded and its pids_info made once per process and reused
 * by every call: top lists the processes every few seconds, and each
 * dlopen()/dlclose() of libproc2 loses the ~260 KiB its first use
 * allocates (LeakSanitizer: two 128 KiB buffers), which made top's
 * resident size grow.  procs_live_close() releases both.
 */
static struct api live_api;
static struct pids_info *live_info;

void procs_live_close(void)
{
	if (live_info)
		live_api.pids_unref(&live_info);
	if (live_api.handle)
		dlclose(live_api.handle);
	live_info = NULL;
	memset(&live_api, 0, sizeof(live_api));
	buf_free(&cmd_buf);
}

static int by_pid(const void *a, const void *b)
{
	int x = ((const struct proc_row *)a)->pid, y = ((const struct proc_row *)b)->pid;

	return (x > y) - (x < y);
}

/*
 * Load into t (its rows array: t->rows, t->cap), taking strings from old
 * (sorted by pid; may be NULL) where they are the same.
 */
static int load(struct source *src, struct procs_table *t, struct procs_table *old, char *err, size_t errsz)
{
	struct proc_row *o = old ? old->rows : NULL, *oend = old ? old->rows + old->n : NULL;
	struct pids_info *info;
	struct pids_fetch *f;
	int r = 0;

	if (errsz)
		err[0] = '\0';
	if (!live_api.handle) {
		r = api_open(&live_api, err, errsz);
		if (r < 0)
			return r;
	}
	if (!live_info) {
		r = live_api.pids_new(&live_info, items, (int)(sizeof(items) / sizeof(items[0])));
		if (r < 0) {
			live_info = NULL;
			return r;
		}
	}
	info = live_info;
	errno = 0;
	f = live_api.pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!f)
		return errno ? -errno : -EIO;
	for (int i = 0; i < f->counts->total; i++) {
		struct pids_stack *s = f->stacks[i];
		unsigned long flags = PIDS_VAL(I_FLAGS, ul_int, s, info);
		char state = (char)PIDS_VAL(I_STATE, s_ch, s, info);
		const char *user = PIDS_VAL(I_EUSER, str, s, info);
		struct proc_row *row, *same;

		if (flags & PF_KTHREAD) {
			t->kernel_threads++;
			continue;
		}
		if (state == 'Z' || state == 'X') {
			t->no_mm++;
			continue;
		}
		row = procs_table_add(t);
		if (!row) {
			r = -ENOMEM;
			break;
		}
		row->pid = PIDS_VAL(I_PID, s_int, s, info);
		row->uid = PIDS_VAL(I_EUID, u_int, s, info);
		/* The same process in the last table: /proc lists processes by
		 * pid, and old is sorted by pid. */
		while (o && o < oend && o->pid < row->pid)
			o++;
		same = o && o < oend && o->pid == row->pid ? o : NULL;
		if (user && *user && !is_uid_text(user, row->uid)) {
			if (same && same->user && strcmp(same->user, user) == 0) {
				row->user = same->user;
				same->user = NULL;
			} else if (!(row->user = strdup(user))) {
				r = -ENOMEM;
				break;
			}
		}
		/* libproc2 reads these from status, and reports 0 where the
		 * kernel printed nothing: every process here has an mm. */
		row->have = STATUS_VM_RSS | STATUS_RSS_ANON | STATUS_RSS_FILE | STATUS_RSS_SHMEM |
			    STATUS_VM_SWAP;
		row->vm_rss_kb = PIDS_VAL(I_VM_RSS, ul_int, s, info);
		row->rss_anon_kb = PIDS_VAL(I_RSS_ANON, ul_int, s, info);
		row->rss_file_kb = PIDS_VAL(I_RSS_FILE, ul_int, s, info);
		row->rss_shmem_kb = PIDS_VAL(I_RSS_SHMEM, ul_int, s, info);
		row->vm_swap_kb = PIDS_VAL(I_VM_SWAP, ul_int, s, info);
		r = command(src, row->pid, same ? &same->cmd : NULL, &row->cmd);
		if (r == -ESRCH) {
			procs_table_drop(t, t->n - 1);
			t->exited++;
			r = 0;
		}
		if (r < 0)
			break;
	}
	return r;
}

int procs_load_live(struct source *src, struct procs_table *ret, char *err, size_t errsz)
{
	struct procs_table t = { 0 };
	int r = load(src, &t, NULL, err, errsz);

	if (r < 0) {
		procs_table_free(&t);
		memset(ret, 0, sizeof(*ret));
		return r;
	}
	*ret = t;
	return 0;
}

int procs_reload_live(struct source *src, struct procs_table *t, char *err, size_t errsz)
{
	struct procs_table nt = { 0 };
	int r;

	/* The new rows go into the spare array; the old ones stay readable. */
	nt.rows = t->spare;
	nt.cap = t->spare_cap;
	t->spare = NULL;
	t->spare_cap = 0;
	if (t->n)
		qsort(t->rows, t->n, sizeof(*t->rows), by_pid);
	r = load(src, &nt, t, err, errsz);
	/* What the old rows still own was not kept. */
	for (size_t i = 0; i < t->n; i++)
		proc_row_free(&t->rows[i]);
	nt.spare = t->rows;
	nt.spare_cap = t->cap;
	t->rows = NULL;
	t->n = 0;
	procs_table_free(t);
	if (r < 0) {
		procs_table_free(&nt);
		return r;
	}
	*t = nt;
	return 0;
}

/*
 * procs-live.c - the process table of the live machine through libproc2's
 * pids API (see load-procs.h).  Linked into the fragscope executable only.
 *
 * One procps_pids_reap() pass reads, per process, /proc/PID/stat (flags,
 * state), status (uids, VmRSS, RssAnon, RssFile, RssShmem, VmSwap) and
 * cmdline, and resolves the effective uid with getpwuid(3).  Processes
 * that exit during the pass are skipped by libproc2 itself.
 *
 * libproc2 is loaded with dlopen(3) when procs runs, not linked: it pulls
 * in libsystemd and, through it, libgcrypt, liblzma, libzstd, liblz4,
 * libcap and libgpg-error, whose loading and relocation took 2.5 ms of
 * every fragscope start on the 2026-11-22 machine (fragscope mem went
 * from 3.0 to 5.7 ms of CPU, twice cat's time), for every command.
 * Only the header is used at build time.
 *
 * The command line is taken as a vector (PIDS_CMDLINE_V): libproc2's
 * joined PIDS_CMDLINE turns control characters into '.', which would hide
 * an ESC from the escaping done at print time.  For an empty command line
 * the vector holds the single string "-", which cannot be told from a
 * process whose only argument is "-": that one case reads cmdline again
 * through the source layer.
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
	I_PID, I_EUID, I_EUSER, I_CMD, I_CMDLINE_V, I_FLAGS, I_STATE,
	I_VM_RSS, I_RSS_ANON, I_RSS_FILE, I_RSS_SHMEM, I_VM_SWAP,
};

static enum pids_item items[] = {
	[I_PID] = PIDS_ID_PID,
	[I_EUID] = PIDS_ID_EUID,
	[I_EUSER] = PIDS_ID_EUSER,
	[I_CMD] = PIDS_CMD,
	[I_CMDLINE_V] = PIDS_CMDLINE_V,
	[I_FLAGS] = PIDS_FLAGS,
	[I_STATE] = PIDS_STATE,
	[I_VM_RSS] = PIDS_VM_RSS,
	[I_RSS_ANON] = PIDS_VM_RSS_ANON,
	[I_RSS_FILE] = PIDS_VM_RSS_FILE,
	[I_RSS_SHMEM] = PIDS_VM_RSS_SHARED,
	[I_VM_SWAP] = PIDS_VM_SWAP,
};

/* argv joined by blanks, raw bytes. */
static char *join(char **v)
{
	size_t n = 0, k = 0;
	char *s;

	for (size_t i = 0; v[i]; i++)
		n += strlen(v[i]) + 1;
	s = malloc(n ? n : 1);
	if (!s)
		return NULL;
	for (size_t i = 0; v[i]; i++) {
		size_t l = strlen(v[i]);

		if (i)
			s[k++] = ' ';
		memcpy(s + k, v[i], l);
		k += l;
	}
	s[k] = '\0';
	return s;
}

/* "[comm]", as ps shows a process without a command line. */
static char *bracketed(const char *comm)
{
	size_t n = strlen(comm);
	char *s = malloc(n + 3);

	if (!s)
		return NULL;
	s[0] = '[';
	memcpy(s + 1, comm, n);
	s[n + 1] = ']';
	s[n + 2] = '\0';
	return s;
}

/* The command of one process; -ENOMEM, -ESRCH (gone) or 0. */
static int command(struct source *src, int pid, struct pids_stack *s, char **ret)
{
	char **v = PIDS_VAL(I_CMDLINE_V, strv, s, NULL);
	const char *comm = PIDS_VAL(I_CMD, str, s, NULL);

	*ret = NULL;
	if (v && v[0] && !(strcmp(v[0], "-") == 0 && !v[1])) {
		*ret = join(v);
		return *ret ? 0 : -ENOMEM;
	}
	if (v && v[0]) {
		/* "-": empty, or really "-"?  Ask the file. */
		struct input_status st;
		int r = proc_load_cmdline(src, pid, ret, &st);

		if (r < 0)
			return r;
		if (st.loaded)
			return 0;
		if (st.err == -ESRCH)
			return -ESRCH;
	}
	if (comm && *comm) {
		*ret = bracketed(comm);
		return *ret ? 0 : -ENOMEM;
	}
	return 0;
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
}

int procs_load_live(struct source *src, struct procs_table *ret, char *err, size_t errsz)
{
	struct procs_table t = { 0 };
	struct pids_info *info;
	struct pids_fetch *f;
	int r;

	memset(ret, 0, sizeof(*ret));
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
		struct proc_row *row;

		if (flags & PF_KTHREAD) {
			t.kernel_threads++;
			continue;
		}
		if (state == 'Z' || state == 'X') {
			t.no_mm++;
			continue;
		}
		row = procs_table_add(&t);
		if (!row) {
			r = -ENOMEM;
			break;
		}
		row->pid = PIDS_VAL(I_PID, s_int, s, info);
		row->uid = PIDS_VAL(I_EUID, u_int, s, info);
		if (user && *user && !is_uid_text(user, row->uid)) {
			row->user = strdup(user);
			if (!row->user) {
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
		r = command(src, row->pid, s, &row->cmd);
		if (r == -ESRCH) {
			procs_table_drop(&t, t.n - 1);
			t.exited++;
			r = 0;
		}
		if (r < 0)
			break;
	}
	if (r < 0) {
		procs_table_free(&t);
		return r;
	}
	*ret = t;
	return 0;
}

/*
 * load-procs.c - the process table from a snapshot root (see
 * load-procs.h).  libproc2 can only read the live /proc, so under --root
 * the directories are listed and the status files parsed here, through
 * the source layer like every other input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load-procs.h"
#include "parse-procs.h"

struct proc_row *procs_table_add(struct procs_table *t)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct proc_row *r = realloc(t->rows, cap * sizeof(*r));

		if (!r)
			return NULL;
		t->rows = r;
		t->cap = cap;
	}
	memset(&t->rows[t->n], 0, sizeof(t->rows[0]));
	return &t->rows[t->n++];
}

void procs_table_drop(struct procs_table *t, size_t i)
{
	if (i >= t->n)
		return;
	proc_row_free(&t->rows[i]);
	memmove(&t->rows[i], &t->rows[i + 1], (t->n - i - 1) * sizeof(t->rows[0]));
	t->n--;
}

int procs_table_fail(struct procs_table *t, int pid, const struct input_status *st)
{
	if (t->nfail == t->fail_cap) {
		size_t cap = t->fail_cap ? t->fail_cap * 2 : 4;
		struct proc_failure *f = realloc(t->fail, cap * sizeof(*f));

		if (!f)
			return -ENOMEM;
		t->fail = f;
		t->fail_cap = cap;
	}
	t->fail[t->nfail].pid = pid;
	t->fail[t->nfail].st = *st;
	/* The copy's path moved: perr.file would point at the original. */
	t->fail[t->nfail].st.perr.file = NULL;
	t->nfail++;
	return 0;
}

void procs_table_free(struct procs_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		proc_row_free(&t->rows[i]);
	free(t->rows);
	free(t->fail);
	free(t->spare);
	memset(t, 0, sizeof(*t));
}

int proc_load_status(struct source *src, int pid, struct proc_status *ret, struct input_status *st)
{
	struct buf b = BUF_INIT;
	int r;

	r = proc_read_file(src, pid, "status", &b, st);
	if (r == 1)
		r = st->err = -ESRCH;  /* status never fails for want of an mm */
	if (r < 0) {
		buf_free(&b);
		return r == -ENOMEM ? r : 0;
	}
	r = status_parse(b.data ? b.data : "", b.len, st->path, ret, &st->perr);
	buf_free(&b);
	if (r < 0) {
		st->err = r;
		st->parse_error = true;
		st->perr.file = st->path;
		return r == -ENOMEM ? r : 0;
	}
	st->loaded = true;
	return 0;
}

/* A directory name that is a PID: decimal digits, 1 to 2^31 - 1. */
static bool pid_name(const char *s, int *ret)
{
	long long v = 0;

	if (!*s || *s == '0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
		if (v > 0x7fffffff)
			return false;
	}
	*ret = (int)v;
	return true;
}

/* The root's etc/passwd, if it has a readable one; -ENOMEM only. */
static int load_passwd(struct source *src, struct passwd_db *db)
{
	struct buf b = BUF_INIT;
	struct parse_error perr;
	int r;

	memset(db, 0, sizeof(*db));
	r = source_read(src, "etc/passwd", &b);
	if (r == 0)
		r = passwd_parse(b.data ? b.data : "", b.len, "etc/passwd", db, &perr);
	buf_free(&b);
	return r == -ENOMEM ? r : 0;
}

/* One process of the root into t.  0 or -ENOMEM. */
static int load_one(struct source *src, int pid, const struct passwd_db *db, struct procs_table *t)
{
	struct proc_status s;
	struct input_status st;
	struct proc_row *row;
	const char *user;
	int r;

	r = proc_load_status(src, pid, &s, &st);
	if (r < 0)
		return r;
	if (!st.loaded) {
		if (st.err == -ESRCH) {
			t->exited++;
			return 0;
		}
		return procs_table_fail(t, pid, &st);
	}
	switch (proc_status_kind(&s)) {
	case PROC_KTHREAD:
		t->kernel_threads++;
		proc_status_free(&s);
		return 0;
	case PROC_NO_MM:
		t->no_mm++;
		proc_status_free(&s);
		return 0;
	case PROC_USER:
		break;
	}
	row = procs_table_add(t);
	if (!row) {
		proc_status_free(&s);
		return -ENOMEM;
	}
	row->pid = pid;
	row->uid = s.uid[1];
	row->have = s.have & (STATUS_VM_RSS | STATUS_RSS_ANON | STATUS_RSS_FILE | STATUS_RSS_SHMEM |
			      STATUS_VM_SWAP);
	row->vm_rss_kb = s.vm_rss_kb;
	row->rss_anon_kb = s.rss_anon_kb;
	row->rss_file_kb = s.rss_file_kb;
	row->rss_shmem_kb = s.rss_shmem_kb;
	row->vm_swap_kb = s.vm_swap_kb;
	proc_status_free(&s);
	user = passwd_db_name(db, row->uid);
	if (user) {
		row->user = strdup(user);
		if (!row->user)
			return -ENOMEM;
	}
	/* A missing cmdline leaves the command unknown (NULL); an empty
	 * one is "[Name]" (proc_load_cmdline). */
	r = proc_load_cmdline(src, pid, &row->cmd, &st);
	if (r < 0)
		return r;
	if (!st.loaded && st.err == -ESRCH) {
		procs_table_drop(t, t->n - 1);
		t->exited++;
	}
	return 0;
}

int procs_load_root(struct source *src, struct procs_table *ret, struct input_status *dir_st)
{
	struct procs_table t = { 0 };
	struct passwd_db db;
	char **names = NULL;
	size_t n = 0;
	int r;

	memset(dir_st, 0, sizeof(*dir_st));
	dir_st->attempted = true;
	snprintf(dir_st->path, sizeof(dir_st->path), "%s", source_display(src, "proc"));
	r = source_list(src, "proc", &names, &n);
	if (r < 0) {
		dir_st->err = r;
		memset(ret, 0, sizeof(*ret));
		return r == -ENOMEM ? r : 0;
	}
	dir_st->loaded = true;
	r = load_passwd(src, &db);
	for (size_t i = 0; i < n && r == 0; i++) {
		int pid;

		if (pid_name(names[i], &pid))
			r = load_one(src, pid, &db, &t);
	}
	passwd_db_free(&db);
	source_names_free(names);
	if (r < 0) {
		procs_table_free(&t);
		memset(ret, 0, sizeof(*ret));
		return r;
	}
	*ret = t;
	return 0;
}

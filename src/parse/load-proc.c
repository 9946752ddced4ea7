/*
 * load-proc.c - one process's files under proc/PID of a source: maps,
 * smaps, smaps_rollup and the command line (see load.h).
 *
 * Errors are recorded in an input_status, as the machine loader does:
 * the functions return 0 or -ENOMEM, and st says what went wrong.  A
 * process that is gone (its proc/PID directory, or a file in it, vanished)
 * is -ESRCH, so that the command layer can say "no such process" rather
 * than "file not found".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"
#include "parse.h"

/* proc/PID/NAME; st->path gets its display path.  1: the process exists
 * but has no mm (b is empty). */
static int pid_read(struct source *src, int pid, const char *name, struct buf *b, struct input_status *st)
{
	char rel[64];
	int r;

	snprintf(rel, sizeof(rel), "proc/%d/%s", pid, name);
	st->attempted = true;
	snprintf(st->path, sizeof(st->path), "%s", source_display(src, rel));
	r = source_read(src, rel, b);
	if (r == -ENOENT) {
		/* The file, or the whole process?  Without its directory the
		 * process does not exist (or exited while we read). */
		snprintf(rel, sizeof(rel), "proc/%d", pid);
		if (source_lstat(src, rel, &(struct stat){ 0 }) == -ENOENT)
			r = -ESRCH;
	} else if (r == -ESRCH) {
		/* smaps_rollup of a process without an mm (a kernel thread,
		 * or a zombie) fails with ESRCH while the process exists:
		 * an empty address space, as maps and smaps show it. */
		snprintf(rel, sizeof(rel), "proc/%d", pid);
		if (source_lstat(src, rel, &(struct stat){ 0 }) == 0) {
			buf_reset(b);
			r = 1;
		}
	}
	return r;
}

static void parse_failed(struct input_status *st, int r)
{
	st->err = r;
	st->parse_error = true;
	st->perr.file = st->path;
}

int proc_load_maps(struct source *src, int pid, bool smaps, struct maps *ret, struct input_status *st)
{
	struct buf b = BUF_INIT;
	int r;

	memset(st, 0, sizeof(*st));
	r = pid_read(src, pid, smaps ? "smaps" : "maps", &b, st);
	if (r < 0) {
		st->err = r;
		buf_free(&b);
		return r == -ENOMEM ? r : 0;
	}
	r = (smaps ? smaps_parse : maps_parse)(b.data ? b.data : "", b.len, st->path, ret, &st->perr);
	buf_free(&b);
	if (r < 0) {
		parse_failed(st, r);
		return r == -ENOMEM ? r : 0;
	}
	st->loaded = true;
	return 0;
}

int proc_load_rollup(struct source *src, int pid, struct smaps_rollup *ret, struct input_status *st)
{
	struct buf b = BUF_INIT;
	int r;

	memset(st, 0, sizeof(*st));
	r = pid_read(src, pid, "smaps_rollup", &b, st);
	if (r < 0) {
		st->err = r;
		buf_free(&b);
		return r == -ENOMEM ? r : 0;
	}
	if (r == 1) {
		/* No mm: nothing mapped, every counter zero. */
		buf_free(&b);
		memset(ret, 0, sizeof(*ret));
		st->loaded = true;
		return 0;
	}
	r = smaps_rollup_parse(b.data, b.len, st->path, ret, &st->perr);
	buf_free(&b);
	if (r < 0) {
		parse_failed(st, r);
		return r == -ENOMEM ? r : 0;
	}
	st->loaded = true;
	return 0;
}

/* "Name:\tVALUE" of proc/PID/status, or NULL. */
/* The Name: value of a status file in *ret (NULL when there is no Name:
 * line); -ENOMEM only when the copy fails. */
static int status_name(const char *s, size_t n, char **ret)
{
	const char *end = s + n;

	*ret = NULL;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;

		if (le - s > 5 && memcmp(s, "Name:", 5) == 0) {
			const char *v = s + 5;

			while (v < le && (*v == '\t' || *v == ' '))
				v++;
			*ret = xstrndup(v, (size_t)(le - v));
			return *ret ? 0 : -ENOMEM;
		}
		s = nl ? nl + 1 : end;
	}
	return 0;
}

int proc_load_cmdline(struct source *src, int pid, char **ret, struct input_status *st)
{
	struct buf b = BUF_INIT;
	char *s = NULL;
	int r;

	memset(st, 0, sizeof(*st));
	*ret = NULL;
	r = pid_read(src, pid, "cmdline", &b, st);
	if (r == 1)
		r = 0;
	if (r == 0 && b.len) {
		size_t n = b.len;

		/* Arguments are NUL-separated (and NUL-terminated). */
		while (n && b.data[n - 1] == '\0')
			n--;
		s = xstrndup(b.data, n);
		if (!s) {
			buf_free(&b);
			return -ENOMEM;
		}
		for (size_t i = 0; i < n; i++)
			if (s[i] == '\0')
				s[i] = ' ';
	} else if (r == 0 || r == -ENOENT) {
		/* A kernel thread or a zombie: "[name]" from status, as ps does. */
		r = pid_read(src, pid, "status", &b, st);
		if (r == 1)
			r = -ESRCH;
		if (r == 0) {
			char *name;
			size_t n;

			if (status_name(b.data ? b.data : "", b.len, &name) < 0) {
				buf_free(&b);
				return -ENOMEM;
			}
			/* No Name: line (a garbled status): no command to show. */
			if (!name) {
				buf_free(&b);
				st->loaded = true;
				return 0;
			}
			n = strlen(name);
			s = malloc(n + 3);
			if (!s) {
				free(name);
				buf_free(&b);
				return -ENOMEM;
			}
			s[0] = '[';
			memcpy(s + 1, name, n);
			s[n + 1] = ']';
			s[n + 2] = '\0';
			free(name);
		}
	}
	buf_free(&b);
	if (r < 0) {
		st->err = r;
		return r == -ENOMEM ? r : 0;
	}
	*ret = s;
	st->loaded = true;
	return 0;
}

/* Any file of proc/PID (for `procs`, which parses status itself). */
int proc_read_file(struct source *src, int pid, const char *name, struct buf *b, struct input_status *st)
{
	int r;

	memset(st, 0, sizeof(*st));
	r = pid_read(src, pid, name, b, st);
	if (r < 0)
		st->err = r;
	return r;
}

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
#include "stream.h"

/* "proc/PID/NAME" into rel; st->path gets its display path. */
static void pid_path(struct source *src, int pid, const char *name, char *rel, size_t n,
		     struct input_status *st)
{
	snprintf(rel, n, "proc/%d/%s", pid, name);
	st->attempted = true;
	snprintf(st->path, sizeof(st->path), "%s", source_display(src, rel));
}

/*
 * A failure r (-errno) of opening or reading proc/PID/NAME, seen from the
 * process: -ESRCH when its directory is gone (it does not exist or exited
 * while we read), and 1 for -ESRCH while it still exists (smaps_rollup of
 * a process without an mm, a kernel thread or a zombie: an empty address
 * space, as maps and smaps show it).  Other codes are returned as they are.
 */
static int pid_errno(struct source *src, int pid, int r)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "proc/%d", pid);
	if (r == -ENOENT) {
		/* The file, or the whole process? */
		if (source_lstat(src, rel, &(struct stat){ 0 }) == -ENOENT)
			r = -ESRCH;
	} else if (r == -ESRCH) {
		if (source_lstat(src, rel, &(struct stat){ 0 }) == 0)
			r = 1;
	}
	return r;
}

/* Has the live process exited: its directory gone, a zombie (state Z or
 * X in proc/PID/stat, after the command's closing parenthesis), or
 * exiting (PF_EXITING in its flags)? */
static bool pid_gone(struct source *src, int pid)
{
	struct buf b = BUF_INIT;
	char rel[64];
	bool gone;
	int r;

	snprintf(rel, sizeof(rel), "proc/%d/stat", pid);
	r = source_read(src, rel, &b);
	if (r < 0) {
		gone = r == -ENOENT || r == -ESRCH;
	} else {
		const char *paren = NULL;

		for (size_t i = b.len; i-- > 0;)
			if (b.data[i] == ')') {
				paren = b.data + i;
				break;
			}
		gone = paren && paren + 2 < b.data + b.len && (paren[2] == 'Z' || paren[2] == 'X');
		/* Or on its way out: PF_EXITING (0x4) in flags, the 9th
		 * field; its mm is released before it becomes a zombie. */
		if (paren && !gone) {
			const char *p = paren + 1, *end = b.data + b.len;
			unsigned long long flags = 0;

			for (int field = 3; field < 9 && p < end; field++) {
				while (p < end && *p == ' ')
					p++;
				while (p < end && *p != ' ')
					p++;
			}
			while (p < end && *p == ' ')
				p++;
			while (p < end && *p >= '0' && *p <= '9')
				flags = flags * 10 + (unsigned long long)(*p++ - '0');
			gone = flags & 0x4;
		}
	}
	buf_free(&b);
	return gone;
}

/* proc/PID/NAME; st->path gets its display path.  1: the process exists
 * but has no mm (b is empty).  -ESRCH also when the read ended normally
 * but the process is gone by then: it may have exited part way through,
 * which the kernel reports as an early end of file. */
static int pid_read(struct source *src, int pid, const char *name, struct buf *b, struct input_status *st)
{
	char rel[64];
	int r;

	pid_path(src, pid, name, rel, sizeof(rel), st);
	r = source_read(src, rel, b);
	if (r < 0) {
		r = pid_errno(src, pid, r);
		if (r == 1)
			buf_reset(b);
	} else if (source_is_live(src) && pid_gone(src, pid)) {
		r = -ESRCH;
	}
	return r;
}

static void parse_failed(struct input_status *st, int r)
{
	st->err = r;
	st->parse_error = true;
	st->perr.file = st->path;
}

/* ---- maps and smaps as they are read ---------------------------------- */

/*
 * A chunk of the reader is parsed a slice at a time, and the entries of
 * each slice are handed over before the next: the parser's window (and
 * the memory it touches) stays at a few hundred entries, not the ~3,000
 * lines of a 128 KiB chunk of maps.
 */
#define PARSE_SLICE (16 * 1024)

struct proc_maps_stream {
	struct source *src;
	int pid;
	struct stream *in;
	struct maps_parser *ps;
	struct input_status *st;
	const char *data;        /* the rest of the current chunk */
	size_t left;
	size_t shown;            /* window entries returned by the last call */
	bool any;                /* some bytes were read */
	bool ended;              /* the parser saw the end */
};

int proc_maps_open(struct source *src, int pid, bool smaps, struct proc_maps_stream **ret,
		   struct input_status *st)
{
	struct proc_maps_stream *ms;
	char rel[64];
	int fd, r;

	memset(st, 0, sizeof(*st));
	*ret = NULL;
	pid_path(src, pid, smaps ? "smaps" : "maps", rel, sizeof(rel), st);
	ms = calloc(1, sizeof(*ms));
	if (!ms)
		return -ENOMEM;
	ms->src = src;
	ms->pid = pid;
	ms->st = st;
	r = maps_parser_new(smaps, st->path, &ms->ps, &st->perr);
	if (r < 0) {
		free(ms);
		return r;
	}
	fd = source_openat(src, rel, O_RDONLY);
	if (fd < 0) {
		r = pid_errno(src, pid, fd);
		if (r == 1) {
			/* No mm: nothing to read, an empty address space. */
			ms->ended = true;
			maps_parser_end(ms->ps, NULL);
		} else {
			st->err = r;
			proc_maps_close(ms);
			return 0;
		}
	} else {
		r = stream_open(fd, &ms->in);
		if (r < 0) {
			maps_parser_free(ms->ps);
			free(ms);
			return r;
		}
	}
	*ret = ms;
	return 0;
}

/* The end of the input: r is 0 or the read error. */
static int stream_ended(struct proc_maps_stream *ms, int r)
{
	struct input_status *st = ms->st;

	if (r < 0) {
		r = pid_errno(ms->src, ms->pid, r);
		if (r == 1 && !ms->any) {
			r = 0;  /* no mm: empty */
		} else if (r == 1) {
			r = -ESRCH;
		}
		if (r < 0) {
			st->err = r;
			return 0;
		}
	}
	/* A process that exits while its maps are read ends the read at EOF,
	 * not with an error (6.18): if its directory is gone now, the list
	 * may be cut short. */
	if (source_is_live(ms->src) && pid_gone(ms->src, ms->pid)) {
		st->err = -ESRCH;
		return 0;
	}
	ms->ended = true;
	r = maps_parser_end(ms->ps, &st->perr);
	if (r < 0) {
		parse_failed(st, r);
		return r == -ENOMEM ? r : 0;
	}
	return 1;
}

int proc_maps_next(struct proc_maps_stream *ms, const struct maps **ret, size_t *ret_from,
		   size_t *ret_to)
{
	struct input_status *st = ms->st;
	const struct maps *m;
	size_t complete;
	int r;

	if (st->err)
		return 0;
	/* Forget what was shown, all but the last entry (the caller may look
	 * at the entry before the first new one). */
	if (ms->shown > 1) {
		maps_parser_drop(ms->ps, ms->shown - 1);
		ms->shown = 1;
	}
	for (;;) {
		const char *data;
		size_t len;

		m = maps_parser_window(ms->ps, &complete, NULL);
		if (complete > ms->shown)
			break;
		if (ms->ended) {
			st->loaded = true;
			return 0;
		}
		if (!ms->left) {
			r = stream_next(ms->in, &ms->data, &ms->left);
			if (r <= 0) {
				r = stream_ended(ms, r);
				if (r <= 0)
					return r;
				continue;
			}
			ms->any = true;
		}
		data = ms->data;
		len = ms->left < PARSE_SLICE ? ms->left : PARSE_SLICE;
		ms->data += len;
		ms->left -= len;
		r = maps_parser_feed(ms->ps, data, len, &st->perr);
		if (r < 0) {
			parse_failed(st, r);
			if (r == -ENOMEM)
				return r;
			/* The entries before the bad line are good: they go out
			 * first, and the next call reports the failure. */
			m = maps_parser_window(ms->ps, &complete, NULL);
			if (complete > ms->shown)
				break;
			return 0;
		}
	}
	*ret = m;
	*ret_from = ms->shown;
	*ret_to = complete;
	ms->shown = complete;
	return 1;
}

void proc_maps_close(struct proc_maps_stream *ms)
{
	if (!ms)
		return;
	stream_close(ms->in);
	maps_parser_free(ms->ps);
	free(ms);
}

int proc_load_maps(struct source *src, int pid, bool smaps, struct maps *ret, struct input_status *st)
{
	struct proc_maps_stream *ms;
	int r;

	r = proc_maps_open(src, pid, smaps, &ms, st);
	if (r < 0 || !ms)
		return r;
	/* Keep everything: read and parse to the end, then take the model. */
	while (!st->err && !ms->ended) {
		const char *data;
		size_t len;

		r = stream_next(ms->in, &data, &len);
		if (r <= 0) {
			r = stream_ended(ms, r);
			if (r <= 0)
				break;
			continue;
		}
		ms->any = true;
		r = maps_parser_feed(ms->ps, data, len, &st->perr);
		if (r < 0) {
			parse_failed(st, r);
			r = r == -ENOMEM ? r : 0;
			break;
		}
	}
	if (r >= 0 && !st->err) {
		r = maps_parser_finish(ms->ps, ret, &st->perr);
		if (r < 0) {
			parse_failed(st, r);
			r = r == -ENOMEM ? r : 0;
		} else {
			st->loaded = true;
		}
	}
	proc_maps_close(ms);
	return r < 0 ? r : 0;
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

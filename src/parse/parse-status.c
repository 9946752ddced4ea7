/*
 * parse-status.c - /proc/PID/status, for the process table (see
 * parse-procs.h for the contract).
 *
 * The kernel prints "Key:\tvalue" per line (fs/proc/array.c,
 * proc_pid_status): task_name() writes "Name:\t" and the command name
 * with \n and \\ and other control characters escaped; task_state()
 * the State, ids and Uid/Gid quadruples; "Kthread:" on 6.x kernels;
 * task_mem() the Vm and Rss lines ("%8lu kB"), present only when the task
 * has an mm; task_sig() "Threads:" and the signal masks; and more lines
 * after that.  The set of keys grows with every few releases, so unknown
 * keys are skipped without looking at their values; the ones procs needs
 * are validated as strictly as meminfo's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "parse-procs.h"
#include "../util/util.h"

/* The keys kept, and where. */
enum key_kind { K_NAME, K_STATE, K_UID, K_KTHREAD, K_KB, K_COUNT };

static const struct {
	const char *key;
	unsigned bit;
	enum key_kind kind;
	size_t off;              /* K_KB, K_COUNT: offset of the uint64_t */
} keys[] = {
	{ "Name", STATUS_NAME, K_NAME, 0 },
	{ "State", STATUS_STATE, K_STATE, 0 },
	{ "Uid", STATUS_UID, K_UID, 0 },
	{ "Kthread", STATUS_KTHREAD, K_KTHREAD, 0 },
	{ "VmRSS", STATUS_VM_RSS, K_KB, offsetof(struct proc_status, vm_rss_kb) },
	{ "RssAnon", STATUS_RSS_ANON, K_KB, offsetof(struct proc_status, rss_anon_kb) },
	{ "RssFile", STATUS_RSS_FILE, K_KB, offsetof(struct proc_status, rss_file_kb) },
	{ "RssShmem", STATUS_RSS_SHMEM, K_KB, offsetof(struct proc_status, rss_shmem_kb) },
	{ "VmSwap", STATUS_VM_SWAP, K_KB, offsetof(struct proc_status, vm_swap_kb) },
	{ "Threads", STATUS_THREADS, K_COUNT, offsetof(struct proc_status, threads) },
};

/* Lines every kernel prints, and procs needs. */
#define STATUS_REQUIRED (STATUS_NAME | STATUS_STATE | STATUS_UID | STATUS_THREADS)

static int key_index(struct span k)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (span_eq(k, keys[i].key))
			return (int)i;
	return -1;
}

/* No more tokens in [p, end), or a failure naming the key. */
static int expect_end(const char *p, const char *end, const char *file, unsigned line,
		      const char *key, struct parse_error *perr)
{
	char b[LEX_SHOW_BUFSZ];
	struct span t;

	if (tok_next(&p, end, &t))
		return parse_fail(perr, file, line, -EINVAL, "unexpected text after the value of '%s': '%s'",
				  key, lex_show(t, b, sizeof(b)));
	return 0;
}

/* One number of a value; max is the largest allowed. */
static int number(const char **p, const char *end, const char *file, unsigned line, const char *key,
		  uint64_t max, uint64_t *ret, struct parse_error *perr)
{
	char b[LEX_SHOW_BUFSZ];
	struct span t;
	int r;

	if (!tok_next(p, end, &t))
		return parse_fail(perr, file, line, -EINVAL, "missing value for '%s'", key);
	r = lex_u64(t, ret);
	if (r == 0 && *ret > max)
		r = -ERANGE;
	if (r < 0)
		return parse_fail(perr, file, line, r, "value of '%s': %s: '%s'", key, lex_strerror(r),
				  lex_show(t, b, sizeof(b)));
	return 0;
}

static int field(struct proc_status *s, int k, const char *p, const char *end, const char *file,
		 unsigned line, struct parse_error *perr)
{
	const char *key = keys[k].key;
	char b[LEX_SHOW_BUFSZ];
	struct span t;
	uint64_t v;
	int r;

	switch (keys[k].kind) {
	case K_NAME:
		/* "Name:\t" then the name, which may hold blanks: the rest
		 * of the line after that one tab. */
		if (p < end && *p == '\t')
			p++;
		else
			p = skip_blanks(p, end);
		s->name = xstrndup(p, (size_t)(end - p));
		if (!s->name)
			return parse_fail(perr, file, line, -ENOMEM, "out of memory");
		return 0;
	case K_STATE:
		/* "S (sleeping)": the letter, then its description. */
		if (!tok_next(&p, end, &t))
			return parse_fail(perr, file, line, -EINVAL, "missing value for 'State'");
		if (t.n != 1 || !((t.p[0] >= 'A' && t.p[0] <= 'Z') || (t.p[0] >= 'a' && t.p[0] <= 'z')))
			return parse_fail(perr, file, line, -EINVAL, "bad state '%s': expected one letter",
					  lex_show(t, b, sizeof(b)));
		s->state = t.p[0];
		return 0;
	case K_UID:
		for (int i = 0; i < 4; i++) {
			r = number(&p, end, file, line, key, UINT32_MAX, &v, perr);
			if (r < 0)
				return r;
			s->uid[i] = (uint32_t)v;
		}
		return expect_end(p, end, file, line, key, perr);
	case K_KTHREAD:
		r = number(&p, end, file, line, key, UINT64_MAX, &v, perr);
		if (r < 0)
			return r;
		if (v > 1)
			return parse_fail(perr, file, line, -EINVAL, "value of 'Kthread': expected 0 or 1, found %" PRIu64, v);
		s->kthread = v == 1;
		return expect_end(p, end, file, line, key, perr);
	case K_KB:
		r = number(&p, end, file, line, key, UINT64_MAX, &v, perr);
		if (r < 0)
			return r;
		if (!tok_next(&p, end, &t))
			return parse_fail(perr, file, line, -EINVAL, "value of '%s' has no unit (expected kB)", key);
		if (!span_eq(t, "kB"))
			return parse_fail(perr, file, line, -EINVAL, "unknown unit '%s' for '%s'",
					  lex_show(t, b, sizeof(b)), key);
		if (v > UINT64_MAX / 1024)
			return parse_fail(perr, file, line, -ERANGE,
					  "value of '%s': number too large: %" PRIu64 " kB overflows 64 bits as bytes",
					  key, v);
		*(uint64_t *)((char *)s + keys[k].off) = v;
		return expect_end(p, end, file, line, key, perr);
	case K_COUNT:
		r = number(&p, end, file, line, key, UINT64_MAX, &v, perr);
		if (r < 0)
			return r;
		*(uint64_t *)((char *)s + keys[k].off) = v;
		return expect_end(p, end, file, line, key, perr);
	}
	return 0;
}

int status_parse(const char *buf, size_t len, const char *file,
		 struct proc_status *ret, struct parse_error *perr)
{
	struct proc_status s = { 0 };
	char b[LEX_SHOW_BUFSZ];
	struct lineiter it;
	const char *line;
	size_t n;
	int r;

	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		const char *end = line + n;
		const char *colon = memchr(line, ':', n);
		struct span key;
		int k;

		if (!colon) {
			r = parse_fail(perr, file, it.lineno, -EINVAL, "expected 'Key: value', found '%s'",
				       lex_show((struct span){ line, n }, b, sizeof(b)));
			goto fail;
		}
		key = (struct span){ line, (size_t)(colon - line) };
		if (key.n == 0) {
			r = parse_fail(perr, file, it.lineno, -EINVAL, "key missing before ':'");
			goto fail;
		}
		k = key_index(key);
		if (k < 0)
			continue;
		if (s.have & keys[k].bit) {
			r = parse_fail(perr, file, it.lineno, -EINVAL, "'%s' appears twice", keys[k].key);
			goto fail;
		}
		r = field(&s, k, colon + 1, end, file, it.lineno, perr);
		if (r < 0)
			goto fail;
		s.have |= keys[k].bit;
	}
	if (len == 0) {
		r = parse_fail(perr, file, 0, -EINVAL, "empty file");
		goto fail;
	}
	if ((s.have & STATUS_REQUIRED) != STATUS_REQUIRED) {
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
			if ((STATUS_REQUIRED & keys[i].bit) && !(s.have & keys[i].bit)) {
				r = parse_fail(perr, file, 0, -EINVAL, "no '%s:' line (truncated file?)",
					       keys[i].key);
				goto fail;
			}
		}
	}
	*ret = s;
	return 0;
fail:
	proc_status_free(&s);
	return r;
}

/*
 * parse-passwd.c - the user names of a snapshot root, from its
 * etc/passwd (see parse-procs.h).  Only "name:password:uid:" matters;
 * the file is an administrator's, not the kernel's, so a line that does
 * not fit is skipped: comments, NIS "+"/"-" entries, blank lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse-procs.h"
#include "../util/util.h"

/* A name to show: not empty, no ':' (by construction) and no control
 * byte; a "+" or "-" first is NIS compat syntax, not a user. */
static bool good_name(const char *s, size_t n)
{
	if (n == 0 || s[0] == '+' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int append(struct passwd_db *db, uint32_t uid, const char *name, size_t n)
{
	if (db->n == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 32;
		struct passwd_entry *e = realloc(db->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		db->e = e;
		db->cap = cap;
	}
	db->e[db->n].name = xstrndup(name, n);
	if (!db->e[db->n].name)
		return -ENOMEM;
	db->e[db->n++].uid = uid;
	return 0;
}

int passwd_parse(const char *buf, size_t len, const char *file,
		 struct passwd_db *ret, struct parse_error *perr)
{
	struct passwd_db db = { 0 };
	struct lineiter it;
	const char *line;
	size_t n;

	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line, &n)) {
		const char *end = line + n, *c1, *c2, *c3;
		uint64_t uid;

		c1 = memchr(line, ':', n);
		if (!c1 || !good_name(line, (size_t)(c1 - line)))
			continue;
		c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
		if (!c2)
			continue;
		c3 = memchr(c2 + 1, ':', (size_t)(end - c2 - 1));
		if (!c3)
			c3 = end;
		if (lex_u64((struct span){ c2 + 1, (size_t)(c3 - c2 - 1) }, &uid) < 0 || uid > UINT32_MAX)
			continue;
		if (append(&db, (uint32_t)uid, line, (size_t)(c1 - line)) < 0) {
			passwd_db_free(&db);
			return parse_fail(perr, file, it.lineno, -ENOMEM, "out of memory");
		}
	}
	*ret = db;
	return 0;
}

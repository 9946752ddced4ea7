/*
 * fuzz-tar.c - libFuzzer harness for tar_index() (--root FILE.tar reads an
 * untrusted archive), then tar_resolve() and tar_children() over what it
 * indexed.  Contract: 0 with a sorted, unique index whose m[0] is the root
 * and whose every member's data lies inside the input and whose names are
 * normalised (no "", ".", ".." component, no leading or doubled '/'); or
 * -EBADMSG with a printable reason; or -ENOMEM.  Nothing else.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz contract violation: %s\n", what);
	abort();
}

static int count(const struct tar_member *m, const char *name, void *arg)
{
	(void)m;
	if (!*name || strchr(name, '/'))
		fail("tar_children: a child name with '/' or empty");
	(*(size_t *)arg)++;
	return 0;
}

static void check_name(const char *p)
{
	const char *s = p;

	for (;;) {
		size_t n = strcspn(s, "/");

		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			fail("tar_index: a member name is not normalised");
		if (!s[n])
			return;
		s += n + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct tar_error err;
	struct tar t;
	int r = tar_index(d, size, &t, &err);

	if (r == -EBADMSG) {
		if (!err.what[0])
			fail("tar_index: -EBADMSG without a reason");
		for (const char *p = err.what; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				fail("tar_index: unprintable reason");
		for (const char *p = err.member; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				fail("tar_index: unprintable member name");
		if (err.offset > size)
			fail("tar_index: error offset past the input");
		return 0;
	}
	if (r == -ENOMEM)
		return 0;
	if (r != 0)
		fail("tar_index: unexpected return value");
	if (t.n == 0 || t.m[0].path[0] || t.m[0].type != TAR_DIR)
		fail("tar_index: m[0] is not the root");
	for (size_t i = 0; i < t.n; i++) {
		const struct tar_member *m = &t.m[i];
		const struct tar_member *x;
		size_t nchild = 0;

		if (i) {
			if (strcmp(t.m[i - 1].path, m->path) >= 0)
				fail("tar_index: index not sorted or not unique");
			check_name(m->path);
		}
		if (m->type == TAR_REG && m->size &&
		    (m->data < d || m->data > d + size || m->size > (uint64_t)(d + size - m->data)))
			fail("tar_index: member data outside the archive");
		if (m->type == TAR_SYMLINK && (!m->link || !m->link[0]))
			fail("tar_index: symlink without a target");
		if (tar_find(&t, m->path) != m)
			fail("tar_find: does not find an indexed member");
		if (m->type == TAR_DIR && tar_children(&t, m, count, &nchild) == 0 && i == 0 &&
		    t.n > 1 && nchild == 0)
			fail("tar_children: a non-empty root has no children");
		/* Resolving never leaves the index. */
		r = tar_resolve(&t, NULL, m->path, 1, &x);
		if (r == 0 && (x < t.m || x >= t.m + t.n))
			fail("tar_resolve: result outside the index");
		if (r && r != -ENOENT && r != -ENOTDIR && r != -ELOOP && r != -ENAMETOOLONG)
			fail("tar_resolve: unexpected error");
		if (m->type == TAR_DIR && tar_resolve(&t, m->path, "..", 1, &x) == 0 &&
		    strncmp(x->path, m->path, strlen(m->path)))
			fail("tar_resolve: '..' left the beneath directory");
	}
	tar_free(&t);
	return 0;
}

/*
 * test-tar.c - the ustar reader and header writer (src/parse/tar.h):
 * headers written by tar_header() read back by tar_index() (short names,
 * prefix-split long names, symlinks, base-256 sizes), implied
 * directories, later members replacing earlier ones, symlink resolution
 * inside the root and beneath a directory, and the refusals: bad
 * checksum, truncated data, a missing end, '..' names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse/tar.h"

/* An archive under construction. */
struct arc {
	char buf[64 * TAR_BLOCK];
	size_t len;
};

static void add(struct arc *a, const char *path, enum tar_type type, const char *data, const char *link)
{
	size_t n = data ? strlen(data) : 0;

	assert_int_equal(tar_header(a->buf + a->len, path, type, 0644, n, link, 1700000000), 0);
	a->len += TAR_BLOCK;
	if (n) {
		memset(a->buf + a->len, 0, (n + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK);
		memcpy(a->buf + a->len, data, n);
		a->len += (n + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	}
}

static void end(struct arc *a)
{
	memset(a->buf + a->len, 0, 2 * TAR_BLOCK);
	a->len += 2 * TAR_BLOCK;
}

static int names(const struct tar_member *m, const char *name, void *arg)
{
	char *out = arg;

	(void)m;
	strcat(out, name);
	strcat(out, " ");
	return 0;
}

static void test_roundtrip(void **state)
{
	static struct arc a;
	const char *longp = "sys/devices/system/node/node0/hugepages/hugepages-1048576kB/"
			    "a-rather-long-file-name-that-does-not-fit-in-one-hundred-bytes";
	const struct tar_member *m;
	struct tar_error err;
	struct tar t;
	char list[256] = "";

	(void)state;
	a.len = 0;
	add(&a, "proc", TAR_DIR, NULL, NULL);
	add(&a, "proc/meminfo", TAR_REG, "MemTotal: 1 kB\n", NULL);
	add(&a, longp, TAR_REG, "7\n", NULL);
	add(&a, "sys/kernel/slab/cred", TAR_SYMLINK, NULL, ":A-0000192");
	add(&a, "sys/kernel/slab/:A-0000192/order", TAR_REG, "1\n", NULL);
	add(&a, "proc/meminfo", TAR_REG, "MemTotal: 2 kB\n", NULL);   /* replaces the first */
	end(&a);
	assert_true(strlen(longp) > 100);
	/* The long name was split: prefix field (345) holds the directories. */
	assert_int_equal(tar_index(a.buf, a.len, &t, &err), 0);
	assert_string_equal(t.m[0].path, "");
	m = tar_find(&t, "proc/meminfo");
	assert_non_null(m);
	assert_int_equal(m->type, TAR_REG);
	assert_int_equal(m->size, 15);
	assert_memory_equal(m->data, "MemTotal: 2 kB\n", 15);
	m = tar_find(&t, longp);
	assert_non_null(m);
	assert_memory_equal(m->data, "7\n", 2);
	/* Implied directories exist and list their children in order. */
	m = tar_find(&t, "sys/kernel/slab");
	assert_non_null(m);
	assert_int_equal(m->type, TAR_DIR);
	assert_int_equal(tar_children(&t, m, names, list), 0);
	assert_string_equal(list, ":A-0000192 cred ");
	list[0] = '\0';
	assert_int_equal(tar_children(&t, &t.m[0], names, list), 0);
	assert_string_equal(list, "proc sys ");
	/* Symlinks: followed when asked, inside the archive. */
	assert_int_equal(tar_resolve(&t, NULL, "sys/kernel/slab/cred/order", 1, &m), 0);
	assert_string_equal(m->path, "sys/kernel/slab/:A-0000192/order");
	assert_int_equal(tar_resolve(&t, NULL, "sys/kernel/slab/cred", 0, &m), 0);
	assert_int_equal(m->type, TAR_SYMLINK);
	assert_string_equal(m->link, ":A-0000192");
	assert_int_equal(tar_resolve(&t, "sys/kernel/slab", "cred/order", 1, &m), 0);
	/* '..' stops at the root; beneath it is refused. */
	assert_int_equal(tar_resolve(&t, NULL, "../../proc/./meminfo", 1, &m), 0);
	assert_string_equal(m->path, "proc/meminfo");
	assert_int_equal(tar_resolve(&t, "sys/kernel/slab", "../slab/cred", 0, &m), -EXDEV);
	assert_int_equal(tar_resolve(&t, NULL, "proc/meminfo/x", 1, &m), -ENOTDIR);
	assert_int_equal(tar_resolve(&t, NULL, "proc/nothere", 1, &m), -ENOENT);
	tar_free(&t);
}

static void test_links(void **state)
{
	static struct arc a;
	const struct tar_member *m;
	struct tar_error err;
	struct tar t;

	(void)state;
	a.len = 0;
	add(&a, "etc/secret", TAR_REG, "no\n", NULL);
	add(&a, "proc/abs", TAR_SYMLINK, NULL, "/etc/secret");
	add(&a, "proc/up", TAR_SYMLINK, NULL, "../../../../etc/secret");
	add(&a, "proc/loop", TAR_SYMLINK, NULL, "loop");
	add(&a, "d/x", TAR_SYMLINK, NULL, "/etc");
	end(&a);
	assert_int_equal(tar_index(a.buf, a.len, &t, &err), 0);
	/* Absolute targets and '..' chains resolve inside the archive. */
	assert_int_equal(tar_resolve(&t, NULL, "proc/abs", 1, &m), 0);
	assert_string_equal(m->path, "etc/secret");
	assert_int_equal(tar_resolve(&t, NULL, "proc/up", 1, &m), 0);
	assert_string_equal(m->path, "etc/secret");
	assert_int_equal(tar_resolve(&t, NULL, "proc/loop", 1, &m), -ELOOP);
	/* Beneath a directory, an absolute link fails. */
	assert_int_equal(tar_resolve(&t, "d", "x/secret", 1, &m), -EXDEV);
	assert_int_equal(tar_resolve(&t, NULL, "d/x/secret", 1, &m), 0);
	tar_free(&t);
}

static void test_big_size(void **state)
{
	char h[TAR_BLOCK];

	(void)state;
	/* Past 8 GiB: base-256, as GNU tar writes it. */
	assert_int_equal(tar_header(h, "proc/kpageflags", TAR_REG, 0644, UINT64_C(1) << 34, NULL, 0), 0);
	assert_int_equal((unsigned char)h[124], 0x80);
	assert_int_equal((unsigned char)h[124 + 7], 0x04);
}

static void test_refusals(void **state)
{
	static struct arc a;
	struct tar_error err;
	struct tar t;
	char h[TAR_BLOCK];

	(void)state;
	/* A name too long for ustar. */
	memset(h, 'a', sizeof(h));
	{
		char longname[300];

		memset(longname, 'a', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		assert_int_equal(tar_header(h, longname, TAR_REG, 0644, 0, NULL, 0), -ENAMETOOLONG);
	}

	a.len = 0;
	add(&a, "proc/meminfo", TAR_REG, "MemTotal: 1 kB\n", NULL);
	end(&a);
	/* No end blocks. */
	assert_int_equal(tar_index(a.buf, 2 * TAR_BLOCK, &t, &err), -EBADMSG);
	assert_non_null(strstr(err.what, "end-of-archive"));
	/* Data cut short. */
	assert_int_equal(tar_index(a.buf, TAR_BLOCK + 3, &t, &err), -EBADMSG);
	assert_string_equal(err.member, "proc/meminfo");
	assert_non_null(strstr(err.what, "truncated"));
	/* Bad checksum. */
	a.buf[0] ^= 1;
	assert_int_equal(tar_index(a.buf, a.len, &t, &err), -EBADMSG);
	assert_non_null(strstr(err.what, "checksum"));
	assert_int_equal(err.offset, 0);
	/* '..' in a name. */
	a.len = 0;
	add(&a, "proc/../../etc/passwd", TAR_REG, "x\n", NULL);
	end(&a);
	assert_int_equal(tar_index(a.buf, a.len, &t, &err), -EBADMSG);
	assert_string_equal(err.member, "proc/../../etc/passwd");
	/* A file used as a directory. */
	a.len = 0;
	add(&a, "proc", TAR_REG, "x\n", NULL);
	add(&a, "proc/meminfo", TAR_REG, "x\n", NULL);
	end(&a);
	assert_int_equal(tar_index(a.buf, a.len, &t, &err), -EBADMSG);
	/* Empty input. */
	assert_int_equal(tar_index(a.buf, 0, &t, &err), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_big_size),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

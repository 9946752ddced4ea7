/*
 * test-source.c - the root-relative source layer: reads under a root,
 * missing files, directories, large files, sorted listings, that a
 * snapshot's symlinks cannot lead outside its root, and the chunked
 * reader of stream.h (with and without its reader thread, from a file and
 * from a slow pipe, stopped early).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse/source.h"
#include "parse/stream.h"
#include "parse/tar.h"

static char tmpdir[256];

static void put(const char *rel, const char *data, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static int setup(void **state)
{
	char path[512];

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/fragscope-test-source-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/proc", tmpdir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/secret", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void reads_under_root(void **state)
{
	struct source *src;
	struct buf b = BUF_INIT;

	(void)state;
	put("proc/meminfo", "MemTotal: 1 kB\n", 15);
	assert_int_equal(source_open(tmpdir, &src), 0);
	assert_false(source_is_live(src));
	assert_int_equal(source_read(src, "proc/meminfo", &b), 0);
	assert_int_equal(b.len, 15);
	assert_string_equal(b.data, "MemTotal: 1 kB\n");
	/* A leading slash means the same thing. */
	assert_int_equal(source_read(src, "/proc/meminfo", &b), 0);
	assert_int_equal(b.len, 15);
	assert_int_equal(source_read(src, "proc/nope", &b), -ENOENT);
	assert_int_equal(source_read(src, "proc", &b), -EISDIR);
	buf_free(&b);
	source_free(src);
}

static void display_paths(void **state)
{
	struct source *src;
	char root[300];

	(void)state;
	snprintf(root, sizeof(root), "%s///", tmpdir);
	assert_int_equal(source_open(root, &src), 0);
	/* Trailing slashes are dropped from the root. */
	assert_string_equal(source_root(src), tmpdir);
	assert_true(strstr(source_display(src, "proc/meminfo"), "/proc/meminfo") != NULL);
	assert_int_equal(strncmp(source_display(src, "proc/meminfo"), tmpdir, strlen(tmpdir)), 0);
	source_free(src);
	assert_int_equal(source_open("/", &src), 0);
	assert_true(source_is_live(src));
	assert_string_equal(source_display(src, "proc/meminfo"), "/proc/meminfo");
	source_free(src);
}

static void large_file_grows(void **state)
{
	size_t n = 3 * 1024 * 1024 + 17;
	char *data = malloc(n);
	struct source *src;
	struct buf b = BUF_INIT;

	(void)state;
	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)('a' + i % 26);
	put("proc/big", data, n);
	assert_int_equal(source_open(tmpdir, &src), 0);
	assert_int_equal(source_read(src, "proc/big", &b), 0);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, data, n);
	assert_int_equal(b.data[n], '\0');
	buf_free(&b);
	source_free(src);
	free(data);
}

static void symlinks_stay_inside_root(void **state)
{
	struct source *src;
	struct buf b = BUF_INIT;
	char path[512];

	(void)state;
	/* An absolute symlink resolves inside the root, so /etc/hostname
	 * means ROOT/etc/hostname, which does not exist. */
	snprintf(path, sizeof(path), "%s/proc/abs", tmpdir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	snprintf(path, sizeof(path), "%s/proc/rel", tmpdir);
	assert_int_equal(symlink("../../../../../../../../etc/hostname", path), 0);
	assert_int_equal(source_open(tmpdir, &src), 0);
	assert_int_equal(source_read(src, "proc/abs", &b), -ENOENT);
	assert_int_equal(source_read(src, "proc/rel", &b), -ENOENT);
	/* A symlink within the root works. */
	put("proc/target", "x\n", 2);
	snprintf(path, sizeof(path), "%s/proc/inside", tmpdir);
	assert_int_equal(symlink("target", path), 0);
	assert_int_equal(source_read(src, "proc/inside", &b), 0);
	assert_string_equal(b.data, "x\n");
	buf_free(&b);
	source_free(src);
}

static void listing_is_sorted(void **state)
{
	struct source *src;
	char **names;
	size_t n;

	(void)state;
	put("proc/zz", "", 0);
	put("proc/aa", "", 0);
	assert_int_equal(source_open(tmpdir, &src), 0);
	assert_int_equal(source_list(src, "proc", &names, &n), 0);
	assert_true(n >= 2);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(names[i - 1], names[i]) < 0);
	assert_null(names[n]);
	source_names_free(names);
	assert_int_equal(source_list(src, "nodir", &names, &n), -ENOENT);
	source_free(src);
}

static void missing_root(void **state)
{
	struct source *src = NULL;

	(void)state;
	assert_int_equal(source_open("/nonexistent-fragscope-root", &src), -ENOENT);
	assert_null(src);
}

/* ---- stream.h ---- */

/* Read everything from fd through a stream; the bytes, in *len. */
static char *stream_all(int fd, size_t *len, int *err)
{
	struct stream *st;
	const char *d;
	size_t n, cap = 1 << 20, got = 0;
	char *all = malloc(cap);
	int r;

	assert_non_null(all);
	assert_int_equal(stream_open(fd, &st), 0);
	while ((r = stream_next(st, &d, &n)) > 0) {
		assert_true(n > 0 && n <= STREAM_CHUNK);
		while (got + n > cap) {
			cap *= 2;
			all = realloc(all, cap);
			assert_non_null(all);
		}
		memcpy(all + got, d, n);
		got += n;
	}
	*err = r;
	/* The end stays the end. */
	assert_int_equal(stream_next(st, &d, &n), r);
	stream_close(st);
	*len = got;
	return all;
}

static void fill_pattern(char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (char)('a' + (i * 7 + i / 4093) % 26);
}

static void stream_reads_files(void **state)
{
	static const size_t sizes[] = { 0, 1, 4095, 32 * 1024, 32 * 1024 + 1, STREAM_CHUNK,
					STREAM_CHUNK * STREAM_BUFS + 17, 5 * 1024 * 1024 + 3 };
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/streamed", tmpdir);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k], got;
		char *want = malloc(n + 1), *have;
		int fd, err;

		assert_non_null(want);
		fill_pattern(want, n);
		put("streamed", want, n);
		fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		have = stream_all(fd, &got, &err);
		assert_int_equal(err, 0);
		assert_int_equal(got, n);
		assert_memory_equal(have, want, n);
		free(have);
		free(want);
	}
	/* A directory: read() fails with EISDIR, reported after the data (none). */
	{
		size_t got;
		int err, fd = open(tmpdir, O_RDONLY | O_DIRECTORY);
		char *have;

		assert_true(fd >= 0);
		have = stream_all(fd, &got, &err);
		assert_int_equal(err, -EISDIR);
		assert_int_equal(got, 0);
		free(have);
	}
}

/* A writer that trickles data into a pipe: the reader thread waits on read(). */
struct trickle {
	int fd;
	size_t n;
};

static void *trickle_writer(void *arg)
{
	struct trickle *t = arg;
	char b[3001];

	for (size_t off = 0; off < t->n;) {
		size_t k = t->n - off < sizeof(b) ? t->n - off : sizeof(b);

		for (size_t i = 0; i < k; i++)
			b[i] = (char)('0' + (off + i) % 10);
		if (write(t->fd, b, k) != (ssize_t)k)
			break;
		off += k;
		if (off % 30010 == 0)
			usleep(200);
	}
	close(t->fd);
	return NULL;
}

static void stream_reads_pipe(void **state)
{
	struct trickle t;
	pthread_t th;
	int p[2], err;
	size_t got;
	char *have;

	(void)state;
	assert_int_equal(pipe(p), 0);
	t.fd = p[1];
	t.n = 3 * 1024 * 1024 + 5;
	assert_int_equal(pthread_create(&th, NULL, trickle_writer, &t), 0);
	have = stream_all(p[0], &got, &err);
	pthread_join(th, NULL);
	assert_int_equal(err, 0);
	assert_int_equal(got, t.n);
	for (size_t i = 0; i < got; i++)
		if (have[i] != (char)('0' + i % 10))
			fail_msg("byte %zu differs", i);
	free(have);
}

/* Closing before the end stops the reader thread, which may be mid-file
 * or blocked in read() on a pipe that still has a writer. */
static void stream_stops_early(void **state)
{
	char path[512];
	size_t n = 4 * 1024 * 1024;
	char *want = malloc(n);
	struct stream *st;
	const char *d;
	size_t len;
	int fd, p[2];

	(void)state;
	assert_non_null(want);
	fill_pattern(want, n);
	put("streamed", want, n);
	snprintf(path, sizeof(path), "%s/streamed", tmpdir);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(stream_open(fd, &st), 0);
	assert_int_equal(stream_next(st, &d, &len), 1);
	assert_memory_equal(d, want, len);
	stream_close(st);
	free(want);
	want = NULL;

	/* A pipe that still has a writer: the reader thread has read what
	 * there was and waits in read(); closing the writer wakes it. */
	{
		struct trickle t;
		pthread_t th;

		assert_int_equal(pipe(p), 0);
		t.fd = dup(p[1]);
		t.n = STREAM_CHUNK + 4096;
		assert_int_equal(pthread_create(&th, NULL, trickle_writer, &t), 0);
		assert_int_equal(stream_open(p[0], &st), 0);
		assert_int_equal(stream_next(st, &d, &len), 1);
		assert_int_equal(len, STREAM_CHUNK);
		pthread_join(th, NULL);
		close(p[1]);
		stream_close(st);
	}
	stream_close(NULL);
}

/* One member of a hand-built archive, appended to f. */
static void tar_put(FILE *f, const char *path, enum tar_type type, const char *data, const char *link)
{
	char h[TAR_BLOCK], pad[TAR_BLOCK] = { 0 };
	size_t n = data ? strlen(data) : 0;

	assert_int_equal(tar_header(h, path, type, 0644, n, link, 0), 0);
	assert_int_equal(fwrite(h, 1, sizeof(h), f), sizeof(h));
	if (n) {
		assert_int_equal(fwrite(data, 1, n, f), n);
		assert_int_equal(fwrite(pad, 1, (TAR_BLOCK - n % TAR_BLOCK) % TAR_BLOCK, f),
				 (TAR_BLOCK - n % TAR_BLOCK) % TAR_BLOCK);
	}
}

/* A tar archive as a root: every access path of source.h serves it. */
static void tar_root(void **state)
{
	char path[512], target[64], zero[2 * TAR_BLOCK] = { 0 };
	struct source_entry *e = NULL;
	struct buf b = BUF_INIT;
	struct source *src;
	struct stat st;
	char **names = NULL;
	size_t n = 0;
	int dfd, fd;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/snap.tar", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	tar_put(f, "proc/meminfo", TAR_REG, "MemTotal: 1 kB\n", NULL);
	tar_put(f, "sys/kernel/slab/:A-0000192/order", TAR_REG, "1\n", NULL);
	tar_put(f, "sys/kernel/slab/cred", TAR_SYMLINK, NULL, ":A-0000192");
	tar_put(f, "sys/kernel/slab/out", TAR_SYMLINK, NULL, "/proc");
	assert_int_equal(fwrite(zero, 1, sizeof(zero), f), sizeof(zero));
	fclose(f);

	assert_int_equal(source_open(path, &src), 0);
	assert_true(source_is_tar(src));
	assert_false(source_is_live(src));
	assert_int_equal(source_read(src, "/proc/meminfo", &b), 0);
	assert_string_equal(b.data, "MemTotal: 1 kB\n");
	assert_int_equal(source_read(src, "proc", &b), -EISDIR);
	assert_int_equal(source_read(src, "proc/nope", &b), -ENOENT);
	/* Symlinks in the path are followed inside the archive. */
	assert_int_equal(source_read(src, "sys/kernel/slab/cred/order", &b), 0);
	assert_string_equal(b.data, "1\n");
	assert_int_equal(source_read(src, "sys/kernel/slab/out/meminfo", &b), 0);
	assert_int_equal(source_lstat(src, "sys/kernel/slab/cred", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(source_readlink(src, "sys/kernel/slab/cred", target, sizeof(target)), 10);
	assert_string_equal(target, ":A-0000192");
	assert_int_equal(source_list(src, "sys/kernel/slab", &names, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], ":A-0000192");
	assert_string_equal(names[1], "cred");
	assert_string_equal(names[2], "out");
	source_names_free(names);
	/* A file descriptor for a file: seekable, with the member's bytes. */
	fd = source_openat(src, "proc/meminfo", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, target, 8, 0), 8);
	assert_memory_equal(target, "MemTotal", 8);
	close(fd);
	assert_int_equal(source_openat(src, "proc/meminfo", O_WRONLY), -EROFS);
	/* Directory handles, many times over: opened, used, closed. */
	for (int i = 0; i < 2000; i++) {
		dfd = source_openat(src, "sys/kernel/slab", O_RDONLY | O_DIRECTORY);
		assert_true(dfd >= 0);
		assert_int_equal(source_read_at(src, dfd, ":A-0000192/order", &b), 0);
		assert_string_equal(b.data, "1\n");
		close(dfd);
	}
	dfd = source_openat(src, "sys/kernel/slab", O_RDONLY | O_DIRECTORY);
	assert_int_equal(source_list_at(src, dfd, &e, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(e[0].type, DT_DIR);
	assert_int_equal(e[1].type, DT_LNK);
	source_entries_free(e, n);
	assert_int_equal(source_readlink_at(src, dfd, "cred", target, sizeof(target)), 10);
	/* Beneath the directory: an absolute link, or '..', may not leave it. */
	assert_int_equal(source_openat_at(src, dfd, "out", O_RDONLY | O_DIRECTORY), -EXDEV);
	assert_int_equal(source_openat_at(src, dfd, "../slab", O_RDONLY | O_DIRECTORY), -EINVAL);
	fd = source_openat_at(src, dfd, "cred", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(source_read_at(src, fd, "order", &b), 0);
	close(fd);
	close(dfd);
	/* An fd the source did not hand out is refused. */
	assert_int_equal(source_read_at(src, STDIN_FILENO, "order", &b), -EBADF);
	buf_free(&b);
	source_free(src);

	/* A truncated archive: -EBADMSG and a reason naming the member. */
	{
		char why[256] = "";

		assert_int_equal(truncate(path, TAR_BLOCK + 4), 0);
		assert_int_equal(source_open_why(path, &src, why, sizeof(why)), -EBADMSG);
		assert_non_null(strstr(why, "proc/meminfo"));
		assert_non_null(strstr(why, "truncated"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_under_root),
		cmocka_unit_test(display_paths),
		cmocka_unit_test(large_file_grows),
		cmocka_unit_test(symlinks_stay_inside_root),
		cmocka_unit_test(listing_is_sorted),
		cmocka_unit_test(missing_root),
		cmocka_unit_test(tar_root),
		cmocka_unit_test(stream_reads_files),
		cmocka_unit_test(stream_reads_pipe),
		cmocka_unit_test(stream_stops_early),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

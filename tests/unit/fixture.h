/*
 * fixture.h - reading test inputs, shared by the unit tests.
 *
 * slurp() reads a whole file into a malloc'd buffer that is NUL-terminated
 * one byte past len (parsers are given len and must not read the NUL;
 * ASan catches reads beyond it).  fixture_read() reads FIXTURES/<rel> and
 * fails the test when it cannot.
 */
#ifndef FRAGSCOPE_TEST_FIXTURE_H
#define FRAGSCOPE_TEST_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((unused))
static char *slurp(const char *path, size_t *ret_len)
{
	size_t len = 0, cap = 65536;
	char *buf, *nb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	assert_non_null(buf);
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			cap *= 2;
			nb = realloc(buf, cap);
			assert_non_null(nb);
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*ret_len = len;
	return buf;
}

__attribute__((unused))
static char *fixture_read(const char *rel, size_t *ret_len)
{
	char path[4096];
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, rel);
	buf = slurp(path, ret_len);
	if (!buf)
		fail_msg("cannot read fixture '%s'", path);
	return buf;
}

#endif

/*
 * source.c - root-relative file access (see source.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "source.h"

#define DISPLAY_RING 64

struct source {
	char *root;       /* as given, without trailing slashes (except "/") */
	int rootfd;       /* -1 when live */
	bool live;
	bool no_openat2;  /* kernel lacks openat2: fall back to openat */
	char display[DISPLAY_RING][PATH_MAX];
	unsigned next_display;
};

int source_open(const char *root, struct source **ret)
{
	struct source *s;
	size_t n;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->rootfd = -1;
	if (!root || strcmp(root, "/") == 0) {
		s->live = true;
		s->root = strdup("/");
	} else {
		s->root = strdup(root);
		if (s->root) {
			n = strlen(s->root);
			while (n > 1 && s->root[n - 1] == '/')
				s->root[--n] = '\0';
		}
		if (s->root) {
			s->rootfd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (s->rootfd < 0) {
				int r = -errno;

				free(s->root);
				free(s);
				return r;
			}
		}
	}
	if (!s->root) {
		if (s->rootfd >= 0)
			close(s->rootfd);
		free(s);
		return -ENOMEM;
	}
	*ret = s;
	return 0;
}

void source_free(struct source *src)
{
	if (!src)
		return;
	if (src->rootfd >= 0)
		close(src->rootfd);
	free(src->root);
	free(src);
}

bool source_is_live(const struct source *src)
{
	return src->live;
}

const char *source_root(const struct source *src)
{
	return src->root;
}

const char *source_display(struct source *src, const char *relpath)
{
	char *out = src->display[src->next_display++ % DISPLAY_RING];

	while (*relpath == '/')
		relpath++;
	if (src->live)
		snprintf(out, PATH_MAX, "/%s", relpath);
	else
		snprintf(out, PATH_MAX, "%s/%s", src->root, relpath);
	return out;
}

int source_openat(struct source *src, const char *relpath, int flags)
{
	int fd;

	while (*relpath == '/')
		relpath++;
	flags |= O_CLOEXEC;
	if (src->live) {
		char path[PATH_MAX];

		if ((size_t)snprintf(path, sizeof(path), "/%s", relpath) >= sizeof(path))
			return -ENAMETOOLONG;
		do
			fd = open(path, flags);
		while (fd < 0 && errno == EINTR);
		return fd < 0 ? -errno : fd;
	}
	if (!src->no_openat2) {
		struct open_how how = {
			.flags = (uint64_t)flags,
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
		};

		do
			fd = (int)syscall(SYS_openat2, src->rootfd, relpath, &how, sizeof(how));
		while (fd < 0 && errno == EINTR);
		if (fd >= 0)
			return fd;
		if (errno != ENOSYS)
			return -errno;
		src->no_openat2 = true;
	}
	do
		fd = openat(src->rootfd, relpath, flags);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

int source_read(struct source *src, const char *relpath, struct buf *out)
{
	int fd, r = 0;

	buf_reset(out);
	fd = source_openat(src, relpath, O_RDONLY);
	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t n;

		r = buf_reserve(out, 65536);
		if (r < 0)
			break;
		n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	if (out->data)
		out->data[out->len] = '\0';
	close(fd);
	return r;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void source_names_free(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}

int source_list(struct source *src, const char *reldir, char ***ret, size_t *ret_n)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	fd = source_openat(src, reldir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		int r = -errno;

		close(fd);
		return r;
	}
	while ((errno = 0, de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n + 1 >= cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **p = realloc(names, nc * sizeof(*p));

			if (!p)
				goto nomem;
			names = p;
			cap = nc;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto nomem;
		names[++n] = NULL;
	}
	closedir(d);
	if (!names) {
		names = calloc(1, sizeof(*names));
		if (!names)
			return -ENOMEM;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	*ret = names;
	if (ret_n)
		*ret_n = n;
	return 0;
nomem:
	closedir(d);
	if (names) {
		names[n] = NULL;
		source_names_free(names);
	}
	return -ENOMEM;
}

/* Open the parent directory of relpath and return the last component. */
static int open_parent(struct source *src, const char *relpath, const char **ret_base)
{
	char parent[PATH_MAX];
	const char *slash;
	size_t n;

	while (*relpath == '/')
		relpath++;
	slash = strrchr(relpath, '/');
	if (!slash) {
		*ret_base = relpath;
		return src->live ? open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC) :
				   fcntl(src->rootfd, F_DUPFD_CLOEXEC, 3);
	}
	n = (size_t)(slash - relpath);
	if (n >= sizeof(parent))
		return -ENAMETOOLONG;
	memcpy(parent, relpath, n);
	parent[n] = '\0';
	*ret_base = slash + 1;
	return source_openat(src, parent, O_RDONLY | O_DIRECTORY);
}

int source_lstat(struct source *src, const char *relpath, struct stat *st)
{
	const char *base;
	int dfd = open_parent(src, relpath, &base), r;

	if (dfd < 0)
		return dfd < -1 ? dfd : -errno;
	r = fstatat(dfd, base, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	close(dfd);
	return r;
}

int source_readlink(struct source *src, const char *relpath, char *buf, size_t n)
{
	const char *base;
	int dfd = open_parent(src, relpath, &base);
	ssize_t r;

	if (dfd < 0)
		return dfd < -1 ? dfd : -errno;
	r = readlinkat(dfd, base, buf, n);
	if (r < 0)
		r = -errno;
	else if ((size_t)r >= n)
		r = -ENAMETOOLONG;
	else
		buf[r] = '\0';
	close(dfd);
	return (int)r;
}

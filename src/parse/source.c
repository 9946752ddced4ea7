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
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "source.h"
#include "tar.h"

#define DISPLAY_RING 64

struct source {
	char *root;       /* as given, without trailing slashes (except "/") */
	int rootfd;       /* -1 when live */
	bool live;
	bool no_openat2;  /* kernel lacks openat2: fall back to openat */
	char display[DISPLAY_RING][PATH_MAX];
	unsigned next_display;
	/* A tar archive root (see "tar archives" below). */
	bool is_tar;
	char *tardata;
	struct tar tar;
	struct tar_dirfd *dirfds;
	size_t ndirfds, capdirfds;
};

static int tar_load(struct source *s, char *why, size_t whylen);

/* ---- tar archives ------------------------------------------------------
 *
 * A root that is a regular file is a tar archive (snapshot --tar).  It is
 * read whole into memory and indexed once (tar.h); every read is then
 * served from that copy, so nothing is written anywhere and a member name
 * cannot reach outside the archive.  Paths resolve as under a directory
 * root: symlinks inside the archive are followed within it.
 *
 * Callers that want a file descriptor get one: a regular member is copied
 * into an anonymous memfd (seekable, so pread works), and a directory
 * opened with O_DIRECTORY becomes an empty memfd whose inode number this
 * source remembers with the directory's path, so that the *_at()
 * functions given that fd know which directory it stands for.
 */
struct tar_dirfd {
	ino_t ino;
	int fd;              /* as handed out; the caller closes it */
	char *path;
};

/* Forget the handles whose fd was closed (or now names another file), so
 * that a long slab --watch on an archive does not grow the table. */
static void tar_dirfd_sweep(struct source *s)
{
	size_t keep = 0;

	for (size_t i = 0; i < s->ndirfds; i++) {
		struct stat st;

		if (fstat(s->dirfds[i].fd, &st) == 0 && st.st_ino == s->dirfds[i].ino) {
			s->dirfds[keep++] = s->dirfds[i];
			continue;
		}
		free(s->dirfds[i].path);
	}
	s->ndirfds = keep;
}

static int tar_load(struct source *s, char *why, size_t whylen)
{
	struct tar_error err;
	struct stat st;
	size_t len = 0;
	int fd, r = 0;

	s->is_tar = true;
	fd = open(s->root, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_size < 0 || (uint64_t)st.st_size > SIZE_MAX - 1) {
		r = -EFBIG;
		goto out;
	}
	s->tardata = malloc((size_t)st.st_size + 1);
	if (!s->tardata) {
		r = -ENOMEM;
		goto out;
	}
	/* One call instead of a page fault per page read into. */
	mem_prefault(s->tardata, (size_t)st.st_size);
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, s->tardata + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0)
			break;              /* shrank while read: the index says "truncated" */
		len += (size_t)n;
	}
	r = tar_index(s->tardata, len, &s->tar, &err);
	if (r == -EBADMSG && why) {
		if (err.member[0])
			snprintf(why, whylen, "member '%s' (header at byte %llu): %s", err.member,
				 (unsigned long long)err.offset, err.what);
		else
			snprintf(why, whylen, "at byte %llu: %s", (unsigned long long)err.offset, err.what);
	}
out:
	close(fd);
	return r;
}

static const char *tar_dirpath(struct source *s, int dirfd)
{
	struct stat st;

	if (fstat(dirfd, &st) < 0)
		return NULL;
	for (size_t i = s->ndirfds; i-- > 0;)
		if (s->dirfds[i].ino == st.st_ino)
			return s->dirfds[i].path;
	return NULL;
}

static int tar_openat(struct source *s, const char *dir, const char *rel, int flags)
{
	const struct tar_member *m;
	struct stat st;
	int fd, r;

	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
		return -EROFS;
	r = tar_resolve(&s->tar, dir, rel, !(flags & O_NOFOLLOW), &m);
	if (r < 0)
		return r;
	if (m->type == TAR_SYMLINK)
		return -ELOOP;
	if ((flags & O_DIRECTORY) && m->type != TAR_DIR)
		return -ENOTDIR;
	if (m->type == TAR_DIR && !(flags & O_DIRECTORY))
		return -EISDIR;
	fd = memfd_create(m->type == TAR_DIR ? "fragscope-tar-dir" : "fragscope-tar", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (m->type == TAR_DIR) {
		char *path = strdup(m->path);

		if (!path || fstat(fd, &st) < 0) {
			free(path);
			close(fd);
			return -ENOMEM;
		}
		tar_dirfd_sweep(s);
		if (s->ndirfds == s->capdirfds) {
			size_t cap = s->capdirfds ? s->capdirfds * 2 : 16;
			struct tar_dirfd *p = realloc(s->dirfds, cap * sizeof(*p));

			if (!p) {
				free(path);
				close(fd);
				return -ENOMEM;
			}
			s->dirfds = p;
			s->capdirfds = cap;
		}
		s->dirfds[s->ndirfds].ino = st.st_ino;
		s->dirfds[s->ndirfds].fd = fd;
		s->dirfds[s->ndirfds++].path = path;
		return fd;
	}
	for (uint64_t done = 0; done < m->size;) {
		ssize_t n = write(fd, m->data + done, (size_t)(m->size - done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			close(fd);
			return r;
		}
		done += (uint64_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

static int tar_read(struct source *s, const char *dir, const char *rel, struct buf *out)
{
	const struct tar_member *m;
	int r;

	buf_reset(out);
	r = tar_resolve(&s->tar, dir, rel, 1, &m);
	if (r < 0)
		return r;
	if (m->type == TAR_DIR)
		return -EISDIR;
	if (m->type != TAR_REG)
		return -ELOOP;
	r = buf_reserve(out, (size_t)m->size);
	if (r < 0)
		return r;
	memcpy(out->data, m->data, (size_t)m->size);
	out->len = (size_t)m->size;
	out->data[out->len] = '\0';
	return 0;
}

static int tar_lstat(struct source *s, const char *dir, const char *rel, struct stat *st)
{
	const struct tar_member *m;
	int r = tar_resolve(&s->tar, dir, rel, 0, &m);

	if (r < 0)
		return r;
	memset(st, 0, sizeof(*st));
	st->st_mode = (m->type == TAR_DIR ? S_IFDIR : m->type == TAR_SYMLINK ? S_IFLNK : S_IFREG) |
		      (mode_t)(m->mode & 07777);
	st->st_nlink = 1;
	st->st_size = (off_t)(m->type == TAR_SYMLINK ? strlen(m->link) : m->size);
	return 0;
}

static int tar_readlink(struct source *s, const char *dir, const char *rel, char *buf, size_t n)
{
	const struct tar_member *m;
	int r = tar_resolve(&s->tar, dir, rel, 0, &m);
	size_t len;

	if (r < 0)
		return r;
	if (m->type != TAR_SYMLINK)
		return -EINVAL;
	len = strlen(m->link);
	if (len >= n)
		return -ENAMETOOLONG;
	memcpy(buf, m->link, len + 1);
	return (int)len;
}

struct tar_listing {
	struct source_entry *e;
	size_t n, cap;
};

static int tar_collect(const struct tar_member *child, const char *name, void *arg)
{
	struct tar_listing *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct source_entry *p = realloc(l->e, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->e = p;
		l->cap = cap;
	}
	l->e[l->n].name = strdup(name);
	if (!l->e[l->n].name)
		return -ENOMEM;
	l->e[l->n++].type = child->type == TAR_DIR ? DT_DIR : child->type == TAR_SYMLINK ? DT_LNK : DT_REG;
	return 0;
}

/* Children of dir/rel, sorted by name (tar_children's order). */
static int tar_list_entries_rel(struct source *s, const char *dir, const char *rel,
				struct source_entry **ret, size_t *ret_n)
{
	struct tar_listing l = { 0 };
	const struct tar_member *m;
	int r = tar_resolve(&s->tar, dir, rel, 1, &m);

	if (r < 0)
		return r;
	if (m->type != TAR_DIR)
		return -ENOTDIR;
	r = tar_children(&s->tar, m, tar_collect, &l);
	if (r < 0) {
		source_entries_free(l.e, l.n);
		return r;
	}
	*ret = l.e;
	*ret_n = l.n;
	return 0;
}

static int tar_list_entries(struct source *s, const char *dir, struct source_entry **ret, size_t *ret_n)
{
	return tar_list_entries_rel(s, dir, ".", ret, ret_n);
}

static int tar_list_names(struct source *s, const char *reldir, char ***ret, size_t *ret_n)
{
	struct source_entry *e = NULL;
	size_t n = 0;
	char **names;
	int r = tar_list_entries_rel(s, NULL, reldir, &e, &n);

	if (r < 0)
		return r;
	names = calloc(n + 1, sizeof(*names));
	if (!names) {
		source_entries_free(e, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		names[i] = e[i].name;
		e[i].name = NULL;
	}
	source_entries_free(e, n);
	*ret = names;
	if (ret_n)
		*ret_n = n;
	return 0;
}

int source_open(const char *root, struct source **ret)
{
	return source_open_why(root, ret, NULL, 0);
}

int source_open_why(const char *root, struct source **ret, char *why, size_t whylen)
{
	struct source *s;
	struct stat st;
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
		if (s->root && stat(s->root, &st) == 0 && S_ISREG(st.st_mode)) {
			int r = tar_load(s, why, whylen);

			if (r < 0) {
				source_free(s);
				return r;
			}
			*ret = s;
			return 0;
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
	tar_free(&src->tar);
	free(src->tardata);
	for (size_t i = 0; i < src->ndirfds; i++)
		free(src->dirfds[i].path);
	free(src->dirfds);
	free(src->root);
	free(src);
}

bool source_is_tar(const struct source *src)
{
	return src->is_tar;
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
	if (src->is_tar)
		return tar_openat(src, NULL, relpath, flags);
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
	if (src->is_tar)
		return tar_read(src, NULL, relpath, out);
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

int source_pread_all(int fd, struct buf *out)
{
	off_t off = 0;
	int r = 0;

	buf_reset(out);
	for (;;) {
		ssize_t n;

		r = buf_reserve(out, 65536);
		if (r < 0)
			break;
		n = pread(fd, out->data + out->len, out->cap - out->len - 1, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		off += n;
	}
	if (out->data)
		out->data[out->len] = '\0';
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

	if (src->is_tar)
		return tar_list_names(src, reldir, ret, ret_n);
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
	int dfd, r;

	if (src->is_tar)
		return tar_lstat(src, NULL, relpath, st);
	dfd = open_parent(src, relpath, &base);
	if (dfd < 0)
		return dfd < -1 ? dfd : -errno;
	r = fstatat(dfd, base, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	close(dfd);
	return r;
}

int source_readlink(struct source *src, const char *relpath, char *buf, size_t n)
{
	const char *base;
	int dfd;
	ssize_t r;

	if (src->is_tar)
		return tar_readlink(src, NULL, relpath, buf, n);
	dfd = open_parent(src, relpath, &base);
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

/* ---- directory-relative access ---------------------------------------- */

/* A relative path of plain components: no leading '/', no empty, "." or ".." one. */
static bool plain_relative(const char *name)
{
	const char *p = name;

	for (;;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!p[n])
			return true;
		p += n + 1;
	}
}

int source_openat_at(struct source *src, int dirfd, const char *name, int flags)
{
	int fd;

	if (!plain_relative(name))
		return -EINVAL;
	if (src->is_tar) {
		const char *dir = tar_dirpath(src, dirfd);

		return dir ? tar_openat(src, dir, name, flags) : -EBADF;
	}
	flags |= O_CLOEXEC;
	if (!src->live && !src->no_openat2) {
		struct open_how how = {
			.flags = (uint64_t)flags,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
		};

		do
			fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
		while (fd < 0 && errno == EINTR);
		if (fd >= 0)
			return fd;
		if (errno != ENOSYS)
			return -errno;
		src->no_openat2 = true;
	}
	if (!src->live)
		flags |= O_NOFOLLOW;
	do
		fd = openat(dirfd, name, flags);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

/*
 * Read fd into out (reset first) until EOF or a short read; closes fd.
 * A short read ends the file for what source_read_at() is for: a sysfs
 * attribute prints its whole value in one show() call, returned by the
 * first read(), and a regular file returns less than asked only at its
 * end.  Not for seq_files that emit record by record (/proc/slabinfo):
 * those go through source_read().  Saves the read() that returns 0, a
 * fifth of the syscalls of reading many one-line files.
 */
static int read_fd(int fd, struct buf *out)
{
	int r = 0;

	for (;;) {
		size_t want;
		ssize_t n;

		r = buf_reserve(out, 4096);
		if (r < 0)
			break;
		want = out->cap - out->len - 1;
		n = read(fd, out->data + out->len, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		out->len += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	if (out->data)
		out->data[out->len] = '\0';
	close(fd);
	return r;
}

int source_read_at(struct source *src, int dirfd, const char *name, struct buf *out)
{
	int fd;

	buf_reset(out);
	if (src->is_tar) {
		const char *dir = tar_dirpath(src, dirfd);

		if (!plain_relative(name))
			return -EINVAL;
		return dir ? tar_read(src, dir, name, out) : -EBADF;
	}
	fd = source_openat_at(src, dirfd, name, O_RDONLY);
	if (fd < 0)
		return fd;
	return read_fd(fd, out);
}

int source_readlink_at(struct source *src, int dirfd, const char *name, char *buf, size_t n)
{
	ssize_t r;

	if (!plain_relative(name))
		return -EINVAL;
	if (src->is_tar) {
		const char *dir = tar_dirpath(src, dirfd);

		return dir ? tar_readlink(src, dir, name, buf, n) : -EBADF;
	}
	r = readlinkat(dirfd, name, buf, n);
	if (r < 0)
		return -errno;
	if ((size_t)r >= n)
		return -ENAMETOOLONG;
	buf[r] = '\0';
	return (int)r;
}

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const struct source_entry *)a)->name, ((const struct source_entry *)b)->name);
}

void source_entries_free(struct source_entry *e, size_t n)
{
	if (!e)
		return;
	for (size_t i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

int source_list_at(struct source *src, int dirfd, struct source_entry **ret, size_t *ret_n)
{
	struct source_entry *e = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd, r = 0;
	DIR *d;

	if (src->is_tar) {
		const char *dir = tar_dirpath(src, dirfd);

		return dir ? tar_list_entries(src, dir, ret, ret_n) : -EBADF;
	}
	/* fdopendir() owns its fd: give it a duplicate, rewound, so dirfd
	 * stays open and a second listing of it sees every entry again. */
	fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	rewinddir(d);
	while ((errno = 0, de = readdir(d))) {
		unsigned char type = de->d_type;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (type == DT_UNKNOWN) {
			struct stat st;

			if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK :
				       S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct source_entry *p = realloc(e, nc * sizeof(*p));

			if (!p)
				goto nomem;
			e = p;
			cap = nc;
		}
		e[n].name = strdup(de->d_name);
		if (!e[n].name)
			goto nomem;
		e[n++].type = type;
	}
	if (errno)
		r = -errno;
	closedir(d);
	if (r < 0) {
		source_entries_free(e, n);
		return r;
	}
	if (n)
		qsort(e, n, sizeof(*e), cmp_entries);
	*ret = e;
	*ret_n = n;
	return 0;
nomem:
	closedir(d);
	source_entries_free(e, n);
	return -ENOMEM;
}

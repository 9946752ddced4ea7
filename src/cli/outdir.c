/*
 * outdir.c - a directory of files written atomically (see outdir.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outdir.h"

int outdir_mkparents(int dirfd, const char *rel, const char **ret_base)
{
	char tmp[PATH_MAX];
	char *p, *slash;
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);

	if (fd < 0)
		return -errno;
	if (snprintf(tmp, sizeof(tmp), "%s", rel) >= (int)sizeof(tmp)) {
		close(fd);
		return -ENAMETOOLONG;
	}
	p = tmp;
	while ((slash = strchr(p, '/'))) {
		int nfd;

		*slash = '\0';
		if (mkdirat(fd, p, 0755) < 0 && errno != EEXIST) {
			int r = -errno;

			close(fd);
			return r;
		}
		nfd = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (nfd < 0)
			return -errno;
		fd = nfd;
		p = slash + 1;
	}
	*ret_base = rel + (p - tmp);
	return fd;
}

int outdir_write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Remove a tree below dirfd/name without following symlinks. */
static int rm_tree(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return unlinkat(dirfd, name, 0) < 0 ? -errno : 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rm_tree(fd, de->d_name);
	closedir(d);
	return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

static bool dir_empty(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *de;
	bool empty = true;
	DIR *d;

	if (fd < 0)
		return false;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return false;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

int outdir_check(const char *target, bool force, const char *what)
{
	struct stat st;

	if (lstat(target, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			cli_error("refusing to write %s to '%s': it is a symbolic link", what, target);
			return EXIT_OUTPUT;
		}
		if (!S_ISDIR(st.st_mode)) {
			cli_error("refusing to write %s to '%s': not a directory", what, target);
			return EXIT_OUTPUT;
		}
		if (!force && !dir_empty(target)) {
			cli_error("refusing to write %s to '%s': directory is not empty (use --force to replace it)",
				  what, target);
			return EXIT_OUTPUT;
		}
	} else if (errno != ENOENT) {
		cli_error("cannot write %s to '%s': %s", what, target, strerror(errno));
		return errno == EACCES ? EXIT_PERM : EXIT_OUTPUT;
	}
	return EXIT_OK;
}

int outdir_begin(struct outdir *d, const char *target)
{
	char parent[PATH_MAX], base[PATH_MAX];

	d->dirfd = -1;
	snprintf(d->target, sizeof(d->target), "%s", target);
	snprintf(parent, sizeof(parent), "%s", target);
	snprintf(base, sizeof(base), "%s", target);
	snprintf(d->tmp, sizeof(d->tmp), "%s/.%s.tmp-XXXXXX", dirname(parent), basename(base));
	if (!mkdtemp(d->tmp)) {
		int e = errno;

		cli_error("cannot create a temporary directory beside '%s': %s", target, strerror(e));
		return e == EACCES ? EXIT_PERM : EXIT_OUTPUT;
	}
	d->dirfd = open(d->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->dirfd < 0) {
		cli_error("cannot open '%s': %s", d->tmp, strerror(errno));
		rmdir(d->tmp);
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}

int outdir_put(struct outdir *d, const char *rel, const char *data, size_t len)
{
	const char *base;
	int dfd = outdir_mkparents(d->dirfd, rel, &base), fd, r;

	if (dfd < 0)
		return dfd;
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	close(dfd);
	if (fd < 0)
		return -errno;
	r = outdir_write_all(fd, data, len);
	if (close(fd) < 0 && !r)
		r = -errno;
	return r;
}

void outdir_abort(struct outdir *d)
{
	if (d->dirfd >= 0)
		close(d->dirfd);
	d->dirfd = -1;
	/* tmp may be relative or absolute; rm_tree takes it as is. */
	rm_tree(AT_FDCWD, d->tmp);
}

int outdir_commit(struct outdir *d)
{
	struct stat st;

	if (syncfs(d->dirfd) < 0) {
		cli_error("cannot sync '%s': %s", d->tmp, strerror(errno));
		outdir_abort(d);
		return EXIT_OUTPUT;
	}
	close(d->dirfd);
	d->dirfd = -1;
	if (lstat(d->target, &st) == 0 && !dir_empty(d->target)) {
		char trash[PATH_MAX];
		int pfd;

		if (renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->target, RENAME_EXCHANGE) < 0) {
			cli_error("cannot replace '%s': %s", d->target, strerror(errno));
			outdir_abort(d);
			return EXIT_OUTPUT;
		}
		/* The old contents now sit at tmp: remove them. */
		snprintf(trash, sizeof(trash), "%s", d->tmp);
		pfd = open(dirname(trash), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pfd >= 0) {
			snprintf(trash, sizeof(trash), "%s", d->tmp);
			rm_tree(pfd, basename(trash));
			close(pfd);
		}
	} else if (rename(d->tmp, d->target) < 0) {
		cli_error("cannot rename '%s' to '%s': %s", d->tmp, d->target, strerror(errno));
		outdir_abort(d);
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}

int outfile_begin(struct outfile *f, const char *target, unsigned flags, const char *what)
{
	char parent[PATH_MAX], base[PATH_MAX];
	struct stat st;
	mode_t um;

	f->fd = -1;
	if (!*target) {
		cli_error("cannot write %s to '': no file name", what);
		return EXIT_OUTPUT;
	}
	if (lstat(target, &st) == 0) {
		if (S_ISLNK(st.st_mode) && !(flags & OUTFILE_REPLACE_LINK)) {
			cli_error("refusing to write %s to '%s': it is a symbolic link", what, target);
			return EXIT_OUTPUT;
		}
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
			cli_error("refusing to write %s to '%s': %s", what, target,
				  S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
			return EXIT_OUTPUT;
		}
		if (!(flags & OUTFILE_FORCE)) {
			cli_error("refusing to write %s to '%s': file exists (use --force to replace it)",
				  what, target);
			return EXIT_OUTPUT;
		}
	} else if (errno != ENOENT) {
		cli_error("cannot write %s to '%s': %s", what, target, strerror(errno));
		return errno == EACCES ? EXIT_PERM : EXIT_OUTPUT;
	}
	snprintf(f->target, sizeof(f->target), "%s", target);
	snprintf(parent, sizeof(parent), "%s", target);
	snprintf(base, sizeof(base), "%s", target);
	if ((size_t)snprintf(f->tmp, sizeof(f->tmp), "%s/.%s.tmp-XXXXXX", dirname(parent),
			     basename(base)) >= sizeof(f->tmp)) {
		cli_error("cannot write %s to '%s': %s", what, target, strerror(ENAMETOOLONG));
		return EXIT_OUTPUT;
	}
	/* mkostemp: O_CREAT | O_EXCL, so never through a symlink. */
	f->fd = mkostemp(f->tmp, O_CLOEXEC);
	if (f->fd < 0) {
		int e = errno;

		cli_error("cannot create a temporary file beside '%s': %s", target, strerror(e));
		return e == EACCES || e == EPERM ? EXIT_PERM : EXIT_OUTPUT;
	}
	/* mkostemp makes it 0600; give it what creat(0666) would, or 0644. */
	um = umask(0);
	umask(um);
	if (fchmod(f->fd, (flags & OUTFILE_PUBLIC) ? 0644 : 0666 & ~um) < 0) {
		cli_error("cannot write %s to '%s': %s", what, target, strerror(errno));
		outfile_abort(f);
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}

void outfile_abort(struct outfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	unlink(f->tmp);
}

int outfile_commit(struct outfile *f)
{
	char parent[PATH_MAX];
	int r = fsync(f->fd), dfd;

	if (r == 0)
		r = close(f->fd);
	else
		close(f->fd);
	f->fd = -1;
	if (r < 0) {
		cli_error("cannot write '%s': %s", f->tmp, strerror(errno));
		unlink(f->tmp);
		return EXIT_OUTPUT;
	}
	if (rename(f->tmp, f->target) < 0) {
		cli_error("cannot rename '%s' to '%s': %s", f->tmp, f->target, strerror(errno));
		unlink(f->tmp);
		return EXIT_OUTPUT;
	}
	/* The rename itself reaches the disk with the directory. */
	snprintf(parent, sizeof(parent), "%s", f->target);
	dfd = open(dirname(parent), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return EXIT_OK;
}

int outfile_write_atomic(const char *target, const char *data, size_t len)
{
	struct outfile f;
	int rc = outfile_begin(&f, target, OUTFILE_FORCE | OUTFILE_REPLACE_LINK | OUTFILE_PUBLIC, "the metrics");

	if (rc)
		return rc;
	rc = outdir_write_all(f.fd, data, len);
	if (rc < 0) {
		cli_error("cannot write '%s': %s", f.tmp, strerror(-rc));
		outfile_abort(&f);
		return rc == -EACCES || rc == -EPERM ? EXIT_PERM : EXIT_OUTPUT;
	}
	return outfile_commit(&f);
}

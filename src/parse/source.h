/*
 * source.h - the only module that touches the filesystem for input.
 *
 * Every path is relative to a root directory: "/" for the live machine,
 * or a snapshot / fixture directory given with --root.  The rest of the
 * program cannot tell them apart.  Under a non-live root, paths are
 * resolved with openat2(RESOLVE_IN_ROOT) where the kernel has it, so a
 * symlink inside a snapshot cannot point outside it.
 */
#ifndef FRAGSCOPE_SOURCE_H
#define FRAGSCOPE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/util.h"

struct source;

/*
 * root NULL or "/" means the live machine; a regular file is a tar
 * archive (snapshot --tar), read whole and served from memory.
 * 0, -ENOENT, -ENOTDIR, -EACCES, -ENOMEM; -EBADMSG for a malformed archive.
 */
int source_open(const char *root, struct source **ret);
/* source_open(), and for -EBADMSG a one-line reason in why ("member
 * 'proc/meminfo' (header at byte 1536): truncated: ..."). */
int source_open_why(const char *root, struct source **ret, char *why, size_t whylen);
/* Is the root a tar archive? */
bool source_is_tar(const struct source *src);
void source_free(struct source *src);
bool source_is_live(const struct source *src);
/* The root as given ("/" when live). */
const char *source_root(const struct source *src);

/*
 * Read the whole of relpath (e.g. "proc/meminfo") into out (reset first).
 * O_CLOEXEC, EINTR retried, reads until EOF with a growing buffer.
 * 0 or -errno (-ENOENT, -EACCES, -EPERM, -EISDIR, -ENOMEM, -EIO ...).
 */
int source_read(struct source *src, const char *relpath, struct buf *out);

/*
 * The path shown to users for relpath: "/proc/meminfo" when live,
 * "ROOT/proc/meminfo" otherwise.  Returns a pointer into an internal
 * ring of buffers that stays valid for the next 64 calls; the loader
 * copies it where it must live longer.
 */
const char *source_display(struct source *src, const char *relpath);

/*
 * Names in directory reldir (without "." and ".."), sorted.  *ret is a
 * NULL-terminated malloc'd array of malloc'd strings; free with
 * source_names_free().  0 or -errno.
 */
int source_list(struct source *src, const char *reldir, char ***ret, size_t *ret_n);
void source_names_free(char **names);

/* Open relpath for reading (for callers that stream, e.g. snapshot).  fd or -errno. */
int source_openat(struct source *src, const char *relpath, int flags);

/*
 * Re-read an open file from offset 0 into out (reset first), for live
 * views that keep their inputs open and read them on every refresh
 * (procfs and sysfs regenerate the contents on a read at offset 0).
 * pread() until EOF with a growing buffer; fd stays open.  0 or -errno.
 */
int source_pread_all(int fd, struct buf *out);

/* lstat and readlink of relpath (under a non-live root the parent
 * directory is resolved inside the root).  0 / length, or -errno. */
struct stat;
int source_lstat(struct source *src, const char *relpath, struct stat *st);
int source_readlink(struct source *src, const char *relpath, char *buf, size_t n);

/*
 * Directory-relative access, for inputs made of many small files in a few
 * directories (/sys/kernel/slab: hundreds of caches with 3 to 30 files
 * each).  Open the directory once with source_openat(src, reldir,
 * O_RDONLY | O_DIRECTORY), then name files relative to that fd
 * ("kmalloc-192/order"), so each open resolves one or two components
 * instead of the whole path from the root.
 *
 * name is a relative path of plain components (no leading '/', no "."
 * or ".." component): -EINVAL otherwise.  The live machine uses plain
 * openat().  Under a non-live root, dirfd was itself resolved inside the
 * root, and name is opened with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS): a symlink that would leave dirfd fails with
 * -EXDEV instead of being followed, so nothing outside the root is read
 * (without openat2, kernels before 5.6, the last component gets
 * O_NOFOLLOW; source_openat() has no protection there either).
 */
int source_openat_at(struct source *src, int dirfd, const char *name, int flags);
/* source_read() of dirfd/name, for sysfs attributes and regular files
 * only: a read() that returns less than asked is taken as the end. */
int source_read_at(struct source *src, int dirfd, const char *name, struct buf *out);
/* readlink of dirfd/name, NUL-terminated.  Length, or -errno (-ENAMETOOLONG if n is too small). */
int source_readlink_at(struct source *src, int dirfd, const char *name, char *buf, size_t n);

/* A directory entry and its type (DT_REG, DT_DIR, DT_LNK, ... from
 * <dirent.h>; DT_UNKNOWN from the filesystem is resolved with fstatat). */
struct source_entry {
	char *name;           /* owned */
	unsigned char type;
};
/* Entries of dirfd without "." and "..", sorted by name (strcmp).  dirfd
 * stays open and usable.  Free with source_entries_free().  0 or -errno. */
int source_list_at(struct source *src, int dirfd, struct source_entry **ret, size_t *ret_n);
void source_entries_free(struct source_entry *e, size_t n);

#endif

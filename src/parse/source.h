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

/* root NULL or "/" means the live machine.  0, -ENOENT, -ENOTDIR, -EACCES, -ENOMEM. */
int source_open(const char *root, struct source **ret);
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

/* lstat and readlink of relpath (under a non-live root the parent
 * directory is resolved inside the root).  0 / length, or -errno. */
struct stat;
int source_lstat(struct source *src, const char *relpath, struct stat *st);
int source_readlink(struct source *src, const char *relpath, char *buf, size_t n);

#endif

/*
 * outdir.h - a directory of files written atomically: snapshot's root and
 * sim --emit-root's.  Everything goes into a fresh temporary directory
 * beside the target (mkdtemp), which is synced and then renamed onto it,
 * or exchanged with it when it exists and is not empty.  Files and
 * directories are created with O_EXCL / O_NOFOLLOW relative to a
 * directory fd of our own, so nothing is written through a symlink, and
 * the target itself must not be one.
 */
#ifndef FRAGSCOPE_OUTDIR_H
#define FRAGSCOPE_OUTDIR_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct outdir {
	char target[PATH_MAX];
	char tmp[PATH_MAX];
	int dirfd;               /* the temporary directory */
};

/* May target be written?  Refuses a symlink, a non-directory, and a
 * non-empty directory without force.  Prints why; returns an exit code
 * (what: "snapshot" or "root" for the messages). */
int outdir_check(const char *target, bool force, const char *what);
/* Create the temporary directory beside target.  Prints; exit code. */
int outdir_begin(struct outdir *d, const char *target);
/* Write rel (with its parent directories) into the temporary directory.
 * 0 or -errno. */
int outdir_put(struct outdir *d, const char *rel, const char *data, size_t len);
/* Sync and move into place.  Prints; exit code.  The outdir is done. */
int outdir_commit(struct outdir *d);
/* Remove the temporary directory.  The outdir is done. */
void outdir_abort(struct outdir *d);

/*
 * One file written atomically (snapshot --tar FILE): a temporary file
 * created with O_EXCL beside the target, synced, then renamed onto it.
 * The target must not be a symlink or a directory, and an existing file
 * is replaced only with force.
 */
struct outfile {
	char target[PATH_MAX];
	char tmp[PATH_MAX];
	int fd;
};
/* outfile_begin() flags. */
#define OUTFILE_FORCE        1u  /* replace an existing file (else refused) */
#define OUTFILE_REPLACE_LINK 2u  /* a symlink at target is replaced, never followed (else refused) */
#define OUTFILE_PUBLIC       4u  /* mode 0644 whatever the umask (else 0666 & ~umask) */
/* Check the target (a directory or other non-file there is refused) and
 * create the temporary file beside it (".NAME.tmp-XXXXXX", O_EXCL, so
 * never through a symlink).  what names the contents in messages.
 * Prints; exit code. */
int outfile_begin(struct outfile *f, const char *target, unsigned flags, const char *what);
/* fsync, close, rename into place and fsync the directory: a reader sees
 * the old file or the new one, never part of one.  Prints; exit code.
 * Done. */
int outfile_commit(struct outfile *f);
/* Close and remove the temporary file.  Done. */
void outfile_abort(struct outfile *f);

/* For streaming copies: open (creating as needed) the directory that will
 * hold rel's last component, without following symlinks; *base points
 * into rel at that component.  Returns an fd or -errno. */
int outdir_mkparents(int dirfd, const char *rel, const char **base);
/* write(2) all of it; 0 or -errno. */
int outdir_write_all(int fd, const char *p, size_t n);

/* outfile_begin() with OUTFILE_FORCE | OUTFILE_REPLACE_LINK |
 * OUTFILE_PUBLIC, the data, outfile_commit(): node_exporter's textfile
 * collector's contract.  Prints why on failure; returns an exit code. */
int outfile_write_atomic(const char *target, const char *data, size_t len);

#endif

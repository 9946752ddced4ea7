/*
 * tar.h - POSIX ustar archives: an index over an archive held in memory
 * (for --root FILE.tar) and the header of one member (for snapshot --tar).
 *
 * Reading is for untrusted input: every header's checksum is verified,
 * every size is checked against what is left of the archive, member names
 * are normalised ("./proc//meminfo" -> "proc/meminfo") and a name with a
 * ".." component is refused.  Nothing is ever written while reading, so
 * a hostile name can only fail a lookup.  Understood: regular files,
 * directories, symbolic links, hard links (to an earlier regular member,
 * served as a copy of it), GNU long names ('L', 'K') and pax extended
 * headers ('x': path, linkpath, size; 'g' is ignored).  Devices and FIFOs
 * are refused: a snapshot never holds them.
 *
 * Pure: no I/O, no printing.  The index points into the caller's buffer,
 * which must outlive it.
 */
#ifndef FRAGSCOPE_TAR_H
#define FRAGSCOPE_TAR_H

#include <stddef.h>
#include <stdint.h>

#define TAR_BLOCK 512

enum tar_type {
	TAR_DIR,
	TAR_REG,
	TAR_SYMLINK,
};

struct tar_member {
	char *path;          /* normalised; "" is the root directory */
	enum tar_type type;
	unsigned mode;       /* permission bits as archived */
	const char *data;    /* TAR_REG: size bytes inside the archive buffer */
	uint64_t size;
	char *link;          /* TAR_SYMLINK: the target as archived */
};

/* Sorted by path (strcmp), one member per path (a later member replaces an
 * earlier one, as extraction would), directories implied by a member's
 * path are added, and m[0] is the root "". */
struct tar {
	struct tar_member *m;
	size_t n;
	size_t stripped;     /* length of a single top directory removed, 0 if none */
};

/* Why an archive was refused. */
struct tar_error {
	uint64_t offset;     /* of the header in question */
	char member[256];    /* its name, control bytes as \xNN; "" if unknown */
	char what[160];
};

/*
 * Index the archive data[0, len).  A single top-level directory that is
 * not itself a snapshot directory ("snap/proc/meminfo", as `tar -cf x.tar
 * snap` writes) is stripped, so such a tar is read like its directory.
 * 0, -EBADMSG (malformed: *err says where and why), -ENOMEM.
 */
int tar_index(const char *data, size_t len, struct tar *ret, struct tar_error *err);
void tar_free(struct tar *t);

/* The member at normalised path (no symlinks followed), or NULL. */
const struct tar_member *tar_find(const struct tar *t, const char *path);

/*
 * Resolve path (relative, any '.', '..' and '//' allowed) to a member,
 * following symbolic links inside the archive: an absolute link target is
 * taken from the root and ".." stops at the root (openat2's
 * RESOLVE_IN_ROOT).  The last component is followed only with
 * follow_last.  beneath (a member path, "" for none): ".." above it or an
 * absolute link fail with -EXDEV (RESOLVE_BENEATH); path is then relative
 * to beneath.  At most 40 links.  Returns 0 and *ret, or -ENOENT,
 * -ENOTDIR, -ELOOP, -EXDEV, -ENAMETOOLONG.
 */
int tar_resolve(const struct tar *t, const char *beneath, const char *path, int follow_last,
		const struct tar_member **ret);

/* Call fn for each direct child of directory member d, in name order
 * (strcmp), until fn returns non-zero.  0, -ENOMEM, or what fn returned. */
int tar_children(const struct tar *t, const struct tar_member *d,
		  int (*fn)(const struct tar_member *child, const char *name, void *arg), void *arg);

/*
 * Fill block with the ustar header of one member: path (relative; split
 * into prefix and name when longer than 100 bytes), mtime, uid and gid 0,
 * owner "root".  link: the symlink target (TAR_SYMLINK) or NULL.
 * 0, or -ENAMETOOLONG when path or link does not fit ustar.
 */
int tar_header(char block[TAR_BLOCK], const char *path, enum tar_type type, unsigned mode,
	       uint64_t size, const char *link, uint64_t mtime);

#endif

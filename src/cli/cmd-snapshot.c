/*
 * cmd-snapshot.c - "fragscope snapshot DIR": copy every readable input
 * into DIR with the same layout (DIR/proc/..., DIR/sys/...) and a
 * manifest, so that "fragscope --root DIR ..." works offline.
 *
 * Writing is atomic: everything goes into a fresh temporary directory
 * created beside DIR (mkdtemp), which is synced and then renamed onto DIR
 * (or exchanged with it under --force).  Every file and directory is
 * created with O_EXCL / O_NOFOLLOW relative to a directory fd of our own,
 * so nothing is ever written through a symlink, and DIR itself must not
 * be a symlink.  Symlinks inside the copied trees (slab cache aliases)
 * are recreated as symlinks, never followed.
 *
 * "snapshot --tar FILE" writes the same layout as a POSIX ustar archive
 * (tar_header() in src/parse/tar.h), to FILE atomically (outfile_begin():
 * a temporary file beside it, renamed) or to stdout for "-".  Members
 * come in the order the directory snapshot creates them, each directory
 * before its first entry, with mode 0755 / 0644, owner root (0/0), and
 * one mtime: SOURCE_DATE_EPOCH if set, else the capture time (the
 * manifest's "created" uses the same), so two captures of an unchanged
 * root with SOURCE_DATE_EPOCH set are identical archives.
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
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "cli.h"
#include "outdir.h"
#include "../parse/tar.h"

/* The archive being written (snapshot --tar). */
struct tarw {
	int fd;
	uint64_t mtime;
	char *blk;               /* output buffer */
	size_t used;
	char **dirs;             /* directories already written */
	size_t ndirs, capdirs;
};

#define TARW_BUF (1 << 16)

struct unreadable {
	char *path;  /* relative path */
	int err;
};

struct snap {
	struct source *src;
	struct outdir *out;      /* directory snapshot, or */
	struct tarw *tw;         /* tar snapshot */
	struct buf b;            /* a file's contents, for the archive */
	int dirfd;               /* the temporary directory (out->dirfd) */
	uint64_t files, bytes;
	struct unreadable *bad;
	size_t nbad, capbad;
	int werr;                /* first write error (-errno) */
	char wpath[PATH_MAX];    /* where it happened */
};

static void note_bad(struct snap *s, const char *rel, int err)
{
	struct unreadable *p;

	if (s->nbad == s->capbad) {
		size_t cap = s->capbad ? s->capbad * 2 : 16;

		p = realloc(s->bad, cap * sizeof(*p));
		if (!p)
			return;
		s->bad = p;
		s->capbad = cap;
	}
	s->bad[s->nbad].path = strdup(rel);
	if (!s->bad[s->nbad].path)
		return;
	s->bad[s->nbad].err = err;
	s->nbad++;
}

static void write_failed(struct snap *s, const char *rel, int err)
{
	if (!s->werr) {
		s->werr = err;
		snprintf(s->wpath, sizeof(s->wpath), "%s", rel);
	}
}

static int tarw_flush(struct tarw *t)
{
	int r = outdir_write_all(t->fd, t->blk, t->used);

	t->used = 0;
	return r;
}

static int tarw_write(struct tarw *t, const char *p, size_t n)
{
	while (n) {
		size_t k = TARW_BUF - t->used < n ? TARW_BUF - t->used : n;

		memcpy(t->blk + t->used, p, k);
		t->used += k;
		p += k;
		n -= k;
		if (t->used == TARW_BUF) {
			int r = tarw_flush(t);

			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* One member: header, data, zero padding to the block.  0 or -errno. */
static int tarw_put(struct tarw *t, const char *rel, enum tar_type type, const char *data, size_t len,
		    const char *link)
{
	static const char zero[TAR_BLOCK];
	char h[TAR_BLOCK];
	int r = tar_header(h, rel, type, type == TAR_DIR ? 0755 : type == TAR_SYMLINK ? 0777 : 0644,
			   len, link, t->mtime);

	if (r == 0)
		r = tarw_write(t, h, sizeof(h));
	if (r == 0 && len)
		r = tarw_write(t, data, len);
	if (r == 0 && len % TAR_BLOCK)
		r = tarw_write(t, zero, TAR_BLOCK - len % TAR_BLOCK);
	return r;
}

/* Write the directories above rel not written yet, outermost first: what
 * outdir_mkparents() creates for a directory snapshot. */
static int tarw_parents(struct tarw *t, const char *rel)
{
	for (const char *s = strchr(rel, '/'); s; s = strchr(s + 1, '/')) {
		size_t n = (size_t)(s - rel);
		bool seen = false;
		char *d;
		int r;

		for (size_t i = t->ndirs; i-- > 0 && !seen;)
			seen = strlen(t->dirs[i]) == n && !strncmp(t->dirs[i], rel, n);
		if (seen)
			continue;
		if (t->ndirs == t->capdirs) {
			size_t cap = t->capdirs ? t->capdirs * 2 : 64;
			char **p = realloc(t->dirs, cap * sizeof(*p));

			if (!p)
				return -ENOMEM;
			t->dirs = p;
			t->capdirs = cap;
		}
		d = strndup(rel, n);
		if (!d)
			return -ENOMEM;
		t->dirs[t->ndirs++] = d;
		r = tarw_put(t, d, TAR_DIR, NULL, 0, NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The end-of-archive marker (two zero blocks), and flush. */
static int tarw_end(struct tarw *t)
{
	static const char zero[2 * TAR_BLOCK];
	int r = tarw_write(t, zero, sizeof(zero));

	return r ? r : tarw_flush(t);
}

static void tarw_free(struct tarw *t)
{
	for (size_t i = 0; i < t->ndirs; i++)
		free(t->dirs[i]);
	free(t->dirs);
	free(t->blk);
}

/* The tar counterpart of copy_file(): the whole file, then its member. */
static void tar_copy_file(struct snap *s, int in, const char *rel)
{
	int r = tarw_parents(s->tw, rel);

	if (r < 0) {
		close(in);
		write_failed(s, rel, r);
		return;
	}
	buf_reset(&s->b);
	for (;;) {
		ssize_t n;

		r = buf_reserve(&s->b, 65536);
		if (r < 0) {
			close(in);
			write_failed(s, rel, r);
			return;
		}
		n = read(in, s->b.data + s->b.len, s->b.cap - s->b.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* As copy_file(): no member for unreadable content. */
			note_bad(s, rel, -errno);
			close(in);
			return;
		}
		if (n == 0)
			break;
		s->b.len += (size_t)n;
	}
	close(in);
	r = tarw_put(s->tw, rel, TAR_REG, s->b.data, s->b.len, NULL);
	if (r < 0) {
		write_failed(s, rel, r);
		return;
	}
	s->files++;
	s->bytes += s->b.len;
}

/* Copy one regular file from the source into the snapshot, streaming. */
static void copy_file(struct snap *s, const char *rel)
{
	static char chunk[1 << 16];
	const char *base;
	int in, out, dfd, r = 0;

	in = source_openat(s->src, rel, O_RDONLY);
	if (in < 0) {
		if (in != -ENOENT)
			note_bad(s, rel, in);
		return;
	}
	if (s->tw) {
		tar_copy_file(s, in, rel);
		return;
	}
	dfd = outdir_mkparents(s->dirfd, rel, &base);
	if (dfd < 0) {
		close(in);
		write_failed(s, rel, dfd);
		return;
	}
	out = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	close(dfd);
	if (out < 0) {
		close(in);
		write_failed(s, rel, -errno);
		return;
	}
	for (;;) {
		ssize_t n = read(in, chunk, sizeof(chunk));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* Unreadable content (EACCES on read, EIO, EINVAL for
			 * write-only attributes): keep an empty file out of it. */
			note_bad(s, rel, -errno);
			close(in);
			close(out);
			dfd = outdir_mkparents(s->dirfd, rel, &base);
			if (dfd >= 0) {
				unlinkat(dfd, base, 0);
				close(dfd);
			}
			return;
		}
		if (n == 0)
			break;
		r = outdir_write_all(out, chunk, (size_t)n);
		if (r < 0)
			break;
		s->bytes += (uint64_t)n;
	}
	close(in);
	if (close(out) < 0 && !r)
		r = -errno;
	if (r < 0)
		write_failed(s, rel, r);
	else
		s->files++;
}

static void copy_symlink(struct snap *s, const char *rel)
{
	char target[PATH_MAX];
	const char *base;
	int dfd, r = source_readlink(s->src, rel, target, sizeof(target));

	if (r < 0) {
		note_bad(s, rel, r);
		return;
	}
	if (s->tw) {
		r = tarw_parents(s->tw, rel);
		if (r == 0)
			r = tarw_put(s->tw, rel, TAR_SYMLINK, NULL, 0, target);
		if (r < 0)
			write_failed(s, rel, r);
		return;
	}
	dfd = outdir_mkparents(s->dirfd, rel, &base);
	if (dfd < 0) {
		write_failed(s, rel, dfd);
		return;
	}
	if (symlinkat(target, dfd, base) < 0)
		write_failed(s, rel, -errno);
	close(dfd);
}

/*
 * Copy a directory tree: regular files with a read permission bit,
 * symlinks as symlinks, subdirectories down to depth levels.
 */
static void copy_tree(struct snap *s, const char *reldir, int depth)
{
	char **names = NULL, rel[PATH_MAX];
	int r = source_list(s->src, reldir, &names, NULL);

	if (r < 0) {
		if (r != -ENOENT)
			note_bad(s, reldir, r);
		return;
	}
	for (char **p = names; *p && !s->werr; p++) {
		struct stat st;

		if (snprintf(rel, sizeof(rel), "%s/%s", reldir, *p) >= (int)sizeof(rel))
			continue;
		if (source_lstat(s->src, rel, &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode))
			copy_symlink(s, rel);
		else if (S_ISDIR(st.st_mode) && depth > 0)
			copy_tree(s, rel, depth - 1);
		else if (S_ISREG(st.st_mode) && (st.st_mode & 0444))
			copy_file(s, rel);
	}
	source_names_free(names);
}

/* The fixed list of single files (DESIGN.md, "Inputs"). */
static const char *const snap_files[] = {
	"proc/meminfo", "proc/vmstat", "proc/buddyinfo", "proc/pagetypeinfo",
	"proc/zoneinfo", "proc/slabinfo", "proc/version", "proc/sys/kernel/osrelease",
	"sys/kernel/debug/extfrag/unusable_index", "sys/kernel/debug/extfrag/extfrag_index",
};

/* Directory trees and how deep to copy them. */
static const struct {
	const char *dir;
	int depth;
} snap_trees[] = {
	{ "proc/sys/vm", 0 },
	{ "sys/kernel/slab", 1 },
	{ "sys/kernel/mm/hugepages", 1 },
	{ "sys/kernel/mm/transparent_hugepage", 1 },
};

static void copy_nodes(struct snap *s)
{
	static const char *const node_files[] = { "distance", "meminfo", "numastat", "vmstat", "cpulist" };
	char **names = NULL, rel[PATH_MAX];

	for (const char *const *f = (const char *const[]){ "online", "possible", "has_memory",
			 "has_normal_memory", "has_cpu", NULL }; *f; f++) {
		snprintf(rel, sizeof(rel), "sys/devices/system/node/%s", *f);
		copy_file(s, rel);
	}
	if (source_list(s->src, "sys/devices/system/node", &names, NULL) < 0)
		return;
	for (char **p = names; *p; p++) {
		if (strncmp(*p, "node", 4) || (*p)[4] < '0' || (*p)[4] > '9')
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(node_files); i++) {
			snprintf(rel, sizeof(rel), "sys/devices/system/node/%s/%s", *p, node_files[i]);
			copy_file(s, rel);
		}
		snprintf(rel, sizeof(rel), "sys/devices/system/node/%s/hugepages", *p);
		copy_tree(s, rel, 1);
	}
	source_names_free(names);
}

/* SOURCE_DATE_EPOCH (reproducible builds' convention) if set, else now. */
static uint64_t snapshot_time(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	unsigned long long v;

	if (e && *e >= '0' && *e <= '9') {
		errno = 0;
		v = strtoull(e, &end, 10);
		if (!errno && !*end && v < (1ULL << 33))
			return v;
	}
	return (uint64_t)time(NULL);
}

static const char *errname(int err)
{
	return err == -EACCES || err == -EPERM ? "permission denied" :
	       err == -ENOENT ? "not found" : strerror(-err);
}

/* Write the manifest into the snapshot; with -J also print it on stdout. */
static int write_manifest(struct snap *s, const struct options *o)
{
	struct utsname u;
	char *mem = NULL, when[32];
	size_t memlen = 0;
	time_t now = (time_t)snapshot_time();
	struct tm tm;
	FILE *f = open_memstream(&mem, &memlen);
	struct json *j;
	long ps = sysconf(_SC_PAGESIZE), cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int r;

	if (!f)
		return -ENOMEM;
	j = json_new(f, true);
	if (!j) {
		fclose(f);
		free(mem);
		return -ENOMEM;
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_begin_object(j);
	json_kv_u64(j, "schema_version", 1);
	json_kv_string(j, "kind", "fragscope-snapshot");
	json_kv_string(j, "fragscope_version", FRAGSCOPE_VERSION);
	json_kv_string(j, "created", when);
	json_kv_string(j, "source_root", o->root ? o->root : "/");
	if (!o->root && uname(&u) == 0) {
		json_kv_string(j, "kernel_release", u.release);
		json_kv_string(j, "machine", u.machine);
		json_kv_u64(j, "page_size", ps > 0 ? (uint64_t)ps : 0);
		json_kv_string(j, "page_size_source", "host");
		json_kv_u64(j, "cpus", cpus > 0 ? (uint64_t)cpus : 0);
	} else if (o->root) {
		/* A copy of a snapshot or fixture keeps what its source knew. */
		struct machine m;

		if (machine_load(s->src, 0, &m) == 0) {
			if (m.kernel_release[0])
				json_kv_string(j, "kernel_release", m.kernel_release);
			json_kv_u64(j, "page_size", m.page_size);
			json_kv_string(j, "page_size_source", page_size_source_name(m.page_size_src));
		}
		machine_free(&m);
	}
	json_kv_u64(j, "files", s->files);
	json_kv_u64(j, "bytes", s->bytes);
	json_key(j, "pids");
	json_begin_array(j);
	for (size_t i = 0; i < o->npids; i++)
		json_u64(j, (uint64_t)o->pids[i]);
	json_end_array(j);
	json_key(j, "unreadable");
	json_begin_array(j);
	for (size_t i = 0; i < s->nbad; i++) {
		json_begin_object(j);
		json_kv_string(j, "path", s->bad[i].path);
		json_kv_string(j, "error", errname(s->bad[i].err));
		if ((s->bad[i].err == -EACCES || s->bad[i].err == -EPERM) && geteuid() != 0)
			json_kv_string(j, "hint", "needs root");
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "not_captured");
	json_begin_array(j);
	json_begin_object(j);
	json_kv_string(j, "path", "sys/kernel/tracing");
	json_kv_string(j, "why", "kmem traces are recorded over time, not copied");
	json_end_object(j);
	json_end_array(j);
	json_end_object(j);
	r = json_finish(j);
	json_free(j);
	if (fclose(f) != 0 && !r)
		r = -ENOMEM;
	if (!r && s->tw)
		r = tarw_put(s->tw, "fragscope-snapshot.json", TAR_REG, mem, memlen, NULL);
	else if (!r)
		r = outdir_put(s->out, "fragscope-snapshot.json", mem, memlen);
	if (!r && o->json)
		fwrite(mem, 1, memlen, stdout);
	free(mem);
	return r;
}

/*
 * Say once per input what could not be captured: single files by name,
 * files inside a copied tree (hundreds under /sys/kernel/slab without
 * root) as one line per tree.
 */
static void report_unreadable(struct snap *s)
{
	for (size_t i = 0; i < s->nbad; i++) {
		const struct unreadable *b = &s->bad[i];
		const char *tree = NULL;
		size_t count = 0;
		bool first = true;
		bool perm = b->err == -EACCES || b->err == -EPERM;

		for (size_t t = 0; t < ARRAY_SIZE(snap_trees); t++)
			if (!strncmp(b->path, snap_trees[t].dir, strlen(snap_trees[t].dir)))
				tree = snap_trees[t].dir;
		if (tree) {
			/* Only the first entry of a tree reports, for all of them. */
			for (size_t k = 0; k < s->nbad; k++) {
				if (strncmp(s->bad[k].path, tree, strlen(tree)))
					continue;
				if (k < i)
					first = false;
				count++;
			}
			if (first)
				fprintf(stderr, "fragscope: '%s': %zu file%s not captured (%s%s)\n",
					source_display(s->src, tree), count, count == 1 ? "" : "s",
					errname(b->err), perm && geteuid() ? ", needs root" : "");
			continue;
		}
		fprintf(stderr, "fragscope: '%s' not captured: %s%s\n",
			source_display(s->src, b->path), errname(b->err),
			perm && geteuid() ? " (needs root)" : "");
	}
}

/* Everything but the destination: the files, the trees, the nodes, the pids. */
static void capture(struct snap *s, const struct options *o)
{
	char rel[64];

	for (size_t i = 0; i < ARRAY_SIZE(snap_files) && !s->werr; i++)
		copy_file(s, snap_files[i]);
	for (size_t i = 0; i < ARRAY_SIZE(snap_trees) && !s->werr; i++)
		copy_tree(s, snap_trees[i].dir, snap_trees[i].depth);
	if (!s->werr)
		copy_nodes(s);
	/* Only on request: 8 bytes per page frame (48 MiB for 24 GiB), and
	 * read only by sim --seed-from kpageflags. */
	if (!s->werr && o->kpageflags)
		copy_file(s, "proc/kpageflags");
	for (size_t i = 0; i < o->npids && !s->werr; i++) {
		static const char *const pid_files[] = { "maps", "smaps", "smaps_rollup", "status", "cmdline" };

		for (size_t k = 0; k < ARRAY_SIZE(pid_files); k++) {
			snprintf(rel, sizeof(rel), "proc/%d/%s", o->pids[i], pid_files[k]);
			copy_file(s, rel);
		}
	}
}

static int usage(const char *msg)
{
	fprintf(stderr, "fragscope: snapshot: %s\n", msg);
	fputs("Try 'fragscope --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

int cmd_snapshot(struct options *o)
{
	const char *target = o->argc ? o->argv[0] : NULL;
	char rel[64];
	struct snap s = { .dirfd = -1, .b = BUF_INIT };
	struct outdir out;
	struct outfile of = { .fd = -1 };
	struct tarw tw = { .fd = -1 };
	bool to_stdout = o->tar && strcmp(o->tar, "-") == 0;
	int rc, r;

	if (o->tar && target)
		return usage("give either DIR or --tar FILE, not both");
	if (!o->tar && !target)
		return usage("missing argument DIR (or --tar FILE)");
	if (to_stdout && o->json)
		return usage("--tar - writes the archive on stdout: -J cannot print the manifest there");
	if (to_stdout && isatty(STDOUT_FILENO))
		return usage("refusing to write a tar archive to a terminal (redirect stdout, or give a file)");
	if (!o->tar) {
		rc = outdir_check(target, o->force, "snapshot");
		if (rc)
			return rc;
	}
	rc = cli_open_source(o, &s.src);
	if (rc)
		return rc;
	for (size_t i = 0; i < o->npids; i++) {
		struct stat pst;

		snprintf(rel, sizeof(rel), "proc/%d", o->pids[i]);
		if (source_lstat(s.src, rel, &pst) < 0) {
			cli_error("no process %d under '%s'", o->pids[i], source_root(s.src));
			source_free(s.src);
			return EXIT_INPUT;
		}
	}
	if (o->tar) {
		target = o->tar;
		tw.mtime = snapshot_time();
		tw.blk = malloc(TARW_BUF);
		if (!tw.blk) {
			cli_error("out of memory");
			source_free(s.src);
			return EXIT_OUTPUT;
		}
		if (to_stdout) {
			tw.fd = STDOUT_FILENO;
		} else {
			rc = outfile_begin(&of, target, o->force ? OUTFILE_FORCE : 0, "snapshot");
			if (rc) {
				tarw_free(&tw);
				source_free(s.src);
				return rc;
			}
			tw.fd = of.fd;
		}
		s.tw = &tw;
	} else {
		rc = outdir_begin(&out, target);
		if (rc) {
			source_free(s.src);
			return rc;
		}
		s.out = &out;
		s.dirfd = out.dirfd;
	}
	capture(&s, o);
	if (s.werr) {
		/* EPIPE on stdout: the reader went away, nothing to say. */
		if (!(s.werr == -EPIPE && to_stdout))
			cli_error("cannot write snapshot file '%s': %s", s.wpath, strerror(-s.werr));
		rc = EXIT_OUTPUT;
		goto abort;
	}
	r = write_manifest(&s, o);
	if (r == 0 && s.tw)
		r = tarw_end(&tw);
	if (r < 0) {
		if (!(r == -EPIPE && to_stdout))
			cli_error("cannot write snapshot manifest in '%s': %s",
				  s.tw ? target : out.tmp, strerror(-r));
		rc = EXIT_OUTPUT;
		goto abort;
	}
	if (s.tw)
		rc = to_stdout ? EXIT_OK : outfile_commit(&of);
	else
		rc = outdir_commit(&out);
	if (rc)
		goto out;
	report_unreadable(&s);
	if (!o->json && !to_stdout)
		printf("snapshot written to %s: %llu files, %llu bytes%s\n", target,
		       (unsigned long long)s.files, (unsigned long long)s.bytes,
		       s.nbad ? "; some inputs were unreadable (see fragscope-snapshot.json)" : "");
	goto out;
abort:
	if (s.tw) {
		if (!to_stdout)
			outfile_abort(&of);
	} else {
		outdir_abort(&out);
	}
out:
	for (size_t i = 0; i < s.nbad; i++)
		free(s.bad[i].path);
	free(s.bad);
	buf_free(&s.b);
	tarw_free(&tw);
	source_free(s.src);
	return rc;
}

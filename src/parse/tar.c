/*
 * tar.c - index a ustar archive in memory; format one member's header
 * (see tar.h).
 *
 * The layout of a header block (POSIX.1-1988 ustar, as `tar --format=ustar`
 * writes it; GNU tar's default format differs only past byte 345 and in
 * the magic):
 *
 *   0 name[100]  100 mode[8]  108 uid[8]  116 gid[8]  124 size[12]
 *   136 mtime[12]  148 chksum[8]  156 typeflag  157 linkname[100]
 *   257 magic[6] "ustar\0" (GNU: "ustar ")  263 version[2]  265 uname[32]
 *   297 gname[32]  329 devmajor[8]  337 devminor[8]  345 prefix[155]
 *
 * Numbers are octal text; GNU tar writes a size past 8 GiB as base-256
 * (first byte 0x80, then big-endian).  The checksum is the sum of the
 * header's bytes with the checksum field read as spaces.  Each member's
 * data follows in whole blocks; the archive ends with two zero blocks.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tar.h"

#define MAX_LINKS 40

/* One member as it appears in the archive, before sorting. */
struct raw {
	struct tar_member m;
	size_t seq;
	uint64_t off;        /* of its header, for errors */
};

struct builder {
	struct raw *r;
	size_t n, cap;
	struct tar_error *err;
};

static void set_member(struct tar_error *err, const char *name, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && name[i] && o + 5 < sizeof(err->member); i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f || c == '\\')
			o += (size_t)snprintf(err->member + o, sizeof(err->member) - o, "\\x%02x", c);
		else
			err->member[o++] = (char)c;
	}
	err->member[o] = '\0';
}

static int fail(struct tar_error *err, uint64_t off, const char *name, size_t n, const char *what)
{
	if (err) {
		err->offset = off;
		set_member(err, name ? name : "", name ? n : 0);
		snprintf(err->what, sizeof(err->what), "%s", what);
	}
	return -EBADMSG;
}

/* An octal field: leading spaces, digits, then NUL or spaces to the end.
 * Or GNU base-256.  -1 if malformed or above 2^62. */
static int64_t number(const char *f, size_t n)
{
	const unsigned char *u = (const unsigned char *)f;
	uint64_t v = 0;
	size_t i = 0;

	if (u[0] & 0x80) {
		if (u[0] != 0x80)
			return -1;          /* negative, or too large */
		for (i = 1; i < n; i++) {
			if (v >> 54)
				return -1;
			v = v << 8 | u[i];
		}
		return (int64_t)v;
	}
	while (i < n && f[i] == ' ')
		i++;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 59)
			return -1;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	for (; i < n; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	return (int64_t)v;
}

static bool zero_block(const char *b)
{
	static const char zero[TAR_BLOCK];

	return b[0] == '\0' && memcmp(b, zero, TAR_BLOCK) == 0;
}

/* The unsigned sum (POSIX), eight bytes at a time in 16-bit lanes (at
 * most 2 x 64 x 255 per lane: no carry between lanes); the signed one
 * (some old tars) only when that does not match. */
static bool checksum_ok(const char *b)
{
	const uint64_t lo = UINT64_C(0x00ff00ff00ff00ff);
	int64_t want = number(b + 148, 8);
	uint64_t acc = 0, us;
	int64_t ss = 0;

	if (want < 0)
		return false;
	for (size_t i = 0; i < TAR_BLOCK; i += 8) {
		uint64_t w;

		memcpy(&w, b + i, 8);
		acc += (w & lo) + ((w >> 8) & lo);
	}
	us = (acc & 0xffff) + ((acc >> 16) & 0xffff) + ((acc >> 32) & 0xffff) + (acc >> 48);
	for (size_t i = 148; i < 156; i++)
		us -= (unsigned char)b[i];
	us += 8 * ' ';
	if (us == (uint64_t)want)
		return true;
	for (size_t i = 0; i < TAR_BLOCK; i++)
		ss += i >= 148 && i < 156 ? ' ' : (signed char)b[i];
	return ss == want;
}

/*
 * Normalise name[0, n) into a malloc'd string: leading '/' dropped (as
 * GNU tar does), empty and "." components dropped.  NULL with *bad set
 * for a ".." component or a NUL byte; NULL alone: out of memory.
 */
static char *normalise(const char *name, size_t n, const char **bad)
{
	char *out = malloc(n + 1);
	size_t o = 0, i = 0;

	*bad = NULL;
	if (!out)
		return NULL;
	if (memchr(name, '\0', n)) {
		free(out);
		*bad = "name contains a NUL byte";
		return NULL;
	}
	while (i < n) {
		size_t k = i;

		while (k < n && name[k] != '/')
			k++;
		if (k - i == 2 && name[i] == '.' && name[i + 1] == '.') {
			free(out);
			*bad = "name has a '..' component (path traversal)";
			return NULL;
		}
		if (k > i && !(k - i == 1 && name[i] == '.')) {
			if (o)
				out[o++] = '/';
			memcpy(out + o, name + i, k - i);
			o += k - i;
		}
		i = k + 1;
	}
	out[o] = '\0';
	return out;
}

static int push(struct builder *b, struct tar_member m, uint64_t off)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct raw *p = realloc(b->r, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		b->r = p;
		b->cap = cap;
	}
	b->r[b->n].m = m;
	b->r[b->n].seq = b->n;
	b->r[b->n].off = off;
	b->n++;
	return 0;
}

static void member_free(struct tar_member *m)
{
	free(m->path);
	free(m->link);
}

/* Path, then archive order: the last of equal paths is the one kept. */
static int cmp_raw(const void *a, const void *b)
{
	const struct raw *x = a, *y = b;
	int c = strcmp(x->m.path, y->m.path);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/*
 * A pax extended header's records, "LEN key=value\n": take path,
 * linkpath and size.  *path / *link are malloc'd (replacing earlier ones).
 */
static int pax_parse(const char *d, size_t n, char **path, char **link, int64_t *size,
		     const char **bad)
{
	size_t i = 0;

	while (i < n) {
		size_t len = 0, k = i, eq;
		const char *rec;

		while (k < n && d[k] >= '0' && d[k] <= '9' && len < 1000000)
			len = len * 10 + (size_t)(d[k++] - '0');
		if (k == i || k >= n || d[k] != ' ' || len < (k - i) + 2 || len > n - i ||
		    d[i + len - 1] != '\n') {
			*bad = "malformed pax extended header record";
			return -EBADMSG;
		}
		rec = d + k + 1;
		eq = 0;
		while (rec + eq < d + i + len - 1 && rec[eq] != '=')
			eq++;
		if (rec + eq >= d + i + len - 1) {
			*bad = "malformed pax extended header record";
			return -EBADMSG;
		}
		{
			const char *val = rec + eq + 1;
			size_t vlen = (size_t)(d + i + len - 1 - val);
			char **dst = NULL;

			if (eq == 4 && !memcmp(rec, "path", 4))
				dst = path;
			else if (eq == 8 && !memcmp(rec, "linkpath", 8))
				dst = link;
			else if (eq == 4 && !memcmp(rec, "size", 4)) {
				int64_t v = 0;

				if (vlen == 0 || vlen > 18) {
					*bad = "bad size in pax extended header";
					return -EBADMSG;
				}
				for (size_t q = 0; q < vlen; q++) {
					if (val[q] < '0' || val[q] > '9') {
						*bad = "bad size in pax extended header";
						return -EBADMSG;
					}
					v = v * 10 + (val[q] - '0');
				}
				*size = v;
			}
			if (dst) {
				if (vlen >= PATH_MAX || memchr(val, '\0', vlen)) {
					*bad = "bad name in pax extended header";
					return -EBADMSG;
				}
				free(*dst);
				*dst = malloc(vlen + 1);
				if (!*dst)
					return -ENOMEM;
				memcpy(*dst, val, vlen);
				(*dst)[vlen] = '\0';
			}
		}
		i += len;
	}
	return 0;
}

/* Walk the headers into b->r, in archive order. */
static int scan(struct builder *b, const char *data, size_t len)
{
	char *xpath = NULL, *xlink = NULL;   /* from 'L'/'K' or pax 'x', for the next member */
	int64_t xsize = -1;
	uint64_t off = 0;
	int r = 0;

	for (;;) {
		const char *h = data + off;
		char name[256 + 1 + 155];
		const char *bad = NULL, *d;
		struct tar_member m = { 0 };
		int64_t size;
		size_t nlen, blocks;
		char type;

		if (len - off < TAR_BLOCK) {
			r = fail(b->err, off, NULL, 0, len == off ? "truncated: no end-of-archive blocks" :
				 "truncated inside a header block");
			break;
		}
		if (zero_block(h)) {
			if (xpath || xlink || xsize >= 0)
				r = fail(b->err, off, xpath, xpath ? strlen(xpath) : 0,
					 "extended header without a member");
			break;              /* end of archive */
		}
		nlen = strnlen(h, 100);
		if (!checksum_ok(h)) {
			r = fail(b->err, off, NULL, 0, off ? "bad header checksum (corrupt archive)" :
				 "not a tar archive (bad header checksum)");
			break;
		}
		if (memcmp(h + 257, "ustar", 5) != 0) {
			r = fail(b->err, off, NULL, 0, "not a ustar header (unknown magic)");
			break;
		}
		/* The name: prefix/name in POSIX ustar; GNU keeps other fields there. */
		if (!memcmp(h + 257, "ustar\0", 6) && h[345]) {
			size_t plen = strnlen(h + 345, 155);

			memcpy(name, h + 345, plen);
			name[plen] = '/';
			memcpy(name + plen + 1, h, nlen);
			nlen += plen + 1;
		} else {
			memcpy(name, h, nlen);
		}
		name[nlen] = '\0';
		type = h[156];
		size = number(h + 124, 12);
		if (size < 0) {
			r = fail(b->err, off, name, nlen, "bad size field");
			break;
		}
		if (xsize >= 0 && type != 'x' && type != 'g' && type != 'L' && type != 'K')
			size = xsize;
		if (type == '1' || type == '2' || type == '5')
			size = 0;           /* no data follows these */
		if ((uint64_t)size > len - off - TAR_BLOCK) {
			char what[160];

			snprintf(what, sizeof(what), "truncated: member needs %lld bytes, %llu left",
				 (long long)size, (unsigned long long)(len - off - TAR_BLOCK));
			r = fail(b->err, off, name, nlen, what);
			break;
		}
		d = h + TAR_BLOCK;
		blocks = ((size_t)size + TAR_BLOCK - 1) / TAR_BLOCK;
		if ((uint64_t)blocks * TAR_BLOCK > len - off - TAR_BLOCK) {
			r = fail(b->err, off, name, nlen, "truncated inside the last data block");
			break;
		}

		if (type == 'L' || type == 'K') {
			char **dst = type == 'L' ? &xpath : &xlink;
			size_t n = strnlen(d, (size_t)size);

			if (n >= PATH_MAX) {
				r = fail(b->err, off, name, nlen, "GNU long name too long");
				break;
			}
			free(*dst);
			*dst = malloc(n + 1);
			if (!*dst) {
				r = -ENOMEM;
				break;
			}
			memcpy(*dst, d, n);
			(*dst)[n] = '\0';
		} else if (type == 'x') {
			r = pax_parse(d, (size_t)size, &xpath, &xlink, &xsize, &bad);
			if (r == -EBADMSG)
				fail(b->err, off, name, nlen, bad);
			if (r < 0)
				break;
		} else if (type == 'g') {
			/* Global pax header: nothing fragscope needs. */
		} else {
			const char *src = xpath ? xpath : name;
			size_t slen = xpath ? strlen(xpath) : nlen;
			int64_t mode = number(h + 100, 8);

			switch (type) {
			case '0': case '\0': case '7':
				m.type = TAR_REG;
				break;
			case '5':
				m.type = TAR_DIR;
				break;
			case '2':
			case '1':
				m.type = TAR_SYMLINK;   /* '1' is resolved in link_hard() */
				break;
			case '3': case '4': case '6': {
				r = fail(b->err, off, src, slen, type == '6' ? "a FIFO member is not supported" :
					 "a device member is not supported");
				goto out;
			}
			default: {
				char what[64];

				snprintf(what, sizeof(what), "unknown member type '%c'",
					 type >= 0x20 && type < 0x7f ? type : '?');
				r = fail(b->err, off, src, slen, what);
				goto out;
			}
			}
			m.mode = mode < 0 ? 0 : (unsigned)(mode & 07777);
			m.path = normalise(src, slen, &bad);
			if (!m.path) {
				r = bad ? fail(b->err, off, src, slen, bad) : -ENOMEM;
				goto out;
			}
			if (!m.path[0] && m.type != TAR_DIR) {
				free(m.path);
				r = fail(b->err, off, src, slen, "empty member name");
				goto out;
			}
			if (type == '1' || type == '2') {
				size_t ln = strnlen(h + 157, 100);

				m.link = xlink ? xlink : malloc(ln + 1);
				if (!m.link) {
					free(m.path);
					r = -ENOMEM;
					goto out;
				}
				if (!xlink) {
					memcpy(m.link, h + 157, ln);
					m.link[ln] = '\0';
				}
				xlink = NULL;
				if (!m.link[0]) {
					member_free(&m);
					r = fail(b->err, off, src, slen, "link with an empty target");
					goto out;
				}
				/* Marks a hard link until link_hard() makes it a copy. */
				m.size = type == '1' ? UINT64_MAX : 0;
			} else if (m.type == TAR_REG) {
				m.data = d;
				m.size = (uint64_t)size;
			}
			if (!m.path[0]) {
				free(m.path);           /* "./": the root itself */
			} else if ((r = push(b, m, off)) < 0) {
				member_free(&m);
				goto out;
			}
			free(xpath);
			free(xlink);
			xpath = xlink = NULL;
			xsize = -1;
		}
		off += TAR_BLOCK + (uint64_t)blocks * TAR_BLOCK;
	}
out:
	free(xpath);
	free(xlink);
	return r;
}

/* Hard links become copies of the last earlier regular member they name. */
static int link_hard(struct builder *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct tar_member *m = &b->r[i].m;
		const char *bad;
		char *target;
		bool found = false;

		if (m->type != TAR_SYMLINK || m->size != UINT64_MAX)
			continue;
		target = normalise(m->link, strlen(m->link), &bad);
		if (!target)
			return bad ? fail(b->err, b->r[i].off, m->path, strlen(m->path), bad) : -ENOMEM;
		for (size_t k = i; k-- > 0;) {
			const struct tar_member *t = &b->r[k].m;

			if (strcmp(t->path, target) == 0) {
				if (t->type == TAR_REG) {
					m->type = TAR_REG;
					m->data = t->data;
					m->size = t->size;
					free(m->link);
					m->link = NULL;
					found = true;
				}
				break;
			}
		}
		free(target);
		if (!found)
			return fail(b->err, b->r[i].off, m->path, strlen(m->path),
				    "hard link to a member that is not an earlier regular file");
	}
	return 0;
}

static bool snapshot_top(const char *c, size_t n)
{
	return (n == 4 && !memcmp(c, "proc", 4)) || (n == 3 && !memcmp(c, "sys", 3)) ||
	       (n == 3 && !memcmp(c, "etc", 3)) ||
	       (n == 23 && !memcmp(c, "fragscope-snapshot.json", 23));
}

/* "snap/proc/meminfo" for every member: read it as "proc/meminfo". */
static size_t strip_top(struct builder *b)
{
	size_t top = 0;
	bool deeper = false;

	if (!b->n)
		return 0;
	top = strcspn(b->r[0].m.path, "/");
	if (snapshot_top(b->r[0].m.path, top))
		return 0;
	for (size_t i = 0; i < b->n; i++) {
		const char *p = b->r[i].m.path;

		if (strncmp(p, b->r[0].m.path, top) || (p[top] && p[top] != '/'))
			return 0;
		deeper |= p[top] == '/';
	}
	if (!deeper)
		return 0;
	for (size_t i = 0; i < b->n; i++) {
		char *p = b->r[i].m.path;

		if (p[top])
			memmove(p, p + top + 1, strlen(p + top + 1) + 1);
		else
			p[0] = '\0';        /* the top directory: becomes the root */
	}
	return top;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_member(const void *a, const void *b)
{
	return strcmp(((const struct tar_member *)a)->path, ((const struct tar_member *)b)->path);
}

const struct tar_member *tar_find(const struct tar *t, const char *path)
{
	struct tar_member key = { .path = (char *)path };

	return bsearch(&key, t->m, t->n, sizeof(*t->m), cmp_member);
}

int tar_index(const char *data, size_t len, struct tar *ret, struct tar_error *err)
{
	struct builder b = { .err = err };
	struct tar t = { 0 };
	size_t keep = 0, ndirs = 0;
	int r;

	if (err)
		memset(err, 0, sizeof(*err));
	r = scan(&b, data, len);
	if (!r)
		r = link_hard(&b);
	if (r < 0)
		goto fail;
	t.stripped = strip_top(&b);

	/* Sort; keep the last of equal paths; drop the root's own entry. */
	if (b.n)
		qsort(b.r, b.n, sizeof(*b.r), cmp_raw);
	for (size_t i = 0; i < b.n; i++) {
		if (!b.r[i].m.path[0] || (i + 1 < b.n && !strcmp(b.r[i].m.path, b.r[i + 1].m.path))) {
			member_free(&b.r[i].m);
			continue;
		}
		b.r[keep++] = b.r[i];
	}
	b.n = keep;
	/* Room for the root and every implied directory (at most one per '/'). */
	for (size_t i = 0; i < b.n; i++)
		for (const char *p = b.r[i].m.path; *p; p++)
			ndirs += *p == '/';
	t.m = calloc(b.n + ndirs + 1, sizeof(*t.m));
	if (!t.m) {
		r = -ENOMEM;
		goto fail;
	}
	t.m[t.n].path = calloc(1, 1);
	if (!t.m[t.n].path) {
		r = -ENOMEM;
		goto fail;
	}
	t.m[t.n].type = TAR_DIR;
	t.m[t.n++].mode = 0755;
	for (size_t i = 0; i < b.n; i++) {
		t.m[t.n++] = b.r[i].m;
		b.r[i].m.path = b.r[i].m.link = NULL;
	}
	/* Add the parents no member names, then check every parent is a directory. */
	{
		size_t nexplicit = t.n, np = 0;
		char **pre = calloc(ndirs ? ndirs : 1, sizeof(*pre));

		if (!pre) {
			r = -ENOMEM;
			goto fail;
		}
		qsort(t.m, t.n, sizeof(*t.m), cmp_member);
		for (size_t i = 0; i < nexplicit && !r; i++) {
			const char *p = t.m[i].path, *q = i ? t.m[i - 1].path : "";
			size_t common = 0;

			/* In sorted order most prefixes are the previous path's:
			 * those were collected already (or are that member). */
			while (p[common] && p[common] == q[common])
				common++;
			for (const char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
				size_t dl = (size_t)(s - p);

				if (dl <= common && (q[dl] == '/' || q[dl] == '\0'))
					continue;
				pre[np] = strndup(p, dl);
				if (!pre[np]) {
					r = -ENOMEM;
					break;
				}
				np++;
			}
		}
		if (np)
			qsort(pre, np, sizeof(*pre), cmp_str);
		for (size_t i = 0; i < np; i++) {
			if (r || (i + 1 < np && !strcmp(pre[i], pre[i + 1])) ||
			    tar_find(&(struct tar){ .m = t.m, .n = nexplicit }, pre[i])) {
				free(pre[i]);
				continue;
			}
			t.m[t.n].path = pre[i];
			t.m[t.n].type = TAR_DIR;
			t.m[t.n++].mode = 0755;
		}
		free(pre);
		if (r < 0)
			goto fail;
		qsort(t.m, t.n, sizeof(*t.m), cmp_member);
	}
	{
		const char *last = NULL;     /* the parent checked last */
		size_t lastlen = 0;

		for (size_t i = 1; i < t.n; i++) {
			const char *p = t.m[i].path, *s = strrchr(p, '/');
			const struct tar_member *parent;
			char *dir;

			if (!s)
				continue;
			if (last && (size_t)(s - p) == lastlen && !memcmp(p, last, lastlen))
				continue;
			dir = strndup(p, (size_t)(s - p));
			if (!dir) {
				r = -ENOMEM;
				goto fail;
			}
			parent = tar_find(&t, dir);
			free(dir);
			if (!parent || parent->type != TAR_DIR) {
				r = fail(err, 0, p, strlen(p), "its parent in the archive is not a directory");
				goto fail;
			}
			last = p;
			lastlen = (size_t)(s - p);
		}
	}
	free(b.r);
	*ret = t;
	return 0;
fail:
	for (size_t i = 0; i < b.n; i++)
		member_free(&b.r[i].m);
	free(b.r);
	tar_free(&t);
	return r;
}

void tar_free(struct tar *t)
{
	if (!t->m)
		return;
	for (size_t i = 0; i < t->n; i++)
		member_free(&t->m[i]);
	free(t->m);
	t->m = NULL;
	t->n = 0;
}

int tar_resolve(const struct tar *t, const char *beneath, const char *path, int follow_last,
		const struct tar_member **ret)
{
	char cur[PATH_MAX], rest[PATH_MAX], tmp[PATH_MAX];
	size_t base = beneath ? strlen(beneath) : 0;
	int hops = 0;

	if (base >= sizeof(cur) || strlen(path) >= sizeof(rest))
		return -ENAMETOOLONG;
	memcpy(cur, beneath ? beneath : "", base + 1);
	memcpy(rest, path, strlen(path) + 1);
	if (beneath && rest[0] == '/')
		return -EXDEV;
	for (;;) {
		const struct tar_member *m;
		const char *p = rest, *after;
		size_t n, clen = strlen(cur);
		bool more;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		n = strcspn(p, "/");
		after = p + n;
		more = after[strspn(after, "/")] != '\0';
		if (n == 1 && p[0] == '.') {
			memmove(rest, after, strlen(after) + 1);
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (clen <= base) {
				if (beneath)
					return -EXDEV;
			} else {
				char *s = strrchr(cur, '/');

				*(s && (size_t)(s - cur) >= base ? s : cur + base) = '\0';
			}
			memmove(rest, after, strlen(after) + 1);
			continue;
		}
		if (clen + 1 + n >= sizeof(cur))
			return -ENAMETOOLONG;
		memcpy(tmp, cur, clen);
		if (clen)
			tmp[clen++] = '/';
		memcpy(tmp + clen, p, n);
		tmp[clen + n] = '\0';
		m = tar_find(t, tmp);
		if (!m)
			return -ENOENT;
		if (m->type == TAR_SYMLINK && (more || follow_last)) {
			size_t ll = strlen(m->link), al = strlen(after);

			if (++hops > MAX_LINKS)
				return -ELOOP;
			if (m->link[0] == '/') {
				if (beneath)
					return -EXDEV;
				cur[0] = '\0';
			}
			if (ll + al >= sizeof(tmp))
				return -ENAMETOOLONG;
			memcpy(tmp, m->link, ll);
			memcpy(tmp + ll, after, al + 1);
			memcpy(rest, tmp, ll + al + 1);
			continue;
		}
		if (more && m->type != TAR_DIR)
			return -ENOTDIR;
		memcpy(cur, tmp, strlen(tmp) + 1);
		memmove(rest, after, strlen(after) + 1);
	}
	*ret = tar_find(t, cur);
	return *ret ? 0 : -ENOENT;
}

int tar_children(const struct tar *t, const struct tar_member *d,
		  int (*fn)(const struct tar_member *child, const char *name, void *arg), void *arg)
{
	size_t plen = strlen(d->path), lo = 1, hi = t->n;
	int r = 0;
	char *prefix = malloc(plen + 2);

	if (!prefix)
		return -ENOMEM;
	memcpy(prefix, d->path, plen);
	prefix[plen] = '/';
	prefix[plen + 1] = '\0';
	if (plen) {
		plen++;
		/* Lower bound of "PATH/": its subtree is contiguous from there. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(t->m[mid].path, prefix) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	for (size_t i = lo; i < t->n; i++) {
		const char *p = t->m[i].path;

		if (plen && strncmp(p, prefix, plen))
			break;
		if (!p[plen] || strchr(p + plen, '/'))
			continue;
		r = fn(&t->m[i], p + plen, arg);
		if (r)
			break;
	}
	free(prefix);
	return r;
}

static void octal(char *f, size_t n, uint64_t v)
{
	snprintf(f, n, "%0*llo", (int)n - 1, (unsigned long long)v);
}

int tar_header(char block[TAR_BLOCK], const char *path, enum tar_type type, unsigned mode,
	       uint64_t size, const char *link, uint64_t mtime)
{
	char full[PATH_MAX];
	size_t n, split = 0;
	unsigned sum = 0;

	n = (size_t)snprintf(full, sizeof(full), "%s%s", path, type == TAR_DIR ? "/" : "");
	if (n >= sizeof(full))
		return -ENAMETOOLONG;
	memset(block, 0, TAR_BLOCK);
	if (n > 100) {
		/* prefix "/" name: the first '/' that leaves at most 100 for the name. */
		for (const char *s = strchr(full, '/'); s; s = strchr(s + 1, '/')) {
			if (n - (size_t)(s - full) - 1 <= 100 && s[1]) {
				split = (size_t)(s - full);
				break;
			}
		}
		if (!split || split > 155)
			return -ENAMETOOLONG;
		memcpy(block + 345, full, split);
		memcpy(block, full + split + 1, n - split - 1);
	} else {
		memcpy(block, full, n);
	}
	if (link) {
		if (strlen(link) > 100)
			return -ENAMETOOLONG;
		memcpy(block + 157, link, strlen(link));
	}
	octal(block + 100, 8, mode & 07777);
	octal(block + 108, 8, 0);
	octal(block + 116, 8, 0);
	if (size < (UINT64_C(1) << 33)) {
		octal(block + 124, 12, size);
	} else {
		block[124] = (char)0x80;
		for (int i = 11; i >= 4; i--, size >>= 8)
			block[124 + i] = (char)(size & 0xff);
	}
	octal(block + 136, 12, mtime < (UINT64_C(1) << 33) ? mtime : 0);
	block[156] = type == TAR_DIR ? '5' : type == TAR_SYMLINK ? '2' : '0';
	memcpy(block + 257, "ustar", 6);
	memcpy(block + 263, "00", 2);
	memcpy(block + 265, "root", 4);
	memcpy(block + 297, "root", 4);
	octal(block + 329, 8, 0);
	octal(block + 337, 8, 0);
	memset(block + 148, ' ', 8);
	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += (unsigned char)block[i];
	snprintf(block + 148, 8, "%06o", sum);
	block[155] = ' ';
	return 0;
}

/*
 * json.c - the streaming JSON writer behind every -J/--json output (see
 * json.h for the contract).
 *
 * The writer keeps a small stack with one entry per open container (is it
 * an object, how many members so far) plus a "key written, value due"
 * flag; every value first calls value_begin(), which works out the
 * comma, newline and indentation before it or detects misuse.  Output
 * goes straight into the FILE: stdio already buffers, and the separator
 * and the value are queued together in a 64 KiB buffer that goes to the
 * FILE when full, at json_finish() and at json_free().
 *
 * Strings are escaped by json_escape() into a scratch buffer and written
 * and queued one chunk at a time.  Long strings are cut into chunks of
 * ESC_CHUNK input bytes at a point that never splits a UTF-8 sequence, so
 * memory stays bounded whatever the string length.
 *
 * After a successful json_finish() the writer is ready for the next
 * document; that is how live views write one object per line (NDJSON).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "json.h"
#include "../util/util.h"

/* Input bytes escaped per chunk for long strings. */
#define ESC_CHUNK 4096
/* Strings up to this length that need no escaping skip the scratch buffer. */
#define SMALL_STR 128

struct json {
	FILE *f;
	bool pretty;
	int error;              /* 0, -EINVAL (misuse) or -ENOMEM; sticky */
	bool key_pending;       /* inside an object, a key was written */
	bool done;              /* the top-level value is complete */
	unsigned depth;         /* open containers */
	bool is_object[JSON_MAX_DEPTH];
	size_t count[JSON_MAX_DEPTH]; /* members or elements written so far */
	struct buf esc;         /* scratch for escaped strings */
	unsigned long flushes;  /* writes to f so far (json_mark) */
	size_t nout;            /* bytes waiting in out[] */
	char out[JSON_BUF];     /* output, written to f when full and at the end */
};

static const char spaces[2 * JSON_MAX_DEPTH + 1] =
	"                                                                "
	"                                                                ";

static const char hexdigits[] = "0123456789abcdef";

struct json *json_new(FILE *f, bool pretty)
{
	struct json *j;

	if (!f)
		return NULL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	/* The output buffer is written through at once: its pages now. */
	mem_prefault(j->out, sizeof(j->out));
	j->f = f;
	j->pretty = pretty;
	return j;
}

/* Write what out[] holds to the FILE. */
static void out_flush(struct json *j)
{
	if (j->nout) {
		fwrite(j->out, 1, j->nout, j->f);
		j->flushes++;
	}
	j->nout = 0;
}

/* Queue n bytes for the FILE: one stdio call per 64 KiB, not per value. */
static void emit(struct json *j, const void *p, size_t n)
{
	if (n > sizeof(j->out) - j->nout) {
		out_flush(j);
		if (n > sizeof(j->out)) {
			fwrite(p, 1, n, j->f);
			j->flushes++;
			return;
		}
	}
	memcpy(j->out + j->nout, p, n);
	j->nout += n;
}

void json_free(struct json *j)
{
	if (!j)
		return;
	out_flush(j);
	buf_free(&j->esc);
	free(j);
}

static void json_misuse(struct json *j)
{
	if (!j->error)
		j->error = -EINVAL;
}

/* Longest separator: ',' '\n' and two spaces per level. */
#define SEP_MAX (2 + 2 * JSON_MAX_DEPTH)

/* Put the comma, newline and indentation that precede a new member or
 * element at the current depth into sep; returns its length. */
static size_t separator(struct json *j, char *sep)
{
	size_t n = 0;

	if (j->count[j->depth - 1]++)
		sep[n++] = ',';
	if (j->pretty) {
		sep[n++] = '\n';
		memcpy(sep + n, spaces, 2 * (size_t)j->depth);
		n += 2 * (size_t)j->depth;
	}
	return n;
}

/*
 * Prepare for a value: check that one may appear here and store the
 * separator to write before it in sep[0..*nsep) (sep holds SEP_MAX).
 * Callers write separator and value with one call, which halves the
 * stdio calls per array element.  false on misuse or after an earlier
 * error; then nothing is to be written.
 */
static bool value_begin(struct json *j, char *sep, size_t *nsep)
{
	*nsep = 0;
	if (!j || j->error)
		return false;
	if (j->depth == 0) {
		if (j->done) {
			json_misuse(j);
			return false;
		}
		return true;
	}
	if (j->is_object[j->depth - 1]) {
		if (!j->key_pending) {
			json_misuse(j);
			return false;
		}
		j->key_pending = false;
		return true;
	}
	*nsep = separator(j, sep);
	return true;
}

/* Write separator and a short literal value in one call. */
static void write_scalar(struct json *j, char *sep, size_t nsep,
			 const char *v, size_t n)
{
	memcpy(sep + nsep, v, n);
	emit(j, sep, nsep + n);
}

/* A scalar or a container was completed at the current depth. */
static void value_end(struct json *j)
{
	if (j->depth == 0)
		j->done = true;
}

static void begin(struct json *j, bool object)
{
	char sep[SEP_MAX + 1];
	size_t nsep;

	if (j && j->depth >= JSON_MAX_DEPTH)
		json_misuse(j);
	if (!value_begin(j, sep, &nsep))
		return;
	j->is_object[j->depth] = object;
	j->count[j->depth] = 0;
	j->depth++;
	write_scalar(j, sep, nsep, object ? "{" : "[", 1);
}

static void end(struct json *j, bool object)
{
	char sep[SEP_MAX + 1];
	size_t nsep = 0;

	if (!j || j->error)
		return;
	if (j->depth == 0 || j->is_object[j->depth - 1] != object ||
	    j->key_pending) {
		json_misuse(j);
		return;
	}
	j->depth--;
	/* Empty containers stay "{}" and "[]" in pretty mode too. */
	if (j->pretty && j->count[j->depth]) {
		sep[nsep++] = '\n';
		memcpy(sep + nsep, spaces, 2 * (size_t)j->depth);
		nsep += 2 * (size_t)j->depth;
	}
	write_scalar(j, sep, nsep, object ? "}" : "]", 1);
	value_end(j);
}

void json_begin_object(struct json *j)
{
	begin(j, true);
}

void json_end_object(struct json *j)
{
	end(j, true);
}

void json_begin_array(struct json *j)
{
	begin(j, false);
}

void json_end_array(struct json *j)
{
	end(j, false);
}

/* Bytes copied as they are: printable ASCII except '"' and '\\'. */
static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* json_plain() as a table, for the copy loop of the fast path. */
#define P16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char plain_table[256] = {
	[0x20] = 1, 1, 0 /* '"' */, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x30] = P16, P16,
	[0x50] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* '\\' */, 1, 1, 1,
	[0x60] = P16,
	[0x70] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* DEL */,
};
#undef P16

/* A continuation byte 10xxxxxx. */
static bool is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * Write sep, then s[0..n) quoted and escaped, then suffix (": " after a
 * key), queued one chunk at a time.  Input is cut into chunks of about
 * ESC_CHUNK bytes; a cut is moved forward past at most three continuation
 * bytes, which is enough never to split a valid sequence or a maximal
 * invalid subpart (both only ever extend over continuation bytes, at
 * most three after their lead byte).
 */
static void write_quoted(struct json *j, const char *sep, size_t nsep,
			 const char *s, size_t n, const char *suffix, size_t nsuffix)
{
	struct buf *b = &j->esc;
	size_t off = 0, i;

	/* Fast path: a short string that needs no escaping (most names
	 * and keys) is copied straight into the output buffer, checked as
	 * it is copied. */
	if (n <= SMALL_STR) {
		size_t need = nsep + n + 2 + nsuffix;
		char *p;

		if (need > sizeof(j->out) - j->nout)
			out_flush(j);
		p = j->out + j->nout;
		memcpy(p, sep, nsep);
		p += nsep;
		*p++ = '"';
		for (i = 0; i < n && plain_table[(unsigned char)s[i]]; i++)
			p[i] = s[i];
		if (i == n) {
			p += n;
			*p++ = '"';
			memcpy(p, suffix, nsuffix);
			j->nout += need;
			return;
		}
	}

	buf_reset(b);
	if (buf_append(b, sep, nsep) < 0 || buf_append(b, "\"", 1) < 0)
		goto nomem;
	for (;;) {
		size_t len = n - off, k;

		if (len > ESC_CHUNK) {
			len = ESC_CHUNK;
			for (k = 0; k < 3 && off + len < n &&
			     is_cont((unsigned char)s[off + len]); k++)
				len++;
		}
		if (json_escape(s + off, len, b) < 0)
			goto nomem;
		off += len;
		if (off == n)
			break;
		emit(j, b->data, b->len);
		buf_reset(b);
	}
	if (buf_append(b, "\"", 1) < 0 || buf_append(b, suffix, nsuffix) < 0)
		goto nomem;
	emit(j, b->data, b->len);
	return;
nomem:
	if (!j->error)
		j->error = -ENOMEM;
}

void json_key(struct json *j, const char *key)
{
	char sep[SEP_MAX];
	size_t nsep;

	if (!j || j->error)
		return;
	if (!key || j->depth == 0 || !j->is_object[j->depth - 1] ||
	    j->key_pending) {
		json_misuse(j);
		return;
	}
	nsep = separator(j, sep);
	write_quoted(j, sep, nsep, key, strlen(key), j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->key_pending = true;
}

void json_string_len(struct json *j, const char *s, size_t n)
{
	char sep[SEP_MAX];
	size_t nsep;

	if (!s) {
		json_null(j);
		return;
	}
	if (!value_begin(j, sep, &nsep))
		return;
	write_quoted(j, sep, nsep, s, n, "", 0);
	value_end(j);
}

void json_string(struct json *j, const char *s)
{
	json_string_len(j, s, s ? strlen(s) : 0);
}

/* Room for a separator, a '-' and 20 digits. */
#define NUM_MAX (SEP_MAX + 21)

static void write_number(struct json *j, uint64_t mag, bool neg)
{
	char sep[SEP_MAX], tmp[NUM_MAX], *p;
	size_t nsep;

	if (!value_begin(j, sep, &nsep))
		return;
	p = fmt_u64_rev(tmp + sizeof(tmp), mag);
	if (neg)
		*--p = '-';
	/* Put the separator right before the digits: one copy. */
	p -= nsep;
	memcpy(p, sep, nsep);
	emit(j, p, (size_t)(tmp + sizeof(tmp) - p));
	value_end(j);
}

void json_u64(struct json *j, uint64_t v)
{
	write_number(j, v, false);
}

void json_i64(struct json *j, int64_t v)
{
	/* 0 - (uint64_t)v is the magnitude, also for INT64_MIN. */
	write_number(j, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void json_double(struct json *j, double v, int decimals)
{
	/* %f never uses an exponent: DBL_MAX has 309 integer digits. */
	char tmp[400], out[SEP_MAX + 400];
	size_t i, o;
	bool point = false;
	int n;

	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	if (!value_begin(j, out, &o))
		return;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 17)
		decimals = 17;
	n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		n = 0;
	/* LC_NUMERIC may make the decimal point "," or even a multi-byte
	 * character: keep the digits and sign, turn the rest into one '.'. */
	for (i = 0; i < (size_t)n; i++) {
		char c = tmp[i];

		if ((c >= '0' && c <= '9') || c == '-') {
			out[o++] = c;
		} else if (!point) {
			out[o++] = '.';
			point = true;
		}
	}
	if (n == 0) {
		memcpy(out + o, "null", 4);
		o += 4;
	}
	emit(j, out, o);
	value_end(j);
}

void json_bool(struct json *j, bool v)
{
	char sep[SEP_MAX + 5];
	size_t nsep;

	if (!value_begin(j, sep, &nsep))
		return;
	if (v)
		write_scalar(j, sep, nsep, "true", 4);
	else
		write_scalar(j, sep, nsep, "false", 5);
	value_end(j);
}

void json_null(struct json *j)
{
	char sep[SEP_MAX + 4];
	size_t nsep;

	if (!value_begin(j, sep, &nsep))
		return;
	write_scalar(j, sep, nsep, "null", 4);
	value_end(j);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kv_i64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_i64(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

/*
 * A raw value: compact JSON text from the caller, copied as it is, or in
 * pretty mode re-indented as the writer would have laid it out (a
 * newline and two spaces per level before each member or element and
 * before a closing bracket; ": " after a key; empty containers stay
 * "{}" and "[]").  Outside strings the text has no blanks.
 */
static void raw_pretty(struct json *j, const char *s, size_t n)
{
	unsigned depth = j->depth;
	size_t i = 0, start = 0;

	while (i < n) {
		char c = s[i];

		if (c == '"') {
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
			continue;
		}
		if ((c == '{' || c == '[') && i + 1 < n && (s[i + 1] == '}' || s[i + 1] == ']')) {
			i += 2;
			continue;
		}
		if (c == '{' || c == '[' || c == ',') {
			if (c != ',')
				depth++;
			emit(j, s + start, i + 1 - start);
			emit(j, "\n", 1);
			emit(j, spaces, 2 * (size_t)(depth < JSON_MAX_DEPTH ? depth : JSON_MAX_DEPTH));
			start = ++i;
			continue;
		}
		if (c == '}' || c == ']') {
			depth--;
			emit(j, s + start, i - start);
			emit(j, "\n", 1);
			emit(j, spaces, 2 * (size_t)(depth < JSON_MAX_DEPTH ? depth : JSON_MAX_DEPTH));
			start = i++;
			continue;
		}
		if (c == ':') {
			emit(j, s + start, i + 1 - start);
			emit(j, " ", 1);
			start = ++i;
			continue;
		}
		i++;
	}
	emit(j, s + start, n - start);
}

void json_raw(struct json *j, const char *s, size_t n)
{
	char sep[SEP_MAX];
	size_t nsep;

	if (!value_begin(j, sep, &nsep))
		return;
	if (nsep + n <= sizeof(j->out) - j->nout) {
		memcpy(j->out + j->nout, sep, nsep);
		j->nout += nsep;
		if (!j->pretty) {
			memcpy(j->out + j->nout, s, n);
			j->nout += n;
			value_end(j);
			return;
		}
	} else {
		emit(j, sep, nsep);
	}
	if (j->pretty)
		raw_pretty(j, s, n);
	else
		emit(j, s, n);
	value_end(j);
}

void json_mark(const struct json *j, struct json_mark *m)
{
	memset(m, 0, sizeof(*m));
	if (!j)
		return;
	m->flushes = j->flushes;
	m->nout = j->nout;
	m->depth = j->depth;
	m->count = j->depth ? j->count[j->depth - 1] : 0;
	m->key_pending = j->key_pending;
	m->done = j->done;
	m->error = j->error;
}

bool json_rollback(struct json *j, const struct json_mark *m)
{
	if (!j || j->flushes != m->flushes || j->depth < m->depth)
		return false;
	j->nout = m->nout;
	j->depth = m->depth;
	if (m->depth)
		j->count[m->depth - 1] = m->count;
	j->key_pending = m->key_pending;
	j->done = m->done;
	j->error = m->error;
	return true;
}

int json_finish(struct json *j)
{
	if (!j)
		return -EINVAL;
	if (j->error)
		return j->error;
	if (j->depth || j->key_pending || !j->done) {
		json_misuse(j);
		return j->error;
	}
	emit(j, "\n", 1);
	out_flush(j);
	fflush(j->f);
	/* Ready for the next document (one object per line). */
	j->done = false;
	return 0;
}

/*
 * Length of the UTF-8 sequence at p[0..n) (p[0] >= 0x80).  Sets *ok and
 * returns the sequence length when it is valid (shortest form, not a
 * surrogate, at most U+10FFFF); otherwise clears *ok and returns the
 * length of the maximal invalid subpart: the lead byte plus the
 * continuation bytes that could still have started a valid sequence
 * (Unicode 15, section 3.9, "U+FFFD substitution of maximal subparts").
 */
static size_t utf8_seq(const unsigned char *p, size_t n, bool *ok)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	*ok = false;
	if (c < 0xc2 || c > 0xf4)
		return 1;
	if (c < 0xe0) {
		need = 1;
	} else if (c < 0xf0) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0;      /* overlong below U+0800 */
		else if (c == 0xed)
			hi = 0x9f;      /* surrogates U+D800-DFFF */
	} else {
		need = 3;
		if (c == 0xf0)
			lo = 0x90;      /* overlong below U+10000 */
		else if (c == 0xf4)
			hi = 0x8f;      /* above U+10FFFF */
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || p[i] < lo || p[i] > hi)
			return i;
		lo = 0x80;
		hi = 0xbf;
	}
	*ok = true;
	return need + 1;
}

int json_escape(const char *s, size_t n, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0;
	int r;

	/* Most strings need no escaping: one allocation up front. */
	r = buf_reserve(out, n + 2);
	if (r < 0)
		return r;
	while (i < n) {
		unsigned char c = u[i];
		char e[6];
		size_t elen;
		bool ok;

		if (json_plain(c)) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t l = utf8_seq(u + i, n - i, &ok);

			if (ok) {
				i += l;
				continue;
			}
			r = buf_append(out, s + start, i - start);
			if (r < 0)
				return r;
			r = buf_append(out, "\\ufffd", 6);
			if (r < 0)
				return r;
			i += l;
			start = i;
			continue;
		}
		e[0] = '\\';
		elen = 2;
		switch (c) {
		case '"':  e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hexdigits[c >> 4];
			e[5] = hexdigits[c & 0xf];
			elen = 6;
			break;
		}
		r = buf_append(out, s + start, i - start);
		if (r < 0)
			return r;
		r = buf_append(out, e, elen);
		if (r < 0)
			return r;
		i++;
		start = i;
	}
	return buf_append(out, s + start, i - start);
}

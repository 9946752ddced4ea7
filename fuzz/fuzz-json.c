/*
 * fuzz-json.c - libFuzzer harness for the JSON writer (render/json.c).
 *
 * The input is a little program of writer calls.  Byte 0 holds flags;
 * every later byte is an opcode, some followed by arguments:
 *
 *	op % 13: 0 begin_object  1 end_object  2 begin_array  3 end_array
 *	         4 key STR  5 string_len STR  6 u64 N8  7 i64 N8
 *	         8 double N8 DEC  9 bool B  10 null  11 string (C string) STR
 *	         12 string NULL
 *	STR: one length byte (0xff: two more bytes, a length up to 65535,
 *	     to cross the writer's 4 KiB escape chunks), then the bytes.
 *
 * Flag bit 0 selects "legal" mode: a shadow model of the JSON grammar
 * repairs every call into a legal one (adds a key before a value in an
 * object, closes what is open at the end, ...), so the document must
 * come out complete.  Otherwise calls are made exactly as written and
 * the shadow model predicts whether json_finish() reports misuse.
 *
 * Every program runs twice, compact and pretty.  Oracles (abort() on
 * failure):
 *   - json_finish() returns 0 exactly when the shadow model says the
 *     call sequence was legal and complete;
 *   - a complete document is strict RFC 8259 JSON (own validator below:
 *     grammar, escapes, no raw control bytes, valid UTF-8 with no
 *     surrogates), one value followed by exactly one '\n';
 *   - the compact form has no whitespace outside strings, and the pretty
 *     form equals it once whitespace outside strings is removed;
 *   - the scalars read back equal the ones written, in order: integers
 *     digit for digit, strings byte for byte when the input was valid
 *     UTF-8 (else they must contain U+FFFD);
 *   - even a misused writer's output is valid UTF-8 with no control
 *     bytes other than the layout's newlines;
 *   - json_escape() of the whole input is a valid JSON string body.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/json.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-json: %s\n", what);
	abort();
}

/* ---- independent UTF-8 check: decode and range-test each code point ---- */

static bool utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t c = s[i], min;
		size_t len, k;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2;
			c &= 0x1f;
			min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			c &= 0x0f;
			min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			c &= 0x07;
			min = 0x10000;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			c = c << 6 | (s[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* ---- expected scalars, recorded as the program runs ---- */

enum tok_kind { T_STRING, T_NUMBER, T_DOUBLE, T_LITERAL };

struct tok {
	enum tok_kind kind;
	bool exact;           /* T_STRING: input was valid UTF-8, compare bytes */
	struct buf text;      /* string bytes, or number / literal text */
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

static struct tok *toks_add(struct toks *t, enum tok_kind kind)
{
	struct tok *k;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct tok *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			fail("out of memory");
		t->v = v;
		t->cap = cap;
	}
	k = &t->v[t->n++];
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	return k;
}

static void toks_free(struct toks *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		buf_free(&t->v[i].text);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static void tok_text(struct toks *t, enum tok_kind kind, const char *s, size_t n)
{
	struct tok *k = toks_add(t, kind);

	if (buf_append(&k->text, s, n) < 0)
		fail("out of memory");
}

static void tok_string(struct toks *t, const char *s, size_t n)
{
	struct tok *k = toks_add(t, T_STRING);

	k->exact = utf8_valid((const uint8_t *)s, n);
	if (buf_append(&k->text, s, n) < 0)
		fail("out of memory");
}

/* ---- strict validator ---- */

struct val {
	const uint8_t *p, *end;
	unsigned depth;
	struct toks got;
	struct buf scratch;
};

static void v_ws(struct val *v)
{
	while (v->p < v->end && (*v->p == ' ' || *v->p == '\t' ||
				 *v->p == '\n' || *v->p == '\r'))
		v->p++;
}

static bool v_lit(struct val *v, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(v->end - v->p) < n || memcmp(v->p, lit, n) != 0)
		return false;
	v->p += n;
	tok_text(&v->got, T_LITERAL, lit, n);
	return true;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool v_hex4(struct val *v, uint32_t *ret)
{
	uint32_t c = 0;
	int i, h;

	if (v->end - v->p < 4)
		return false;
	for (i = 0; i < 4; i++) {
		h = hexval(v->p[i]);
		if (h < 0)
			return false;
		c = c << 4 | (uint32_t)h;
	}
	v->p += 4;
	*ret = c;
	return true;
}

static void put_utf8(struct buf *b, uint32_t c)
{
	char o[4];
	size_t n;

	if (c < 0x80) {
		o[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		o[0] = (char)(0xf0 | c >> 18);
		o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (buf_append(b, o, n) < 0)
		fail("out of memory");
}

/* A string; its decoded bytes are appended to v->got. */
static bool v_string(struct val *v)
{
	struct buf *d = &v->scratch;
	const uint8_t *start;
	struct tok *k;

	buf_reset(d);
	if (v->p >= v->end || *v->p != '"')
		return false;
	v->p++;
	for (;;) {
		uint8_t c;

		start = v->p;
		while (v->p < v->end && *v->p != '"' && *v->p != '\\' &&
		       *v->p >= 0x20)
			v->p++;
		if (buf_append(d, start, (size_t)(v->p - start)) < 0)
			fail("out of memory");
		if (v->p >= v->end)
			return false;
		c = *v->p++;
		if (c == '"')
			break;
		if (c < 0x20)
			return false;
		/* c == '\\' */
		if (v->p >= v->end)
			return false;
		c = *v->p++;
		switch (c) {
		case '"': case '\\': case '/':
			put_utf8(d, c);
			break;
		case 'b': put_utf8(d, '\b'); break;
		case 'f': put_utf8(d, '\f'); break;
		case 'n': put_utf8(d, '\n'); break;
		case 'r': put_utf8(d, '\r'); break;
		case 't': put_utf8(d, '\t'); break;
		case 'u': {
			uint32_t u, lo;

			if (!v_hex4(v, &u))
				return false;
			if (u >= 0xdc00 && u <= 0xdfff)
				return false;   /* lone low surrogate */
			if (u >= 0xd800 && u <= 0xdbff) {
				if (v->end - v->p < 2 || v->p[0] != '\\' ||
				    v->p[1] != 'u')
					return false;
				v->p += 2;
				if (!v_hex4(v, &lo) || lo < 0xdc00 || lo > 0xdfff)
					return false;
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			}
			put_utf8(d, u);
			break;
		}
		default:
			return false;
		}
	}
	k = toks_add(&v->got, T_STRING);
	if (buf_append(&k->text, d->data ? d->data : "", d->len) < 0)
		fail("out of memory");
	return true;
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool v_number(struct val *v)
{
	const uint8_t *s = v->p;
	bool frac = false;

	if (v->p < v->end && *v->p == '-')
		v->p++;
	if (v->p >= v->end || !is_digit(*v->p))
		return false;
	if (*v->p == '0') {
		v->p++;
	} else {
		while (v->p < v->end && is_digit(*v->p))
			v->p++;
	}
	if (v->p < v->end && *v->p == '.') {
		v->p++;
		frac = true;
		if (v->p >= v->end || !is_digit(*v->p))
			return false;
		while (v->p < v->end && is_digit(*v->p))
			v->p++;
	}
	if (v->p < v->end && (*v->p == 'e' || *v->p == 'E')) {
		v->p++;
		frac = true;
		if (v->p < v->end && (*v->p == '+' || *v->p == '-'))
			v->p++;
		if (v->p >= v->end || !is_digit(*v->p))
			return false;
		while (v->p < v->end && is_digit(*v->p))
			v->p++;
	}
	tok_text(&v->got, frac ? T_DOUBLE : T_NUMBER, (const char *)s,
		 (size_t)(v->p - s));
	return true;
}

static bool v_value(struct val *v);

static bool v_container(struct val *v, bool object)
{
	uint8_t close = object ? '}' : ']';

	if (++v->depth > JSON_MAX_DEPTH)
		return false;
	v->p++;
	v_ws(v);
	if (v->p < v->end && *v->p == close) {
		v->p++;
		v->depth--;
		return true;
	}
	for (;;) {
		v_ws(v);
		if (object) {
			if (!v_string(v))
				return false;
			v_ws(v);
			if (v->p >= v->end || *v->p != ':')
				return false;
			v->p++;
		}
		if (!v_value(v))
			return false;
		v_ws(v);
		if (v->p >= v->end)
			return false;
		if (*v->p == ',') {
			v->p++;
			continue;
		}
		if (*v->p != close)
			return false;
		v->p++;
		v->depth--;
		return true;
	}
}

static bool v_value(struct val *v)
{
	v_ws(v);
	if (v->p >= v->end)
		return false;
	switch (*v->p) {
	case '{':
		return v_container(v, true);
	case '[':
		return v_container(v, false);
	case '"':
		return v_string(v);
	case 't':
		return v_lit(v, "true");
	case 'f':
		return v_lit(v, "false");
	case 'n':
		return v_lit(v, "null");
	default:
		return v_number(v);
	}
}

/*
 * Validate a whole document: one value, then exactly "\n".  The scalars
 * read are left in v->got.
 */
static bool validate(const uint8_t *s, size_t n, struct val *v)
{
	memset(v, 0, sizeof(*v));
	v->p = s;
	v->end = s + n;
	if (!utf8_valid(s, n))
		return false;
	if (!v_value(v))
		return false;
	return v->end - v->p == 1 && *v->p == '\n';
}

static void val_free(struct val *v)
{
	toks_free(&v->got);
	buf_free(&v->scratch);
}

/* Bytes outside strings, with whitespace dropped. */
static void strip_ws(const uint8_t *s, size_t n, struct buf *out)
{
	bool in_str = false, esc = false;
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = s[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			continue;
		}
		if (buf_append(out, &c, 1) < 0)
			fail("out of memory");
	}
}

/* ---- running a program ---- */

struct prog {
	const uint8_t *p, *end;
};

static uint8_t get_u8(struct prog *g)
{
	return g->p < g->end ? *g->p++ : 0;
}

static uint64_t get_u64(struct prog *g)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)get_u8(g) << (8 * i);
	return v;
}

/* A string argument: points into the input, no copy. */
static const char *get_str(struct prog *g, size_t *ret_n)
{
	size_t n = get_u8(g), avail;
	const char *s;

	if (n == 0xff) {
		n = get_u8(g);
		n |= (size_t)get_u8(g) << 8;
	}
	avail = (size_t)(g->end - g->p);
	if (n > avail)
		n = avail;
	s = (const char *)g->p;
	g->p += n;
	*ret_n = n;
	return s;
}

/* The shadow model of the grammar. */
struct model {
	bool is_object[JSON_MAX_DEPTH + 1];
	unsigned depth;
	bool key_pending;
	bool done;
	bool misused;
	struct toks want;
};

/* May a value (scalar or container) be written now? */
static bool m_value_ok(const struct model *m)
{
	if (m->depth == 0)
		return !m->done;
	return !m->is_object[m->depth - 1] || m->key_pending;
}

static void m_value_done(struct model *m)
{
	if (m->depth == 0)
		m->done = true;
	else
		m->key_pending = false;
}

/* In legal mode, make room for a value: false if none can be written. */
static bool fix_value(struct model *m, struct json *j)
{
	if (m->depth == 0)
		return !m->done;
	if (m->is_object[m->depth - 1] && !m->key_pending) {
		json_key(j, "k");
		tok_string(&m->want, "k", 1);
		m->key_pending = true;
	}
	return true;
}

static void m_begin(struct model *m, struct json *j, bool legal, bool object)
{
	if (legal && (m->depth == JSON_MAX_DEPTH || !fix_value(m, j)))
		return;
	if (!m_value_ok(m) || m->depth == JSON_MAX_DEPTH)
		m->misused = true;
	if (object)
		json_begin_object(j);
	else
		json_begin_array(j);
	if (m->misused)
		return;
	m->key_pending = false;
	m->is_object[m->depth++] = object;
}

static void m_end(struct model *m, struct json *j, bool legal, bool object)
{
	if (legal) {
		if (m->depth == 0)
			return;
		if (m->key_pending) {
			json_null(j);
			tok_text(&m->want, T_LITERAL, "null", 4);
			m->key_pending = false;
		}
		object = m->is_object[m->depth - 1];
	}
	if (m->depth == 0 || m->is_object[m->depth - 1] != object ||
	    m->key_pending)
		m->misused = true;
	if (object)
		json_end_object(j);
	else
		json_end_array(j);
	if (m->misused)
		return;
	m->depth--;
	m_value_done(m);
}

static void m_key(struct model *m, struct json *j, bool legal,
		  const char *s, size_t n)
{
	/* As a C string the key ends at its first NUL, if any. */
	char *key = xstrndup(s, n);

	if (!key)
		fail("out of memory");
	if (legal && !(m->depth && m->is_object[m->depth - 1] &&
		       !m->key_pending)) {
		/* Not a place for a key: write it as a string value. */
		if (fix_value(m, j)) {
			json_string(j, key);
			tok_string(&m->want, key, strlen(key));
			m_value_done(m);
		}
		free(key);
		return;
	}
	if (!(m->depth && m->is_object[m->depth - 1] && !m->key_pending))
		m->misused = true;
	json_key(j, key);
	if (!m->misused) {
		tok_string(&m->want, key, strlen(key));
		m->key_pending = true;
	}
	free(key);
}

/* A scalar: check or repair, then the caller writes it and records it. */
static bool m_scalar(struct model *m, struct json *j, bool legal)
{
	if (legal && !fix_value(m, j))
		return false;
	if (!m_value_ok(m))
		m->misused = true;
	return true;
}

static void run(const uint8_t *data, size_t size, bool legal, struct json *j,
		struct model *m)
{
	struct prog g = { data, data + size };

	while (g.p < g.end) {
		uint8_t op = get_u8(&g) % 13;
		const char *s;
		char num[64];
		size_t n;
		uint64_t u;
		double d;
		int dec;
		bool b, record;

		switch (op) {
		case 0:
		case 1:
			if (op == 0)
				m_begin(m, j, legal, true);
			else
				m_end(m, j, legal, true);
			break;
		case 2:
		case 3:
			if (op == 2)
				m_begin(m, j, legal, false);
			else
				m_end(m, j, legal, false);
			break;
		case 4:
			s = get_str(&g, &n);
			m_key(m, j, legal, s, n);
			break;
		default:
			/* Read the arguments first, whatever happens. */
			s = NULL;
			n = 0;
			u = 0;
			d = 0;
			dec = 0;
			b = false;
			if (op == 5 || op == 11)
				s = get_str(&g, &n);
			else if (op == 6 || op == 7)
				u = get_u64(&g);
			else if (op == 8) {
				u = get_u64(&g);
				memcpy(&d, &u, sizeof(d));
				dec = (int8_t)get_u8(&g);
			} else if (op == 9)
				b = get_u8(&g) & 1;
			if (!m_scalar(m, j, legal))
				break;
			record = !m->misused;
			switch (op) {
			case 5:
				json_string_len(j, s, n);
				if (record)
					tok_string(&m->want, s, n);
				break;
			case 11: {
				char *c = xstrndup(s, n);

				if (!c)
					fail("out of memory");
				json_string(j, c);
				if (record)
					tok_string(&m->want, c, strlen(c));
				free(c);
				break;
			}
			case 6:
				json_u64(j, u);
				snprintf(num, sizeof(num), "%" PRIu64, u);
				if (record)
					tok_text(&m->want, T_NUMBER, num, strlen(num));
				break;
			case 7:
				json_i64(j, (int64_t)u);
				snprintf(num, sizeof(num), "%" PRId64, (int64_t)u);
				if (record)
					tok_text(&m->want, T_NUMBER, num, strlen(num));
				break;
			case 8:
				json_double(j, d, dec);
				if (record) {
					if (isfinite(d))
						tok_text(&m->want, T_DOUBLE, "", 0);
					else
						tok_text(&m->want, T_LITERAL, "null", 4);
				}
				break;
			case 9:
				json_bool(j, b);
				if (record)
					tok_text(&m->want, T_LITERAL, b ? "true" : "false",
						 b ? 4 : 5);
				break;
			case 10:
			case 12:
				if (op == 10)
					json_null(j);
				else
					json_string(j, NULL);
				if (record)
					tok_text(&m->want, T_LITERAL, "null", 4);
				break;
			}
			if (!m->misused)
				m_value_done(m);
			break;
		}
		if (m->done && legal)
			break;
	}
	if (legal) {
		while (m->depth)
			m_end(m, j, true, false);
		if (!m->done) {
			json_null(j);
			tok_text(&m->want, T_LITERAL, "null", 4);
			m->done = true;
		}
	}
}

static bool has_fffd(const struct buf *b)
{
	size_t i;

	for (i = 0; i + 3 <= b->len; i++)
		if (memcmp(b->data + i, "\xef\xbf\xbd", 3) == 0)
			return true;
	return false;
}

/* Compare what was written with what the validator read back. */
static void compare(const struct toks *want, const struct toks *got)
{
	size_t i;

	if (want->n != got->n)
		fail("number of scalars differs");
	for (i = 0; i < want->n; i++) {
		const struct tok *w = &want->v[i], *g = &got->v[i];

		if (w->kind == T_DOUBLE) {
			if (g->kind != T_DOUBLE && g->kind != T_NUMBER)
				fail("a double was not written as a number");
			continue;
		}
		if (w->kind != g->kind)
			fail("scalar kind differs");
		if (w->kind == T_STRING && !w->exact) {
			if (!has_fffd(&g->text))
				fail("invalid UTF-8 was not replaced by U+FFFD");
			continue;
		}
		if (w->text.len != g->text.len ||
		    (w->text.len &&
		     memcmp(w->text.data, g->text.data, w->text.len) != 0))
			fail("scalar read back differs from the one written");
	}
}

/* Output of a misused writer: still valid UTF-8, no raw controls. */
static void check_partial(const uint8_t *s, size_t n)
{
	size_t i;

	if (!utf8_valid(s, n))
		fail("partial output is not valid UTF-8");
	for (i = 0; i < n; i++)
		if ((s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f)
			fail("partial output holds a raw control byte");
}

/* Run the program with one layout; returns the output (malloc'd). */
static char *run_one(const uint8_t *data, size_t size, bool legal, bool pretty,
		     size_t *ret_len, bool *ret_ok, struct toks *ret_want)
{
	struct model m;
	struct json *j;
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	int rc;
	bool complete;

	memset(&m, 0, sizeof(m));
	f = open_memstream(&out, &len);
	if (!f)
		fail("open_memstream");
	j = json_new(f, pretty);
	if (!j)
		fail("json_new");
	run(data, size, legal, j, &m);
	rc = json_finish(j);
	json_free(j);
	if (fclose(f) != 0)
		fail("fclose");

	complete = !m.misused && m.depth == 0 && !m.key_pending && m.done;
	if (legal && !complete)
		fail("legal mode produced an incomplete document");
	if (complete && rc != 0)
		fail("json_finish failed on a legal, complete document");
	if (!complete && rc != -EINVAL)
		fail("json_finish did not report misuse");
	if (!complete)
		check_partial((const uint8_t *)out, len);
	*ret_len = len;
	*ret_ok = complete;
	*ret_want = m.want;
	return out;
}

static void check_document(const char *out, size_t len, const struct toks *want,
			   bool pretty)
{
	struct val v;
	size_t i;

	if (!validate((const uint8_t *)out, len, &v))
		fail(pretty ? "pretty output is not valid JSON"
			    : "compact output is not valid JSON");
	for (i = 0; i < len; i++)
		if (out[i] == 0x7f)
			fail("raw DEL byte in the output");
	compare(want, &v.got);
	val_free(&v);
}

/* json_escape() alone: the body of a valid JSON string. */
static void check_escape(const uint8_t *data, size_t size)
{
	struct buf b = BUF_INIT;
	struct val v;

	if (buf_append(&b, "\"", 1) < 0 ||
	    json_escape((const char *)data, size, &b) < 0 ||
	    buf_append(&b, "\"\n", 2) < 0)
		fail("out of memory");
	if (!validate((const uint8_t *)b.data, b.len, &v))
		fail("json_escape output is not a valid JSON string");
	if (utf8_valid(data, size) &&
	    (v.got.v[0].text.len != size ||
	     (size && memcmp(v.got.v[0].text.data, data, size) != 0)))
		fail("json_escape does not round-trip valid UTF-8");
	val_free(&v);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct toks want_c, want_p;
	struct buf stripped = BUF_INIT;
	char *compact, *pretty;
	size_t len_c, len_p, i;
	bool ok_c, ok_p, legal;

	if (size < 1)
		return 0;
	legal = data[0] & 1;
	check_escape(data + 1, size - 1);

	compact = run_one(data + 1, size - 1, legal, false, &len_c, &ok_c, &want_c);
	pretty = run_one(data + 1, size - 1, legal, true, &len_p, &ok_p, &want_p);
	if (ok_c != ok_p)
		fail("compact and pretty disagree about misuse");
	if (ok_c) {
		check_document(compact, len_c, &want_c, false);
		check_document(pretty, len_p, &want_p, true);
		/* Compact: no whitespace outside strings but the final '\n'. */
		strip_ws((const uint8_t *)compact, len_c, &stripped);
		if (stripped.len != len_c - 1)
			fail("compact output holds whitespace");
		buf_reset(&stripped);
		strip_ws((const uint8_t *)pretty, len_p, &stripped);
		if (stripped.len != len_c - 1 ||
		    memcmp(stripped.data, compact, len_c - 1) != 0)
			fail("pretty output differs from compact beyond whitespace");
		/* Pretty layout uses spaces and newlines only (a tab or CR
		 * inside a string is escaped, so none may appear raw). */
		for (i = 0; i < len_p; i++)
			if (pretty[i] == '\t' || pretty[i] == '\r')
				fail("pretty output holds a raw tab or CR");
	}
	buf_free(&stripped);
	toks_free(&want_c);
	toks_free(&want_p);
	free(compact);
	free(pretty);
	return 0;
}

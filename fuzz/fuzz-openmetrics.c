/*
 * fuzz-openmetrics.c - libFuzzer harness for the OpenMetrics writer
 * (render/openmetrics.c) and escape_label() (render/escape.c).
 *
 * Byte 0 picks the format (bit 0: prometheus, else openmetrics).  The
 * rest is a program; each opcode byte op % 4:
 *	0 family NAME TYPE-BYTE   (name bytes as given: often invalid)
 *	1 family f<counter>       (a valid, unique name)
 *	2 sample NLABELS (LABEL-VALUE)... VALUE8   (u64)
 *	3 sample NLABELS (LABEL-VALUE)... VALUE8   (milli, signed)
 *	STR: one length byte, then the bytes.
 *
 * Oracles (abort() on failure), from an independent line parser:
 *   - the output is valid UTF-8 with no control byte but '\n';
 *   - every line is "# HELP NAME TEXT", "# TYPE NAME gauge|counter", a
 *     sample "NAME{l="v",...} NUMBER" or (openmetrics, last) "# EOF";
 *   - every family has HELP then TYPE before its samples, its samples
 *     are contiguous, no family name repeats, and a counter's samples
 *     end in _total (and its HELP/TYPE name too in prometheus format);
 *   - label values use only the escapes \\ \" \n and read back as an
 *     independent rule says (expected_value(): printable UTF-8 and
 *     newlines exact, every other byte the text \xHH); the numbers read
 *     back equal the ones written.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/escape.h"
#include "render/openmetrics.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-openmetrics: %s\n", what);
	abort();
}

struct prog {
	const uint8_t *p, *end;
};

static uint8_t get_u8(struct prog *g)
{
	return g->p < g->end ? *g->p++ : 0;
}

static char *get_str(struct prog *g)
{
	size_t n = get_u8(g), avail = (size_t)(g->end - g->p);
	char *s;

	if (n > avail)
		n = avail;
	s = malloc(n + 1);
	if (!s)
		fail("out of memory");
	memcpy(s, g->p, n);
	s[n] = '\0';
	g->p += n;
	return s;
}

/* What the program wrote, sample by sample. */
struct want {
	char name[160];
	char *values[4];
	size_t nl;
	char num[48];
};

/* Length of a valid UTF-8 sequence at s (strict: no overlong forms,
 * surrogates or code points above U+10FFFF), 0 if invalid. */
static size_t seq_len(const uint8_t *s, size_t n)
{
	uint32_t c = s[0], min;
	size_t len;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		len = 2, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

/* The label value a parser must read back for s: printable ASCII,
 * newlines and UTF-8 outside the C1 controls as they are; every other
 * byte as the four characters \xHH. */
static void expected_value(const char *s, struct buf *out)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		size_t l = u[i] >= 0x80 ? seq_len(u + i, n - i) : 1;
		bool keep = u[i] >= 0x80 ? l > 0 && !(l == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0) :
			    (u[i] >= 0x20 && u[i] < 0x7f) || u[i] == '\n';

		if (!keep) {
			char e[5];

			l = u[i] >= 0x80 && l ? l : 1;
			for (size_t k = 0; k < l; k++) {
				snprintf(e, sizeof(e), "\\x%02x", u[i + k]);
				if (buf_append(out, e, 4) < 0)
					fail("out of memory");
			}
		} else if (buf_append(out, u + i, l) < 0) {
			fail("out of memory");
		}
		i += l;
	}
	if (buf_append(out, "", 0) < 0)
		fail("out of memory");
}

static bool utf8_ok(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
			     (c & 0xf8) == 0xf0 ? 4 : 0;

		if (!len || n - i < len || (len == 2 && c < 0xc2))
			return false;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
	       (!first && c >= '0' && c <= '9');
}

/* Parse one sample line against w; returns false on a syntax error. */
static bool check_sample(const char *line, const struct want *w)
{
	const char *p = line;
	size_t n = 0;
	struct buf v = BUF_INIT;

	if (buf_append(&v, "", 0) < 0)
		fail("out of memory");
	while (name_char(*p, p == line))
		p++;
	if ((size_t)(p - line) != strlen(w->name) || memcmp(line, w->name, strlen(w->name)) != 0)
		fail("sample name differs");
	if (*p == '{') {
		p++;
		while (*p != '}') {
			if (n)
				if (*p++ != ',')
					fail("no comma between labels");
			if (*p++ != 'l' || *p++ != (char)('0' + n) || *p++ != '=' || *p++ != '"')
				fail("bad label name");
			buf_reset(&v);
			while (*p != '"') {
				char c = *p++;

				if (!c)
					fail("unterminated label value");
				if (c == '\\') {
					c = *p++;
					if (c == 'n')
						c = '\n';
					else if (c != '\\' && c != '"')
						fail("unknown escape in a label value");
				}
				if (buf_append(&v, &c, 1) < 0)
					fail("out of memory");
			}
			p++;
			if (n >= w->nl)
				fail("too many labels");
			{
				struct buf e = BUF_INIT;

				expected_value(w->values[n], &e);
				if (v.len != e.len || (v.len && memcmp(v.data, e.data, v.len) != 0))
					fail("label value read back differs from the one written");
				buf_free(&e);
			}
			n++;
		}
		p++;
	}
	buf_free(&v);
	if (n != w->nl)
		fail("label count differs");
	if (*p++ != ' ')
		fail("no blank before the value");
	if (strcmp(p, w->num) != 0)
		fail("value read back differs");
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prog g = { data + (size ? 1 : 0), data + size };
	bool prom = size && (data[0] & 1);
	struct want *wants = NULL;
	size_t nw = 0, counter = 0;
	char fam[160] = "";
	bool fam_ok = false, is_counter = false;
	struct buf out = BUF_INIT;
	struct om w;
	char *copy, *line, *save;
	char cur_family[160] = "";
	char **seen = NULL;
	size_t nseen = 0, wi = 0;
	int state = 0; /* 0: expect HELP or EOF, 1: expect TYPE, 2: samples */
	bool eof = false;

	om_init(&w, &out, prom ? OM_PROMETHEUS : OM_OPENMETRICS);
	while (g.p < g.end) {
		uint8_t op = get_u8(&g) % 4;

		if (op == 0 || op == 1) {
			char *name = op == 0 ? get_str(&g) : NULL;
			enum om_type t = get_u8(&g) & 1 ? OM_COUNTER : OM_GAUGE;
			int r;

			if (!name) {
				name = malloc(32);
				if (!name)
					fail("out of memory");
				snprintf(name, 32, "f%zu", counter++);
			}
			r = om_family(&w, name, t, "help text");
			fam_ok = r == 0;
			if (r == 0 && !om_valid_name(name))
				fail("an invalid name was accepted");
			snprintf(fam, sizeof(fam), "%s", name);
			is_counter = t == OM_COUNTER;
			free(name);
		} else {
			size_t nl = get_u8(&g) % 5;
			struct om_label l[4];
			struct want wt;
			uint64_t v = 0;

			memset(&wt, 0, sizeof(wt));
			for (size_t i = 0; i < nl && i < 4; i++) {
				static const char *const names[] = { "l0", "l1", "l2", "l3" };

				l[i].name = names[i];
				l[i].value = wt.values[i] = get_str(&g);
				wt.nl++;
			}
			for (int i = 0; i < 8; i++)
				v |= (uint64_t)get_u8(&g) << (8 * i);
			if (op == 2) {
				om_sample_u64(&w, l, wt.nl, v);
				snprintf(wt.num, sizeof(wt.num), "%" PRIu64, v);
			} else {
				int64_t m = (int64_t)v;
				uint64_t a = m < 0 ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;

				om_sample_milli(&w, l, wt.nl, m);
				snprintf(wt.num, sizeof(wt.num), "%s%" PRIu64 ".%03u", m < 0 ? "-" : "",
					 a / 1000, (unsigned)(a % 1000));
			}
			if (fam_ok) {
				struct want *nwv = realloc(wants, (nw + 1) * sizeof(*nwv));

				if (!nwv)
					fail("out of memory");
				wants = nwv;
				snprintf(wt.name, sizeof(wt.name), "%s%s", fam, is_counter ? "_total" : "");
				wants[nw++] = wt;
			} else {
				for (size_t i = 0; i < wt.nl; i++)
					free(wt.values[i]);
			}
		}
	}
	if (om_finish(&w) != 0)
		fail("om_finish failed");

	/* ---- check the text ---- */
	if (!utf8_ok((const uint8_t *)(out.data ? out.data : ""), out.len))
		fail("output is not valid UTF-8");
	for (size_t i = 0; i < out.len; i++)
		if (((unsigned char)out.data[i] < 0x20 && out.data[i] != '\n') || out.data[i] == 0x7f)
			fail("a raw control byte in the output");
	if (out.len && out.data[out.len - 1] != '\n')
		fail("output does not end with a newline");
	copy = strndup(out.data ? out.data : "", out.len);
	if (!copy)
		fail("out of memory");
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (eof)
			fail("text after # EOF");
		if (strcmp(line, "# EOF") == 0) {
			if (prom)
				fail("# EOF in prometheus format");
			eof = true;
			continue;
		}
		if (strncmp(line, "# HELP ", 7) == 0) {
			const char *n = line + 7, *sp = strchr(n, ' ');

			if (!sp || (size_t)(sp - n) >= sizeof(cur_family))
				fail("bad HELP line");
			memcpy(cur_family, n, (size_t)(sp - n));
			cur_family[sp - n] = '\0';
			for (size_t i = 0; i < nseen; i++)
				if (strcmp(seen[i], cur_family) == 0)
					fail("a family appears twice");
			seen = realloc(seen, (nseen + 1) * sizeof(*seen));
			if (!seen || !(seen[nseen++] = strdup(cur_family)))
				fail("out of memory");
			state = 1;
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			size_t fl = strlen(cur_family);

			if (state != 1 || strncmp(line + 7, cur_family, fl) != 0 || line[7 + fl] != ' ')
				fail("TYPE does not follow its HELP");
			if (strcmp(line + 8 + fl, "gauge") && strcmp(line + 8 + fl, "counter"))
				fail("unknown type");
			if (!strcmp(line + 8 + fl, "counter") && prom &&
			    (fl < 6 || strcmp(cur_family + fl - 6, "_total") != 0))
				fail("a prometheus counter family without _total");
			state = 2;
			continue;
		}
		if (state != 2)
			fail("a sample before its family's HELP and TYPE");
		if (wi >= nw)
			fail("more samples than written");
		if (strncmp(wants[wi].name, cur_family, strlen(cur_family)) != 0)
			fail("a sample outside its family");
		check_sample(line, &wants[wi]);
		wi++;
	}
	if (wi != nw)
		fail("fewer samples than written");
	if (!prom && !eof)
		fail("no # EOF");

	for (size_t i = 0; i < nw; i++)
		for (size_t k = 0; k < wants[i].nl; k++)
			free(wants[i].values[k]);
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	free(wants);
	free(copy);
	buf_free(&out);
	return 0;
}

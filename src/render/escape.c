/*
 * escape.c - terminal-safe text for strings that come from the kernel or
 * from other users (file names, command names, slab cache and zone
 * names), so that a name such as "\033]0;pwned\007" cannot retitle or
 * reprogram the operator's terminal.  See escape.h for the rules.
 *
 * The output is printable ASCII plus valid UTF-8 without C1 controls;
 * every other byte is shown as \xHH, so the escaped text still tells
 * exactly which bytes the kernel held.
 */
#include <errno.h>

#include "escape.h"

static const char hexdigits[] = "0123456789abcdef";

/*
 * Length of the valid UTF-8 sequence at p[0..n) (p[0] >= 0x80), or 0 if
 * it is not one: overlong forms, surrogates, code points above U+10FFFF,
 * truncated sequences and stray continuation bytes are all invalid.
 */
static size_t utf8_valid(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (c < 0xc2 || c > 0xf4)
		return 0;
	if (c < 0xe0) {
		need = 1;
	} else if (c < 0xf0) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else {
		need = 3;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	}
	if (need >= n)
		return 0;
	for (i = 1; i <= need; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

static int append_hex(struct buf *out, const unsigned char *p, size_t n)
{
	char e[4] = { '\\', 'x', 0, 0 };
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		e[2] = hexdigits[p[i] >> 4];
		e[3] = hexdigits[p[i] & 0xf];
		r = buf_append(out, e, sizeof(e));
		if (r < 0)
			return r;
	}
	return 0;
}

int escape_text(const char *s, size_t n, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0;
	int r;

	r = buf_reserve(out, n);
	if (r < 0)
		return r;
	while (i < n) {
		unsigned char c = u[i];
		size_t l = 1;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			l = utf8_valid(u + i, n - i);
			/* U+0080-U+009F are C2 80 .. C2 9F: C1 controls
			 * (CSI, OSC, NEL) that terminals obey. */
			if (l && !(c == 0xc2 && u[i + 1] < 0xa0)) {
				i += l;
				continue;
			}
			if (!l)
				l = 1;
		}
		r = buf_append(out, s + start, i - start);
		if (r < 0)
			return r;
		switch (c) {
		case '\\':
			r = buf_append(out, "\\\\", 2);
			break;
		case '\n':
			r = buf_append(out, "\\n", 2);
			break;
		case '\t':
			r = buf_append(out, "\\t", 2);
			break;
		case '\r':
			r = buf_append(out, "\\r", 2);
			break;
		default:
			r = append_hex(out, u + i, l);
			break;
		}
		if (r < 0)
			return r;
		i += l;
		start = i;
	}
	/* Also NUL-terminates out, even for empty input. */
	return buf_append(out, s + start, i - start);
}

int escape_label(const char *s, size_t n, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0;
	int r;

	r = buf_reserve(out, n);
	if (r < 0)
		return r;
	while (i < n) {
		unsigned char c = u[i];
		size_t l = 1;

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			l = utf8_valid(u + i, n - i);
			if (l && !(c == 0xc2 && u[i + 1] < 0xa0)) {
				i += l;
				continue;
			}
			if (!l)
				l = 1;
		}
		r = buf_append(out, s + start, i - start);
		if (r < 0)
			return r;
		if (c == '\\') {
			r = buf_append(out, "\\\\", 2);
		} else if (c == '"') {
			r = buf_append(out, "\\\"", 2);
		} else if (c == '\n') {
			r = buf_append(out, "\\n", 2);
		} else {
			/* \xHH as text: its backslash escaped for the format. */
			for (size_t k = 0; k < l && r >= 0; k++) {
				char e[5] = { '\\', '\\', 'x', hexdigits[u[i + k] >> 4], hexdigits[u[i + k] & 0xf] };

				r = buf_append(out, e, sizeof(e));
			}
		}
		if (r < 0)
			return r;
		i += l;
		start = i;
	}
	return buf_append(out, s + start, i - start);
}

size_t text_width(const char *s)
{
	size_t w = 0;

	if (!s)
		return 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

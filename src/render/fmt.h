/*
 * fmt.h - number formatting for output paths that print tens of
 * thousands of lines (maps of a process with 60,000 mappings): decimal
 * two digits per step from a table, with 32-bit arithmetic once the
 * value fits, and hex from a table of digit pairs.  Several times faster
 * than printf; no locale, no allocation.
 *
 * The *_rev functions write backwards, ending just before end, and
 * return the first character written.
 */
#ifndef FRAGSCOPE_FMT_H
#define FRAGSCOPE_FMT_H

#include <stdint.h>
#include <string.h>

extern const char fmt_digits2[201];  /* "00" "01" ... "99" */
extern const char fmt_hex2[513];     /* "00" "01" ... "ff" */
extern const uint64_t fmt_pow10[20]; /* 1, 10, ..., 10^19 */

/* Largest outputs: 20 decimal digits, 16 hex digits. */
#define FMT_U64_MAX 20
#define FMT_HEX_MAX 16

static inline char *fmt_u64_rev(char *end, uint64_t v)
{
	char *p = end;
	uint32_t w;

	while (v > UINT32_MAX) {
		unsigned d = (unsigned)(v % 100) * 2;

		v /= 100;
		*--p = fmt_digits2[d + 1];
		*--p = fmt_digits2[d];
	}
	w = (uint32_t)v;
	while (w >= 100) {
		unsigned d = (w % 100) * 2;

		w /= 100;
		*--p = fmt_digits2[d + 1];
		*--p = fmt_digits2[d];
	}
	if (w >= 10) {
		*--p = fmt_digits2[w * 2 + 1];
		*--p = fmt_digits2[w * 2];
	} else {
		*--p = (char)('0' + w);
	}
	return p;
}

/* Hex digits of v (at least one), lowercase, no prefix. */
static inline char *fmt_hex_rev(char *end, uint64_t v)
{
	char *p = end;

	while (v >= 0x100) {
		unsigned d = (unsigned)(v & 0xff) * 2;

		v >>= 8;
		*--p = fmt_hex2[d + 1];
		*--p = fmt_hex2[d];
	}
	if (v >= 0x10) {
		*--p = fmt_hex2[v * 2 + 1];
		*--p = fmt_hex2[v * 2];
	} else {
		*--p = "0123456789abcdef"[v];
	}
	return p;
}

/* Number of decimal digits of v (1 for 0). */
static inline unsigned fmt_u64_len(uint64_t v)
{
	unsigned t = ((unsigned)(64 - __builtin_clzll(v | 1)) * 1233) >> 12;

	return t + 1 - ((v | 1) < fmt_pow10[t]);
}

/* v in decimal at p; returns the end. */
static inline char *fmt_u64_at(char *p, uint64_t v)
{
	unsigned n = fmt_u64_len(v);

	fmt_u64_rev(p + n, v);
	return p + n;
}

/* v in hex at p; returns the end. */
static inline char *fmt_hex_at(char *p, uint64_t v);

/* Number of hex digits of v (1 for 0). */
static inline unsigned fmt_hex_len(uint64_t v)
{
	return v ? (unsigned)(64 - __builtin_clzll(v) + 3) / 4 : 1;
}

static inline char *fmt_hex_at(char *p, uint64_t v)
{
	unsigned n = fmt_hex_len(v);

	fmt_hex_rev(p + n, v);
	return p + n;
}

/* Exactly 16 hex digits of v, zero-padded, at p. */
static inline void fmt_hex16(char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		unsigned d = (unsigned)(v & 0xff) * 2;

		v >>= 8;
		p[2 * i] = fmt_hex2[d];
		p[2 * i + 1] = fmt_hex2[d + 1];
	}
}

/*
 * v in decimal, right-aligned in width (padded with blanks), at p; p has
 * room for max(width, FMT_U64_MAX) bytes.  Returns the length written.
 */
static inline unsigned fmt_u64_right(char *p, uint64_t v, unsigned width)
{
	unsigned n = fmt_u64_len(v);

	if (n < width) {
		memset(p, ' ', width - n);
		fmt_u64_rev(p + width, v);
		return width;
	}
	fmt_u64_rev(p + n, v);
	return n;
}

#endif

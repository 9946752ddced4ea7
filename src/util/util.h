/*
 * util.h - tiny helpers shared by every layer: growable byte buffer,
 * checked arithmetic, array sizes.  Nothing here prints or exits.
 */
#ifndef FRAGSCOPE_UTIL_H
#define FRAGSCOPE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A growable byte buffer.  data is always NUL-terminated (data[len] == 0)
 * once anything has been appended, so text parsers may use it as a string,
 * but len is authoritative: /proc files may contain NUL bytes.
 */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* Make room for at least extra more bytes (plus the terminator).  0 or -ENOMEM. */
int buf_reserve(struct buf *b, size_t extra);
/* Append n bytes.  0 or -ENOMEM. */
int buf_append(struct buf *b, const void *p, size_t n);
/* Append printf-formatted text, whatever its length.  0, -ENOMEM or
 * -EINVAL (a format vsnprintf refuses). */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Forget the contents but keep the allocation. */
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* Checked arithmetic: true on overflow (then *ret is unspecified). */
static inline bool mul_overflow_u64(uint64_t a, uint64_t b, uint64_t *ret)
{
	return __builtin_mul_overflow(a, b, ret);
}
static inline bool add_overflow_u64(uint64_t a, uint64_t b, uint64_t *ret)
{
	return __builtin_add_overflow(a, b, ret);
}

/* strdup of n bytes; NULL on allocation failure. */
char *xstrndup(const char *s, size_t n);

/*
 * Set up the pages of [p, p + n) now, in one call, rather than with a
 * page fault on each first touch (which costs several µs in a VM): for
 * buffers that are about to be written through.  The contents do not
 * change.  Best effort: nothing happens where the kernel cannot
 * (MADV_POPULATE_WRITE is Linux 5.14).
 */
void mem_prefault(void *p, size_t n);

#endif

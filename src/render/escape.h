/*
 * escape.h - make kernel-provided strings safe for a terminal.
 *
 * A process can name a file "\033]0;pwned\007", and cache or zone names
 * come from the kernel too, so every such string is escaped before it is
 * printed as text: control bytes (0x00-0x1f, 0x7f) become \n, \t, \r or
 * \xHH; a backslash becomes \\; UTF-8 C1 controls (U+0080-U+009F) and
 * bytes that are not valid UTF-8 become \xHH for each byte.  Printable
 * ASCII and valid UTF-8 pass through unchanged.
 */
#ifndef FRAGSCOPE_ESCAPE_H
#define FRAGSCOPE_ESCAPE_H

#include <stddef.h>

#include "../util/util.h"

/* Append the escaped form of s[0..n) to out.  0 or -ENOMEM. */
int escape_text(const char *s, size_t n, struct buf *out);
/*
 * Append s[0..n) as the inside of an OpenMetrics / Prometheus label value
 * (between the double quotes).  The exposition format's own escapes keep
 * a backslash, a double quote and a newline exact: \\, \" and \n.  Other
 * control bytes, C1 controls and bytes that are not valid UTF-8 (which
 * the format forbids) become the four characters \xHH, written with an
 * escaped backslash, so a parser reads the same text escape_text() shows.
 * 0 or -ENOMEM.
 */
int escape_label(const char *s, size_t n, struct buf *out);
/* Display width (columns) of an already escaped, valid UTF-8 string;
 * counts code points, treating each as one column. */
size_t text_width(const char *s);

#endif

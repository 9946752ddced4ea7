/*
 * openmetrics.h - a writer for the OpenMetrics text format (and the
 * Prometheus text format 0.0.4 that node_exporter's textfile collector
 * reads) into a memory buffer.
 *
 * A family is declared with om_family() and written only when its first
 * sample comes, so a family whose input is missing leaves no HELP/TYPE
 * lines without samples.  Every family gets HELP and TYPE; its samples
 * follow it contiguously; a family name can be declared once only.
 * Label values are escaped with escape_label().
 *
 * The two formats differ only for counters and at the end:
 *   openmetrics  # TYPE x counter      samples x_total    ends with # EOF
 *   prometheus   # TYPE x_total counter samples x_total   no # EOF
 *
 * Example:
 *	struct om w;
 *	om_init(&w, &buf, OM_OPENMETRICS);
 *	om_family(&w, "fragscope_buddy_free_blocks", OM_GAUGE, "Free blocks.");
 *	om_sample_u64(&w, (const struct om_label[]){ { "zone", "Normal" } }, 1, 42);
 *	if (om_finish(&w) < 0) ... out of memory ...
 */
#ifndef FRAGSCOPE_OPENMETRICS_H
#define FRAGSCOPE_OPENMETRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

enum om_format { OM_OPENMETRICS, OM_PROMETHEUS };
enum om_type { OM_GAUGE, OM_COUNTER };

struct om_label {
	const char *name;   /* a valid label name: [a-zA-Z_][a-zA-Z0-9_]* */
	const char *value;  /* any bytes; escaped on output */
};

struct om {
	struct buf *out;
	enum om_format fmt;
	char family[128];        /* the current family ("" before the first) */
	enum om_type type;
	const char *help;
	bool header_done;        /* HELP and TYPE written */
	bool skip;               /* the family was refused (a repeated name) */
	char **names;            /* every family declared, for the uniqueness check */
	size_t nnames;
	int err;                 /* first error (-ENOMEM); later calls do nothing */
};

void om_init(struct om *w, struct buf *out, enum om_format fmt);
/*
 * Declare the next family: name without "_total" for a counter, help one
 * line of plain text (no backslash or newline).  Returns 0; -EEXIST when
 * a family of that name (or, for names built from kernel strings, an
 * invalid name: -EINVAL) was declared before: its samples are then
 * dropped until the next om_family().  -ENOMEM.
 */
int om_family(struct om *w, const char *name, enum om_type type, const char *help);
/* One sample of the current family. */
void om_sample_u64(struct om *w, const struct om_label *labels, size_t n, uint64_t v);
/* A sample whose value is thousandths, written as a decimal: -500 is -0.500. */
void om_sample_milli(struct om *w, const struct om_label *labels, size_t n, int64_t milli);
/* End the exposition (# EOF for OpenMetrics) and free the writer's own
 * memory.  0, or the first error. */
int om_finish(struct om *w);
/* Is name a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)? */
bool om_valid_name(const char *name);

#endif

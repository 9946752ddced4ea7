/*
 * openmetrics.c - the OpenMetrics / Prometheus text writer (see
 * openmetrics.h).  The output goes to a memory buffer so that the command
 * layer can write it in one piece, to stdout or atomically to a file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "openmetrics.h"

void om_init(struct om *w, struct buf *out, enum om_format fmt)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->fmt = fmt;
}

bool om_valid_name(const char *name)
{
	if (!*name || (*name >= '0' && *name <= '9'))
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == ':'))
			return false;
	return true;
}

static void put(struct om *w, const char *s, size_t n)
{
	if (!w->err && buf_append(w->out, s, n) < 0)
		w->err = -ENOMEM;
}

static void puts_(struct om *w, const char *s)
{
	put(w, s, strlen(s));
}

int om_family(struct om *w, const char *name, enum om_type type, const char *help)
{
	char **nn;

	if (w->err)
		return w->err;
	w->skip = true;
	if (!om_valid_name(name) || strlen(name) + sizeof("_total") > sizeof(w->family))
		return -EINVAL;
	for (size_t i = 0; i < w->nnames; i++)
		if (strcmp(w->names[i], name) == 0)
			return -EEXIST;
	nn = realloc(w->names, (w->nnames + 1) * sizeof(*nn));
	if (!nn || !(nn[w->nnames] = strdup(name))) {
		if (nn)
			w->names = nn;
		return w->err = -ENOMEM;
	}
	w->names = nn;
	w->nnames++;
	snprintf(w->family, sizeof(w->family), "%s", name);
	w->type = type;
	w->help = help;
	w->header_done = false;
	w->skip = false;
	return 0;
}

/* The name samples (and, in Prometheus format, HELP/TYPE) use. */
static void put_sample_name(struct om *w)
{
	puts_(w, w->family);
	if (w->type == OM_COUNTER)
		puts_(w, "_total");
}

static bool begin_sample(struct om *w, const struct om_label *labels, size_t n)
{
	if (w->err || w->skip || !w->family[0])
		return false;
	if (!w->header_done) {
		const char *type = w->type == OM_COUNTER ? "counter" : "gauge";

		/* Prometheus 0.0.4 names a counter family after its samples. */
		puts_(w, "# HELP ");
		if (w->fmt == OM_PROMETHEUS)
			put_sample_name(w);
		else
			puts_(w, w->family);
		puts_(w, " ");
		puts_(w, w->help);
		puts_(w, "\n# TYPE ");
		if (w->fmt == OM_PROMETHEUS)
			put_sample_name(w);
		else
			puts_(w, w->family);
		puts_(w, " ");
		puts_(w, type);
		puts_(w, "\n");
		w->header_done = true;
	}
	put_sample_name(w);
	if (n) {
		put(w, "{", 1);
		for (size_t i = 0; i < n; i++) {
			if (i)
				put(w, ",", 1);
			puts_(w, labels[i].name);
			put(w, "=\"", 2);
			if (!w->err && escape_label(labels[i].value, strlen(labels[i].value), w->out) < 0)
				w->err = -ENOMEM;
			put(w, "\"", 1);
		}
		put(w, "}", 1);
	}
	put(w, " ", 1);
	return !w->err;
}

void om_sample_u64(struct om *w, const struct om_label *labels, size_t n, uint64_t v)
{
	char num[32];

	if (!begin_sample(w, labels, n))
		return;
	snprintf(num, sizeof(num), "%" PRIu64 "\n", v);
	puts_(w, num);
}

void om_sample_milli(struct om *w, const struct om_label *labels, size_t n, int64_t milli)
{
	char num[48];
	uint64_t a = milli < 0 ? (uint64_t)0 - (uint64_t)milli : (uint64_t)milli;

	if (!begin_sample(w, labels, n))
		return;
	snprintf(num, sizeof(num), "%s%" PRIu64 ".%03u\n", milli < 0 ? "-" : "", a / 1000,
		 (unsigned)(a % 1000));
	puts_(w, num);
}

int om_finish(struct om *w)
{
	if (w->fmt == OM_OPENMETRICS)
		puts_(w, "# EOF\n");
	for (size_t i = 0; i < w->nnames; i++)
		free(w->names[i]);
	free(w->names);
	w->names = NULL;
	w->nnames = 0;
	return w->err;
}

/*
 * table.c - aligned text tables (see table.h).
 *
 * Cells keep their typed value; text is produced at print time, when the
 * options (bytes, raw) are known.  Column widths are measured in display
 * columns of the escaped text.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "table.h"
#include "units.h"
#include "../util/util.h"

struct cell {
	bool set;
	enum table_color color;
	union {
		char *s;
		uint64_t u;
		int64_t i;
	} v;
};

struct column {
	char *name;
	char *help;
	enum table_type type;
	unsigned flags;
};

struct table {
	char *name;
	struct column *cols;
	int ncols;
	struct cell *cells;  /* nrows * ncols, row-major */
	size_t nrows, cap_rows;
	int *order;          /* shown columns, in print order */
	int norder;
	bool selected;       /* an -o spec was applied */
};

struct table *table_new(const char *name)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->name = strdup(name ? name : "");
	if (!t->name) {
		free(t);
		return NULL;
	}
	return t;
}

static struct cell *cell_at(const struct table *t, size_t row, int col)
{
	return &t->cells[row * (size_t)t->ncols + (size_t)col];
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++)
			if (t->cols[c].type == TABLE_STR)
				free(cell_at(t, r, c)->v.s);
	for (int c = 0; c < t->ncols; c++) {
		free(t->cols[c].name);
		free(t->cols[c].help);
	}
	free(t->cols);
	free(t->cells);
	free(t->order);
	free(t->name);
	free(t);
}

int table_add_column(struct table *t, const char *name, enum table_type type,
		     unsigned flags, const char *help)
{
	struct column *cols;

	/* Columns are fixed before the first row. */
	if (t->nrows)
		return -EINVAL;
	cols = realloc(t->cols, ((size_t)t->ncols + 1) * sizeof(*cols));
	if (!cols)
		return -ENOMEM;
	t->cols = cols;
	cols[t->ncols].name = strdup(name);
	cols[t->ncols].help = strdup(help ? help : "");
	if (!cols[t->ncols].name || !cols[t->ncols].help) {
		free(cols[t->ncols].name);
		free(cols[t->ncols].help);
		return -ENOMEM;
	}
	cols[t->ncols].type = type;
	cols[t->ncols].flags = flags;
	return t->ncols++;
}

int table_ncolumns(const struct table *t)
{
	return t->ncols;
}

const char *table_column_name(const struct table *t, int col)
{
	return t->cols[col].name;
}

const char *table_column_help(const struct table *t, int col)
{
	return t->cols[col].help;
}

bool table_column_hidden(const struct table *t, int col)
{
	return t->cols[col].flags & TABLE_HIDDEN;
}

const char *table_name(const struct table *t)
{
	return t->name;
}

size_t table_nrows(const struct table *t)
{
	return t->nrows;
}

int table_new_row(struct table *t)
{
	if (t->nrows == t->cap_rows) {
		size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
		struct cell *p = realloc(t->cells, cap * (size_t)t->ncols * sizeof(*p));

		if (!p && t->ncols)
			return -ENOMEM;
		t->cells = p;
		t->cap_rows = cap;
	}
	memset(cell_at(t, t->nrows, 0), 0, (size_t)t->ncols * sizeof(struct cell));
	t->nrows++;
	return 0;
}

static struct cell *cur(struct table *t, int col)
{
	if (!t->nrows || col < 0 || col >= t->ncols)
		return NULL;
	return cell_at(t, t->nrows - 1, col);
}

int table_set_str(struct table *t, int col, const char *s)
{
	struct cell *c = cur(t, col);
	char *copy;

	if (!c || t->cols[col].type != TABLE_STR)
		return -EINVAL;
	copy = strdup(s ? s : "");
	if (!copy)
		return -ENOMEM;
	free(c->v.s);
	c->v.s = copy;
	c->set = true;
	return 0;
}

int table_set_u64(struct table *t, int col, uint64_t v)
{
	struct cell *c = cur(t, col);

	if (!c || t->cols[col].type == TABLE_STR)
		return -EINVAL;
	if (t->cols[col].type == TABLE_I64)
		c->v.i = (int64_t)v;
	else
		c->v.u = v;
	c->set = true;
	return 0;
}

int table_set_i64(struct table *t, int col, int64_t v)
{
	struct cell *c = cur(t, col);

	if (!c || t->cols[col].type != TABLE_I64)
		return -EINVAL;
	c->v.i = v;
	c->set = true;
	return 0;
}

void table_set_color(struct table *t, int col, enum table_color color)
{
	struct cell *c = cur(t, col);

	if (c)
		c->color = color;
}

bool table_knows(const struct table *t, const char *name, size_t len)
{
	for (int c = 0; c < t->ncols; c++)
		if (strlen(t->cols[c].name) == len && strncasecmp(t->cols[c].name, name, len) == 0)
			return true;
	return false;
}

int table_select(struct table *t, const char *spec)
{
	const char *p = spec;
	int *order = malloc(((size_t)t->ncols + 1) * sizeof(*order));
	int n = 0;

	if (!order)
		return -ENOMEM;
	while (*p) {
		size_t len = strcspn(p, ",");

		for (int c = 0; c < t->ncols; c++) {
			bool dup = false;

			if (strlen(t->cols[c].name) != len || strncasecmp(t->cols[c].name, p, len) != 0)
				continue;
			for (int k = 0; k < n; k++)
				dup |= order[k] == c;
			if (!dup)
				order[n++] = c;
			break;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	free(t->order);
	t->order = order;
	t->norder = n;
	t->selected = true;
	return n;
}

/* Text of a cell into out (escaped for strings). */
static int cell_text(const struct table *t, int col, const struct cell *c,
		     const struct table_opts *o, struct buf *out)
{
	char tmp[UNITS_BUFSZ + 8];

	buf_reset(out);
	if (!c->set)
		return buf_append(out, "-", 1);
	switch (t->cols[col].type) {
	case TABLE_STR:
		if (escape_text(c->v.s, strlen(c->v.s), out) < 0 || buf_append(out, "", 0) < 0)
			return -ENOMEM;
		/* Raw output is split on blanks, so blanks inside a value are escaped too. */
		if (o->raw && strchr(out->data, ' ')) {
			struct buf raw = BUF_INIT;
			int r = 0;

			for (const char *s = out->data; *s && r == 0; s++)
				r = *s == ' ' ? buf_append(&raw, "\\x20", 4) : buf_append(&raw, s, 1);
			if (r == 0) {
				buf_reset(out);
				r = buf_append(out, raw.data, raw.len);
			}
			buf_free(&raw);
			return r;
		}
		return 0;
	case TABLE_U64:
		snprintf(tmp, sizeof(tmp), "%" PRIu64, c->v.u);
		break;
	case TABLE_I64:
		snprintf(tmp, sizeof(tmp), "%" PRId64, c->v.i);
		break;
	case TABLE_BYTES:
		if (o->bytes)
			snprintf(tmp, sizeof(tmp), "%" PRIu64, c->v.u);
		else
			units_bytes(c->v.u, tmp);
		break;
	}
	return buf_append(out, tmp, strlen(tmp));
}

static const char *color_seq(enum table_color c)
{
	switch (c) {
	case TABLE_COLOR_GOOD:
		return "\033[32m";
	case TABLE_COLOR_WARN:
		return "\033[33m";
	case TABLE_COLOR_BAD:
		return "\033[1;31m";
	case TABLE_COLOR_DIM:
		return "\033[2m";
	default:
		return NULL;
	}
}

static void put_padded(FILE *f, const char *s, size_t width, size_t w, bool right, bool last)
{
	if (right)
		for (size_t i = w; i < width; i++)
			fputc(' ', f);
	fputs(s, f);
	if (!right && !last)
		for (size_t i = w; i < width; i++)
			fputc(' ', f);
}

int table_print(const struct table *t, FILE *f, const struct table_opts *o)
{
	struct buf b = BUF_INIT;
	int *order = NULL, n = 0, r = 0;
	size_t *width = NULL;

	order = malloc(((size_t)t->ncols + 1) * sizeof(*order));
	width = calloc((size_t)t->ncols + 1, sizeof(*width));
	if (!order || !width) {
		r = -ENOMEM;
		goto out;
	}
	if (t->selected) {
		memcpy(order, t->order, (size_t)t->norder * sizeof(*order));
		n = t->norder;
	} else {
		for (int c = 0; c < t->ncols; c++)
			if (!(t->cols[c].flags & TABLE_HIDDEN))
				order[n++] = c;
	}
	if (n == 0)
		goto out;

	if (!o->raw) {
		for (int k = 0; k < n; k++) {
			int c = order[k];

			if (!o->noheadings)
				width[k] = strlen(t->cols[c].name);
			for (size_t row = 0; row < t->nrows; row++) {
				size_t w;

				if ((r = cell_text(t, c, cell_at(t, row, c), o, &b)) < 0)
					goto out;
				w = text_width(b.data);
				if (w > width[k])
					width[k] = w;
			}
		}
	}
	if (!o->noheadings) {
		if (o->color && !o->raw)
			fputs("\033[1m", f);
		for (int k = 0; k < n; k++) {
			const struct column *col = &t->cols[order[k]];
			bool last = k == n - 1;

			if (k)
				fputc(' ', f);
			if (o->raw)
				fputs(col->name, f);
			else
				put_padded(f, col->name, width[k], strlen(col->name),
					   col->flags & TABLE_RIGHT, last);
		}
		if (o->color && !o->raw)
			fputs("\033[0m", f);
		fputc('\n', f);
	}
	for (size_t row = 0; row < t->nrows; row++) {
		for (int k = 0; k < n; k++) {
			int c = order[k];
			const struct cell *cell = cell_at(t, row, c);
			const char *seq = o->color && !o->raw ? color_seq(cell->color) : NULL;

			if ((r = cell_text(t, c, cell, o, &b)) < 0)
				goto out;
			if (k)
				fputc(' ', f);
			if (o->raw) {
				fputs(b.data, f);
				continue;
			}
			if (seq)
				fputs(seq, f);
			put_padded(f, b.data, width[k], text_width(b.data),
				   t->cols[c].flags & TABLE_RIGHT, k == n - 1 && !seq);
			if (seq)
				fputs("\033[0m", f);
		}
		fputc('\n', f);
	}
out:
	buf_free(&b);
	free(order);
	free(width);
	return r;
}

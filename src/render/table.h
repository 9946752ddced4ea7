/*
 * table.h - one column model for every text table fragscope prints.
 *
 * A table has typed columns (string, unsigned, signed, bytes) and rows of
 * cells.  It is filled first and printed once, so it can size columns.
 * Printing follows util-linux habits: aligned columns with a heading,
 * -r/--raw (single-space separated, no alignment, spaces and controls
 * escaped), -n/--noheadings, -b/--bytes (exact byte counts instead of
 * KiB/MiB/GiB) and colour only when enabled.  String cells are always
 * escaped for the terminal (escape.h) because they may come from the
 * kernel.  -o/--output picks and orders columns by name.
 *
 * Example:
 *	struct table *t = table_new("zones");
 *	int zone = table_add_column(t, "ZONE", TABLE_STR, 0, "zone name");
 *	int fr = table_add_column(t, "FREE", TABLE_BYTES, TABLE_RIGHT, "free memory");
 *	table_new_row(t);
 *	table_set_str(t, zone, "Normal");
 *	table_set_u64(t, fr, 1 << 30);
 *	table_print(t, stdout, &opts);
 */
#ifndef FRAGSCOPE_TABLE_H
#define FRAGSCOPE_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum table_type {
	TABLE_STR,
	TABLE_U64,
	TABLE_I64,
	TABLE_BYTES,  /* u64 bytes: human units unless opts.bytes */
};

/* Column flags. */
enum {
	TABLE_RIGHT = 1u << 0,  /* right-align (numbers) */
	TABLE_HIDDEN = 1u << 1, /* not shown unless named with -o */
};

/* Colour roles for cells. */
enum table_color {
	TABLE_COLOR_NONE,
	TABLE_COLOR_GOOD,
	TABLE_COLOR_WARN,
	TABLE_COLOR_BAD,
	TABLE_COLOR_DIM,
};

struct table_opts {
	bool raw;
	bool noheadings;
	bool bytes;
	bool color;
};

struct table;

/* name identifies the table in messages; NULL on ENOMEM. */
struct table *table_new(const char *name);
void table_free(struct table *t);
/* Returns the column index or -ENOMEM.  name and help are copied. */
int table_add_column(struct table *t, const char *name, enum table_type type,
		     unsigned flags, const char *help);
int table_ncolumns(const struct table *t);
const char *table_column_name(const struct table *t, int col);
const char *table_column_help(const struct table *t, int col);
bool table_column_hidden(const struct table *t, int col);
const char *table_name(const struct table *t);

/* Start a new row; later set calls fill it.  0 or -ENOMEM.  Unset cells print "-". */
int table_new_row(struct table *t);
int table_set_str(struct table *t, int col, const char *s);
int table_set_u64(struct table *t, int col, uint64_t v);
int table_set_i64(struct table *t, int col, int64_t v);
void table_set_color(struct table *t, int col, enum table_color c);
size_t table_nrows(const struct table *t);

/*
 * Apply an -o spec ("ZONE,FREE,min": comma-separated, case-insensitive).
 * Columns named in the spec are shown in the spec's order; the others are
 * hidden.  Names this table lacks are ignored here (the caller checks that
 * every name exists in at least one table, see table_knows()).  Returns the
 * number of columns selected in this table.
 */
int table_select(struct table *t, const char *spec);
bool table_knows(const struct table *t, const char *name, size_t len);

/* Print the table.  0 or -errno from the stream (check ferror too). */
int table_print(const struct table *t, FILE *f, const struct table_opts *o);

#endif

/*
 * screen.c - the cell grid views render into (tui.h).  Nothing here
 * knows about ncurses: the same grid is printed as text in batch mode.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

int tscr_init(struct scr *s, int rows, int cols, bool grow)
{
	size_t n;

	memset(s, 0, sizeof(*s));
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	n = (size_t)rows * (size_t)cols;
	s->ch = malloc(n);
	s->role = malloc(n);
	if (!s->ch || !s->role) {
		free(s->ch);
		free(s->role);
		memset(s, 0, sizeof(*s));
		return -ENOMEM;
	}
	s->rows = rows;
	s->cols = cols;
	s->grow = grow;
	tscr_clear(s);
	return 0;
}

void tscr_free(struct scr *s)
{
	free(s->ch);
	free(s->role);
	memset(s, 0, sizeof(*s));
}

void tscr_clear(struct scr *s)
{
	size_t n = (size_t)s->rows * (size_t)s->cols;

	memset(s->ch, ' ', n);
	memset(s->role, ROLE_NORMAL, n);
	s->used = 0;
}

/* Make row y exist; false when it cannot (off the bottom, or ENOMEM). */
static bool row_ok(struct scr *s, int y)
{
	if (y < 0)
		return false;
	if (y >= s->rows) {
		size_t old, n;
		int rows = s->rows;
		char *ch;
		unsigned char *role;

		if (!s->grow)
			return false;
		while (rows <= y)
			rows *= 2;
		old = (size_t)s->rows * (size_t)s->cols;
		n = (size_t)rows * (size_t)s->cols;
		ch = realloc(s->ch, n);
		if (!ch)
			return false;
		s->ch = ch;
		role = realloc(s->role, n);
		if (!role)
			return false;
		s->role = role;
		memset(s->ch + old, ' ', n - old);
		memset(s->role + old, ROLE_NORMAL, n - old);
		s->rows = rows;
	}
	if (y >= s->used)
		s->used = y + 1;
	return true;
}

int tscr_put(struct scr *s, int y, int x, enum tui_role role, const char *text, size_t n)
{
	int w = 0;

	if (x < 0 || x >= s->cols || !row_ok(s, y))
		return 0;
	for (size_t i = 0; i < n && x + w < s->cols; i++, w++) {
		unsigned char c = (unsigned char)text[i];
		size_t at = (size_t)y * (size_t)s->cols + (size_t)(x + w);

		s->ch[at] = c < 0x20 || c == 0x7f ? '?' : (char)c;
		s->role[at] = (unsigned char)role;
	}
	return w;
}

int tscr_printf(struct scr *s, int y, int x, enum tui_role role, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	return tscr_put(s, y, x, role, line, (size_t)n);
}

void tscr_fill(struct scr *s, int y, int x, int n, char c, enum tui_role role)
{
	if (!row_ok(s, y))
		return;
	for (int i = 0; i < n && x + i < s->cols; i++) {
		size_t at;

		if (x + i < 0)
			continue;
		at = (size_t)y * (size_t)s->cols + (size_t)(x + i);
		s->ch[at] = c;
		s->role[at] = (unsigned char)role;
	}
}

void tscr_paint(struct scr *s, int y, int x, int n, enum tui_role role)
{
	if (!row_ok(s, y))
		return;
	for (int i = 0; i < n && x + i < s->cols; i++)
		if (x + i >= 0)
			s->role[(size_t)y * (size_t)s->cols + (size_t)(x + i)] = (unsigned char)role;
}

/* The role an SGR parameter string selects (render/table.c's codes). */
static enum tui_role sgr_role(const char *p, size_t n)
{
	if (n == 1 && p[0] == '1')
		return ROLE_TITLE;
	if (n == 1 && p[0] == '2')
		return ROLE_DIM;
	if (n == 2 && p[0] == '3' && p[1] == '2')
		return ROLE_GOOD;
	if (n == 2 && p[0] == '3' && p[1] == '3')
		return ROLE_WARN;
	if (n == 4 && memcmp(p, "1;31", 4) == 0)
		return ROLE_BAD;
	return ROLE_NORMAL;
}

int tscr_ansi(struct scr *s, int y, int x, const char *text, size_t len)
{
	enum tui_role role = ROLE_NORMAL;
	int row = 0, col = x;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\033' && i + 1 < len && text[i + 1] == '[') {
			size_t j = i + 2;

			while (j < len && text[j] != 'm')
				j++;
			role = sgr_role(text + i + 2, j - (i + 2));
			i = j;
			continue;
		}
		if (text[i] == '\n') {
			row++;
			col = x;
			continue;
		}
		col += tscr_put(s, y + row, col, role, text + i, 1);
	}
	return row;
}

int tscr_write_text(const struct scr *s, FILE *f)
{
	for (int y = 0; y < s->used; y++) {
		const char *line = s->ch + (size_t)y * (size_t)s->cols;
		int n = s->cols;

		while (n > 0 && line[n - 1] == ' ')
			n--;
		fwrite(line, 1, (size_t)n, f);
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

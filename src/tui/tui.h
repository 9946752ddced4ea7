/*
 * tui.h - the live views' screen model and their one main loop.
 *
 * A view never talks to ncurses.  It renders into a struct scr, a grid
 * of cells (a byte and a semantic colour role each, htop's
 * ColorElements idea), and the loop shows that grid either on the
 * terminal through ncurses (rewriting only the rows that changed since
 * the last frame) or, in batch mode, as plain text lines on stdout (the
 * same render code for logs and tests, as pw-top and slabtop -o do).
 *
 * The loop (tui_run) is htop's: one getch() with a timeout for the
 * refresh tick, the model refreshed on the tick, the screen redrawn only
 * when something changed, KEY_RESIZE from getch() (ncurses turns SIGWINCH
 * into it; no handler of ours does work), SIGINT/SIGTERM/SIGHUP only set
 * a flag, and endwin() on every way out.
 */
#ifndef FRAGSCOPE_TUI_H
#define FRAGSCOPE_TUI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "../render/json.h"

/* Semantic colour roles; the loop maps them to attributes once. */
enum tui_role {
	ROLE_NORMAL,
	ROLE_HEADING,   /* column headings (reverse video) */
	ROLE_TITLE,     /* pane titles (bold) */
	ROLE_GOOD,
	ROLE_WARN,
	ROLE_BAD,
	ROLE_DIM,
	ROLE_SELECTED,  /* the focused pane's title, the selected row */
	ROLE_BAR,       /* a gauge's filled part */
	ROLE__COUNT
};

/* A grid of rows x cols cells.  grow: rows are added as they are written
 * (batch mode: a frame is as long as its content). */
struct scr {
	int rows, cols;
	bool grow;
	int used;            /* rows written to, for batch output */
	char *ch;
	unsigned char *role;
};

int tscr_init(struct scr *s, int rows, int cols, bool grow);
void tscr_free(struct scr *s);
/* Blank every cell (used = 0). */
void tscr_clear(struct scr *s);
/* Write printf output at (y, x) in role, clipped at the right edge (and
 * the bottom unless grow).  Control characters become '?'.  Returns the
 * columns written. */
int tscr_printf(struct scr *s, int y, int x, enum tui_role role, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int tscr_put(struct scr *s, int y, int x, enum tui_role role, const char *text, size_t n);
/* n cells of c from (y, x). */
void tscr_fill(struct scr *s, int y, int x, int n, char c, enum tui_role role);
/* Set the role of n cells from (y, x) without changing their text. */
void tscr_paint(struct scr *s, int y, int x, int n, enum tui_role role);
/*
 * Text as the table renderer prints it with colour on (SGR sequences
 * 1, 2, 32, 33, 1;31 and 0), several lines, from row y: the sequences
 * become roles.  Returns the rows used.
 */
int tscr_ansi(struct scr *s, int y, int x, const char *text, size_t len);
/* Print rows [0, used) to f, trailing blanks removed. */
int tscr_write_text(const struct scr *s, FILE *f);

/* Keys a view sees besides characters (the loop translates ncurses'). */
enum {
	TUI_UP = 0x10001,
	TUI_DOWN,
	TUI_BTAB,        /* Shift-Tab */
	TUI_ENTER,       /* keypad Enter; the Return key arrives as '\r' */
};

/* What a view's key handler did. */
enum {
	TUI_KEY_IGNORED,   /* not the view's key: the loop handles it */
	TUI_KEY_REDRAW,    /* re-render from the model */
	TUI_KEY_REFRESH,   /* re-read the model now, then render */
};

struct tui_view {
	const char *name;
	int min_rows, min_cols;
	const char *const *help;  /* the view's own keys, NULL-terminated lines */
	/* Re-read the model.  now: monotonic seconds.  0, or an exit code
	 * after which the loop ends (the message is kept for after endwin). */
	int (*update)(void *st, double now);
	void (*render)(void *st, struct scr *s);
	/* Batch --json: write one frame object's members. */
	void (*json)(void *st, struct json *j);
	int (*key)(void *st, int ch);
	/* '/': apply a filter (empty: none).  0, or -1 with a message in err. */
	int (*filter)(void *st, const char *text, char *err, size_t n);
	/* Loop state the view shows (delay, pause); may be NULL. */
	void (*set_delay)(void *st, double delay, bool paused);
};

struct tui_opts {
	double delay;              /* seconds between refreshes */
	unsigned long iterations;  /* batch frames; 0 = until a signal */
	bool batch;
	bool json;                 /* batch: one JSON object per line per frame */
	bool color;                /* colours wanted (NO_COLOR, --color); monochrome if the terminal has none */
	int batch_cols;            /* batch frame width */
	char error[512];           /* out: why the loop ended with a non-zero status */
};

/* Run the view until q, a signal, or the last batch frame.  Returns the
 * exit status; o->error says why when it is not 0 and the view did not. */
int tui_run(const struct tui_view *v, void *st, struct tui_opts *o);
/* The signal (SIGINT, SIGTERM, SIGHUP) that ended the last tui_run(), or 0. */
int tui_stopped_by(void);

double tui_now(void);

#endif

/*
 * loop.c - the one main loop of the live views (tui.h), and the two ways
 * a frame leaves the program: ncurses, or text/JSON on stdout in batch
 * mode.
 */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui.h"

static volatile sig_atomic_t stop_signal;

/* The whole handler: the loop looks at the flag after getch() returns. */
static void on_signal(int sig)
{
	stop_signal = sig;
}

static void signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;      /* no SA_RESTART: getch() and nanosleep() return */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

double tui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- batch ------------------------------------------------------------ */

static int run_batch(const struct tui_view *v, void *st, struct tui_opts *o)
{
	struct scr s;
	double next = tui_now();
	int rc = 0;

	if (tscr_init(&s, 64, o->batch_cols > 0 ? o->batch_cols : 132, true) < 0) {
		snprintf(o->error, sizeof(o->error), "out of memory");
		return 3;
	}
	for (unsigned long i = 0; !stop_signal && (!o->iterations || i < o->iterations); i++) {
		rc = v->update(st, tui_now());
		if (rc)
			break;
		if (o->json) {
			struct json *j = json_new(stdout, false);

			if (!j) {
				snprintf(o->error, sizeof(o->error), "out of memory");
				rc = 3;
				break;
			}
			json_begin_object(j);
			v->json(st, j);
			json_end_object(j);
			json_finish(j);
			json_free(j);
		} else {
			tscr_clear(&s);
			v->render(st, &s);
			if (i)
				fputc('\n', stdout);
			tscr_write_text(&s, stdout);
		}
		if (fflush(stdout) == EOF || ferror(stdout)) {
			rc = 5;
			break;
		}
		if (o->iterations && i + 1 >= o->iterations)
			break;
		next += o->delay;
		for (double left = next - tui_now(); left > 0 && !stop_signal; left = next - tui_now()) {
			struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };

			nanosleep(&ts, NULL);
		}
	}
	tscr_free(&s);
	return rc;
}

/* ---- the terminal ------------------------------------------------------ */

static bool curses_on;
static attr_t role_attr[ROLE__COUNT];
/* While the screen is ours, stderr goes to a temporary file, so that a
 * diagnostic does not scribble over the screen and is not lost in the
 * alternate screen: it is copied to the real stderr after endwin(). */
static int saved_stderr = -1;
static FILE *held_stderr;

static void stderr_hold(void)
{
	fflush(stderr);
	held_stderr = tmpfile();
	saved_stderr = held_stderr ? dup(STDERR_FILENO) : -1;
	if (saved_stderr < 0 || dup2(fileno(held_stderr), STDERR_FILENO) < 0) {
		if (saved_stderr >= 0)
			close(saved_stderr);
		if (held_stderr)
			fclose(held_stderr);
		saved_stderr = -1;
		held_stderr = NULL;
	}
}

static void stderr_release(void)
{
	char b[4096];
	size_t n;

	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	rewind(held_stderr);
	while ((n = fread(b, 1, sizeof(b), held_stderr)) > 0)
		fwrite(b, 1, n, stderr);
	fclose(held_stderr);
	held_stderr = NULL;
}

/* Leave curses mode; harmless when not in it (atexit, error paths). */
static void curses_end(void)
{
	if (curses_on) {
		curs_set(1);
		endwin();
		curses_on = false;
	}
	stderr_release();
}

static void roles_init(bool want_color)
{
	/* Monochrome first: every role stays readable without colour. */
	role_attr[ROLE_NORMAL] = A_NORMAL;
	role_attr[ROLE_HEADING] = A_REVERSE;
	role_attr[ROLE_TITLE] = A_BOLD;
	role_attr[ROLE_GOOD] = A_NORMAL;
	role_attr[ROLE_WARN] = A_BOLD;
	role_attr[ROLE_BAD] = A_BOLD | A_UNDERLINE;
	role_attr[ROLE_DIM] = A_DIM;
	role_attr[ROLE_SELECTED] = A_REVERSE | A_BOLD;
	role_attr[ROLE_BAR] = A_REVERSE;
	if (!want_color || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	init_pair(1, COLOR_GREEN, -1);
	init_pair(2, COLOR_YELLOW, -1);
	init_pair(3, COLOR_RED, -1);
	init_pair(4, COLOR_BLACK, COLOR_CYAN);
	init_pair(5, COLOR_CYAN, -1);
	role_attr[ROLE_GOOD] = COLOR_PAIR(1);
	role_attr[ROLE_WARN] = COLOR_PAIR(2) | A_BOLD;
	role_attr[ROLE_BAD] = COLOR_PAIR(3) | A_BOLD;
	role_attr[ROLE_HEADING] = COLOR_PAIR(4);
	role_attr[ROLE_BAR] = COLOR_PAIR(5) | A_REVERSE;
	role_attr[ROLE_TITLE] = COLOR_PAIR(5) | A_BOLD;
}

/* Write the rows of s that differ from prev (prev then equals s). */
static void show(const struct scr *s, struct scr *prev, bool all)
{
	for (int y = 0; y < s->rows && y < LINES; y++) {
		size_t at = (size_t)y * (size_t)s->cols;

		if (!all && memcmp(s->ch + at, prev->ch + at, (size_t)s->cols) == 0 &&
		    memcmp(s->role + at, prev->role + at, (size_t)s->cols) == 0)
			continue;
		move(y, 0);
		for (int x = 0; x < s->cols && x < COLS;) {
			unsigned char r = s->role[at + (size_t)x];
			int n = 1;

			while (x + n < s->cols && x + n < COLS && s->role[at + (size_t)(x + n)] == r)
				n++;
			attrset(role_attr[r]);
			/* The last cell of the screen: addnstr would scroll. */
			if (y == LINES - 1 && x + n >= COLS)
				n = COLS - 1 - x;
			if (n > 0)
				addnstr(s->ch + at + x, n);
			x += n > 0 ? n : 1;
		}
		attrset(A_NORMAL);
		memcpy(prev->ch + at, s->ch + at, (size_t)s->cols);
		memcpy(prev->role + at, s->role + at, (size_t)s->cols);
	}
	refresh();
}

static const char *const common_help[] = {
	"SPACE      refresh now",
	"/          filter by regular expression (Enter applies, Ctrl-U clears, Esc cancels)",
	"+ -        longer / shorter refresh delay",
	"h ?        this help (any key closes it)",
	"q          quit (also Ctrl-C)",
	NULL,
};

static void render_help(const struct tui_view *v, struct scr *s, double delay)
{
	int y = 0;

	tscr_printf(s, y++, 0, ROLE_TITLE, "fragscope %s: keys (refresh every %g s)", v->name, delay);
	y++;
	for (const char *const *h = v->help; h && *h; h++)
		tscr_printf(s, y++, 2, ROLE_NORMAL, "%s", *h);
	for (const char *const *h = common_help; *h; h++)
		if (v->filter || (*h)[0] != '/')
			tscr_printf(s, y++, 2, ROLE_NORMAL, "%s", *h);
	y++;
	tscr_printf(s, y, 0, ROLE_DIM, "Press any key to return.");
}

static void render_small(const struct tui_view *v, struct scr *s)
{
	tscr_printf(s, 0, 0, ROLE_BAD, "terminal too small");
	tscr_printf(s, 1, 0, ROLE_NORMAL, "%dx%d, need %dx%d", COLS, LINES, v->min_cols, v->min_rows);
	tscr_printf(s, 2, 0, ROLE_DIM, "q quits");
}

static int run_curses(const struct tui_view *v, void *st, struct tui_opts *o)
{
	struct scr s = { 0 }, prev = { 0 };
	char filter[256] = "", msg[256] = "";
	size_t flen = 0;
	bool help = false, prompt = false, paused = false, dirty = true, all = true;
	double delay = o->delay, next;
	int rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(o->error, sizeof(o->error),
			 "%s needs a terminal (use -b for batch mode, or -o for one frame)", v->name);
		return 2;
	}
	/* The first model before the screen changes: an error prints plainly. */
	rc = v->update(st, tui_now());
	if (rc)
		return rc;
	next = tui_now() + delay;
	stderr_hold();
	if (!initscr()) {
		stderr_release();
		snprintf(o->error, sizeof(o->error), "cannot initialise the terminal");
		return 2;
	}
	curses_on = true;
	atexit(curses_end);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	roles_init(o->color);
	if (v->set_delay)
		v->set_delay(st, delay, paused);

	while (!stop_signal) {
		int ch, ms;
		double now;

		if (dirty) {
			if (s.rows != LINES || s.cols != COLS) {
				tscr_free(&s);
				tscr_free(&prev);
				if (tscr_init(&s, LINES, COLS, false) < 0 || tscr_init(&prev, LINES, COLS, false) < 0) {
					snprintf(o->error, sizeof(o->error), "out of memory");
					rc = 3;
					break;
				}
				clear();
				all = true;
			}
			tscr_clear(&s);
			if (LINES < v->min_rows || COLS < v->min_cols)
				render_small(v, &s);
			else if (help)
				render_help(v, &s, delay);
			else
				v->render(st, &s);
			if (prompt) {
				tscr_fill(&s, LINES - 1, 0, COLS, ' ', ROLE_NORMAL);
				tscr_printf(&s, LINES - 1, 0, ROLE_TITLE, "filter (regex): %s_", filter);
			} else if (msg[0]) {
				tscr_fill(&s, LINES - 1, 0, COLS, ' ', ROLE_NORMAL);
				tscr_printf(&s, LINES - 1, 0, ROLE_BAD, "%s", msg);
			}
			show(&s, &prev, all);
			all = false;
			dirty = false;
		}
		now = tui_now();
		ms = paused ? 1000 : (int)((next - now) * 1000.0 + 0.999);
		if (ms < 0)
			ms = 0;
		/*
		 * ncurses abandons a screen update when keys are waiting
		 * (typeahead) and finishes it at the next refresh; ours may not
		 * come for a whole delay when nothing changes, so finish it
		 * here before waiting.  Cheap when the screen is up to date.
		 */
		doupdate();
		timeout(ms);
		ch = getch();
		if (stop_signal)
			break;
		if (ch == ERR) {
			now = tui_now();
			if (!paused && now >= next) {
				rc = v->update(st, now);
				if (rc)
					break;
				next += delay;
				if (next < now)
					next = now + delay;
				dirty = true;
			}
			continue;
		}
		if (ch == KEY_RESIZE) {
			dirty = true;
			continue;
		}
		dirty = true;
		if (prompt) {
			if (ch == 27) {
				prompt = false;
			} else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
				char err[200] = "";

				prompt = false;
				if (v->filter(st, filter, err, sizeof(err)) < 0)
					snprintf(msg, sizeof(msg), "%s", err);
			} else if (ch == 21) {  /* Ctrl-U */
				flen = 0;
				filter[0] = '\0';
			} else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && flen) {
				filter[--flen] = '\0';
			} else if (ch >= 0x20 && ch < 0x7f && flen + 1 < sizeof(filter)) {
				filter[flen++] = (char)ch;
				filter[flen] = '\0';
			}
			continue;
		}
		msg[0] = '\0';
		if (help) {
			help = false;
			continue;
		}
		if (ch == 'q' || ch == 'Q')
			break;
		if (LINES >= v->min_rows && COLS >= v->min_cols) {
			int k = ch == KEY_UP ? TUI_UP : ch == KEY_DOWN ? TUI_DOWN : ch == KEY_BTAB ? TUI_BTAB :
				ch == KEY_ENTER ? TUI_ENTER : ch;
			int r = v->key ? v->key(st, k) : TUI_KEY_IGNORED;

			if (r == TUI_KEY_REFRESH) {
				rc = v->update(st, tui_now());
				if (rc)
					break;
				continue;
			}
			if (r == TUI_KEY_REDRAW)
				continue;
		}
		switch (ch) {
		case 'h':
		case '?':
			help = true;
			break;
		case ' ':
			rc = v->update(st, tui_now());
			next = tui_now() + delay;
			break;
		case '/':
			if (v->filter)
				prompt = true;
			break;
		case 'p':
			paused = !paused;
			next = tui_now() + delay;
			break;
		case '+':
		case '=':
		case '-':
			delay = ch == '-' ? delay / 2 : delay * 2;
			if (delay < 0.1)
				delay = 0.1;
			if (delay > 3600)
				delay = 3600;
			next = tui_now() + delay;
			break;
		case 12: /* Ctrl-L */
			all = true;
			clearok(curscr, TRUE);
			break;
		default:
			break;
		}
		if (rc)
			break;
		if (v->set_delay)
			v->set_delay(st, delay, paused);
	}
	curses_end();
	tscr_free(&s);
	tscr_free(&prev);
	return rc;
}

int tui_stopped_by(void)
{
	return (int)stop_signal;
}

int tui_run(const struct tui_view *v, void *st, struct tui_opts *o)
{
	o->error[0] = '\0';
	stop_signal = 0;
	signals_install();
	return o->batch ? run_batch(v, st, o) : run_curses(v, st, o);
}

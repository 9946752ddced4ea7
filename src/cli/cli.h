/*
 * cli.h - the command layer: options, the command table, exit codes and
 * diagnostics.  Only this layer (and main.c) prints to stderr or decides
 * the exit status.
 *
 * Adding a command:
 *   1. write src/cli/cmd-NAME.c with an exec function
 *      int cmd_NAME(struct options *o);
 *   2. declare it below and add one entry to cmd_table[] in cmd.c
 *      (name, arguments, one-line summary, argc bounds, allowed
 *      command options);
 *   3. add any new option to opt_table[] in options.c;
 *   4. document it in man/fragscope.1.scd and the three completion
 *      files (tests/consistency.sh checks they agree with --help);
 *   5. add CLI golden cases under tests/cli/cases/.
 */
#ifndef FRAGSCOPE_CLI_H
#define FRAGSCOPE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../parse/load.h"
#include "../render/json.h"
#include "../render/table.h"

/* Exit status (DESIGN.md "Output contract"). */
enum {
	EXIT_OK = 0,
	EXIT_NEGATIVE = 1, /* a check-style command's verdict is "no" */
	EXIT_USAGE = 2,
	EXIT_INPUT = 3,    /* input missing or malformed */
	EXIT_PERM = 4,     /* permission denied */
	EXIT_OUTPUT = 5,   /* output could not be written */
};

/* Command-specific options: bits of cmd_entry.opts and options.used (64 of them). */
#define OPT_EXPLAIN        (UINT64_C(1) << 0)
#define OPT_PID            (UINT64_C(1) << 1)
#define OPT_FORCE          (UINT64_C(1) << 2)
#define OPT_KERNEL_FORMAT  (UINT64_C(1) << 3)
#define OPT_CHECK          (UINT64_C(1) << 4)
#define OPT_ORDER          (UINT64_C(1) << 5)
#define OPT_GFP            (UINT64_C(1) << 6)
#define OPT_NODE           (UINT64_C(1) << 7)
#define OPT_COUNT          (UINT64_C(1) << 8)
#define OPT_SORT           (UINT64_C(1) << 9)
#define OPT_FILTER         (UINT64_C(1) << 10)
#define OPT_PER_NODE       (UINT64_C(1) << 11)
#define OPT_WATCH          (UINT64_C(1) << 12)
#define OPT_NO_SYSFS       (UINT64_C(1) << 13)
#define OPT_EXTENDED       (UINT64_C(1) << 14) /* -x, -X, -XX */
#define OPT_QUIET          (UINT64_C(1) << 15)
#define OPT_RANGE          (UINT64_C(1) << 16)
#define OPT_SHOW_PATH      (UINT64_C(1) << 17)
#define OPT_SUMMARY        (UINT64_C(1) << 18)
#define OPT_HOLES          (UINT64_C(1) << 19)
#define OPT_ROLLUP         (UINT64_C(1) << 20)
#define OPT_TOP            (UINT64_C(1) << 21)
#define OPT_NO_PSS         (UINT64_C(1) << 22)
#define OPT_SEED_FROM      (UINT64_C(1) << 23)
#define OPT_WORKLOAD       (UINT64_C(1) << 24)
#define OPT_STEPS          (UINT64_C(1) << 25)
#define OPT_SIM_SEED       (UINT64_C(1) << 26)
#define OPT_SAMPLE         (UINT64_C(1) << 27)
#define OPT_BENCH          (UINT64_C(1) << 28)
#define OPT_PAGES          (UINT64_C(1) << 29)
#define OPT_KPAGEFLAGS     (UINT64_C(1) << 30)
#define OPT_EMIT_ROOT      (UINT64_C(1) << 31)
#define OPT_SECONDS        (UINT64_C(1) << 32)
#define OPT_REPLAY         (UINT64_C(1) << 33)
#define OPT_SIMULATE       (UINT64_C(1) << 34)
#define OPT_PCP            (UINT64_C(1) << 35)
#define OPT_SELECT         (UINT64_C(1) << 36)
#define OPT_FORMAT         (UINT64_C(1) << 37)
#define OPT_TAR            (UINT64_C(1) << 38)
#define OPT_FAIL_ON        (UINT64_C(1) << 39)
#define OPT_CHECK_GEOMETRY (UINT64_C(1) << 40)
#define OPT_CPUS           (UINT64_C(1) << 41)
#define OPT_WHAT_IF        (UINT64_C(1) << 42)
#define OPT_OBJECT_SIZE    (UINT64_C(1) << 43)
#define OPT_CPU_SLABS      (UINT64_C(1) << 44)
#define OPT_SLAB_RULE      (UINT64_C(1) << 45)
#define OPT_DELAY          (UINT64_C(1) << 46)
#define OPT_ONCE           (UINT64_C(1) << 47)
#define OPT_BATCH          (UINT64_C(1) << 48)
#define OPT_ITERATIONS     (UINT64_C(1) << 49)

/* maps -x / -X / -XX (options.extended). */
enum maps_view { MAPS_PLAIN, MAPS_X, MAPS_XBIG, MAPS_XX };

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct options {
	const char *root;        /* --root, NULL = live */
	bool json;
	bool raw;
	bool noheadings;
	bool bytes;
	const char *output;      /* -o spec or NULL */
	enum color_mode color_mode;
	bool color;              /* resolved */
	bool pretty;             /* pretty JSON (stdout is a terminal) */

	bool explain;            /* mem --explain */
	bool force;              /* snapshot --force */
	bool kpageflags;         /* snapshot --kpageflags */
	const char *tar;         /* snapshot --tar FILE ("-": stdout) */
	const char *fail_on;     /* diff --fail-on COND[,COND] */
	int *pids;               /* snapshot --pid, repeatable */
	size_t npids;
	bool kernel_format;      /* frag --kernel-format */
	bool check;              /* buddy --check */
	int order;               /* predict --order (valid when OPT_ORDER used); export: the first */
	uint64_t order_mask;     /* export --order LIST: bit N for order N */
	unsigned norders;        /* orders in the --order list */
	const char *select;      /* export --select GROUPS */
	const char *format;      /* export --format openmetrics|prometheus */
	const char *gfp;         /* predict --gfp, NULL = GFP_KERNEL */
	int node;                /* --node (valid when OPT_NODE used) */
	uint64_t count;          /* predict --count, slab --watch samples; 0 = not given */
	const char *sort;        /* slab -s KEY */
	const char *filter;      /* slab --filter REGEX */
	bool per_node;           /* slab --per-node */
	double watch;            /* slab --watch SECS (valid when OPT_WATCH used) */
	bool no_sysfs;           /* slab --no-sysfs */
	enum maps_view extended; /* maps -x, -X, -XX */
	bool quiet;              /* maps -q: no header or total lines */
	uint64_t range_lo, range_hi; /* maps -A LOW,HIGH (valid when OPT_RANGE used); inclusive */
	bool show_path;          /* maps -p: full paths, not base names */
	bool summary;            /* maps --summary */
	bool holes;              /* maps --holes */
	bool rollup;             /* maps --rollup */
	uint64_t top;            /* maps --holes, procs: --top N; 0 = not given */
	bool no_pss;             /* procs --no-pss */
	const char *sim_seed_from; /* sim --seed-from, NULL = the default */
	const char *sim_workload;  /* sim --workload, NULL = "default" */
	const char *sim_bench;     /* sim --bench W1 */
	const char *sim_emit_root; /* sim --emit-root DIR */
	const char *sim_replay;    /* sim buddy --replay TRACE */
	double sim_seconds;        /* sim record --seconds */
	const char *simulate;      /* predict --simulate SPEC */
	bool pcp;                  /* sim buddy --pcp */
	bool check_geometry;       /* slab --check-geometry */
	unsigned cpus;             /* slab --check-geometry, sim slab: --cpus N (0 = not given) */
	bool what_if;              /* sim slab --what-if */
	uint64_t object_size;      /* sim slab --object-size N */
	bool cpu_slabs;            /* sim slab --cpu-slabs */
	const char *slab_rule;     /* --slab-rule 6.1|6.7, NULL = by kernel release */
	uint64_t sim_steps, sim_seed, sim_sample, sim_pages; /* 0 = not given (except --seed: see used) */

	double delay;            /* slabtop, top -d SECS (valid when OPT_DELAY used) */
	bool once;               /* slabtop, top -o/--once */
	bool batch;              /* slabtop, top -b/--batch */
	uint64_t iterations;     /* slabtop, top -n N; 0 = not given */

	uint64_t used;           /* OPT_* bits given on the command line */
	const struct cmd_entry *cmd;
	int argc;                /* positional arguments after the command */
	char **argv;
};

struct cmd_entry {
	const char *name;
	const char *alias;       /* or NULL */
	const char *args;        /* synopsis of positional arguments, "" if none */
	const char *summary;
	int min_args;
	int max_args;
	uint64_t opts;           /* OPT_* bits this command accepts */
	int (*exec)(struct options *o);
};

extern const struct cmd_entry cmd_table[];
extern const size_t cmd_table_size;
/* Exact name, alias, or unique prefix.  NULL if none; *ambiguous set when
 * several commands share the prefix. */
const struct cmd_entry *cmd_find(const char *name, bool *ambiguous);

int cmd_report(struct options *o);
int cmd_mem(struct options *o);
int cmd_buddy(struct options *o);
int cmd_snapshot(struct options *o);
int cmd_frag(struct options *o);
int cmd_predict(struct options *o);
int cmd_hugepages(struct options *o);
int cmd_slab(struct options *o);
int cmd_maps(struct options *o);
int cmd_procs(struct options *o);
int cmd_sim(struct options *o);
int cmd_physmap(struct options *o);
int cmd_export(struct options *o);
int cmd_diff(struct options *o);
int cmd_slabtop(struct options *o);
int cmd_top(struct options *o);
/* cmd-slabtop.c: the loop settings of slabtop and top from the options
 * (delay, batch, frames, JSON, colour).  0 or EXIT_USAGE after saying why. */
struct tui_opts;
int live_opts(const struct options *o, struct tui_opts *to);
/* The exit of slabtop and top: rc, or, when a signal ended the loop, death
 * by that signal (status 128 + N to the shell), the terminal restored. */
int live_finish(const struct tui_opts *to, int rc);
/* cmd-slabtop.c: remember a / filter typed in a live view as o->filter. */
void live_filter_keep(const struct options *o, const char *text);
int sim_record(struct options *o);   /* cmd-sim-record.c: "sim record" */
struct alloc_request;
/* cmd-sim.c: predict --simulate: run the workload until req first fails. */
int sim_forecast(const struct options *o, const struct machine *m, const struct alloc_request *req);

/* options.c: parse argv into *o and pick the command.  Returns EXIT_OK, or
 * EXIT_USAGE after printing the problem, or -1 when --help/--version was
 * handled (exit 0). */
int options_parse(int argc, char **argv, struct options *o);
void options_free(struct options *o);
void usage_print(FILE *f);

/* output.c: diagnostics and exit-status helpers. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Merge an exit code into *rc: the most severe (highest) wins. */
void cli_status(int *rc, int code);
/*
 * Report inputs of mask that failed to load, once each, and return the
 * exit code they imply.  required: inputs whose absence is fatal for the
 * command (their failure returns EXIT_INPUT or EXIT_PERM); the others are
 * optional and only a malformed one changes the status (EXIT_INPUT).
 */
int cli_check_inputs(const struct machine *m, unsigned mask, unsigned required);
/* Why an input is unavailable, for messages and JSON: "permission denied". */
const char *cli_input_reason(const struct input_status *st);
/* What to do about it: "needs root", "mount debugfs", or NULL. */
const char *cli_input_hint(const struct machine *m, enum input_id id, const struct input_status *st);
/* Write the "unavailable" array of a JSON document for inputs in mask. */
void cli_json_unavailable(struct json *j, const struct machine *m, unsigned mask);
/* Write the common document head: schema_version, command, source {...}. */
void cli_json_head(struct json *j, const struct options *o, const struct machine *m,
		   const char *command);
/*
 * Start a JSON document on stdout with the common head, or end it with the
 * "unavailable" array for mask and flush.  cli_json_begin() returns NULL
 * (after printing why) when out of memory.
 */
struct json *cli_json_begin(const struct options *o, const struct machine *m, const char *command);
void cli_json_end(struct json *j, const struct machine *m, unsigned mask);
/* Join the loaded buddyinfo, zoneinfo and pagetypeinfo per zone
 * (zones_collect over whatever loaded).  EXIT_OK, or EXIT_INPUT after
 * printing "out of memory". */
struct zone_view;
int cli_zones(const struct machine *m, struct zone_view **ret, size_t *ret_n);
/*
 * Open the source for o->root, load the inputs of mask and report the
 * ones that failed (cli_check_inputs).  Returns the exit code so far.
 * *ret_src and *m are always set (NULL / zeroed on failure), so callers
 * can always machine_free() and source_free(), then look at what loaded.
 */
int cli_load(const struct options *o, unsigned mask, unsigned required,
	     struct source **ret_src, struct machine *m);
/* cli_load() with load options (the /sys/kernel/slab detail). */
int cli_load_opts(const struct options *o, unsigned mask, unsigned required,
		  const struct load_opts *opts, struct source **ret_src, struct machine *m);
/* Open and load for slab, sysfs as lo says (detail, which caches), without
 * reporting the inputs: slab says "needs root" once when nothing loaded,
 * else reports with cli_check_slab_inputs() (which skips the sysfs of a
 * SLAB kernel, which has none). */
int cli_load_slab(const struct options *o, unsigned mask, const struct load_opts *lo,
		  struct source **ret_src, struct machine *m);
int cli_check_slab_inputs(const struct machine *m, unsigned mask);
/* Open the source for o->root; prints and returns an exit code on failure. */
int cli_open_source(const struct options *o, struct source **ret);
/* Table options from the command line. */
struct table_opts cli_table_opts(const struct options *o);
/*
 * Apply -o to a set of tables: every name must exist in at least one of
 * them (else a usage error is printed and EXIT_USAGE returned); "-o help"
 * lists every column and returns -1, after which the command exits 0.  Only
 * the tables holding the most of the requested columns are printed; the
 * others are freed and their pointer set to NULL.
 */
int cli_select_columns(const struct options *o, struct table **tables, size_t n);
/* A whole user-named file (a workload spec, a trace) of at most max
 * bytes into a malloc'd buffer: 0, -errno of open/read, -EFBIG, -ENOMEM. */
int cli_read_file(const char *path, size_t max, char **ret, size_t *len);
/* Flush stdout and turn a write error into EXIT_OUTPUT (EPIPE: quiet). */
int cli_finish(int rc);

#endif

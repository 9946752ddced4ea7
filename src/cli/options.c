/*
 * options.c - the option table and command-line parsing.
 *
 * opt_table[] is the single list of options: getopt_long's table, the
 * --help text and the per-command checks are all derived from it, and
 * tests/consistency.sh checks the man page and completions against the
 * --help output.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "cli.h"

enum {
	LONG_ONLY = 0x100,
	OPT_ID_COLOR = LONG_ONLY,
	OPT_ID_ROOT,
	OPT_ID_EXPLAIN,
	OPT_ID_PID,
	OPT_ID_FORCE,
	OPT_ID_KERNEL_FORMAT,
	OPT_ID_CHECK,
	OPT_ID_ORDER,
	OPT_ID_GFP,
	OPT_ID_NODE,
	OPT_ID_COUNT,
	OPT_ID_FILTER,
	OPT_ID_PER_NODE,
	OPT_ID_WATCH,
	OPT_ID_NO_SYSFS,
	OPT_ID_SUMMARY,
	OPT_ID_HOLES,
	OPT_ID_ROLLUP,
	OPT_ID_TOP,
	OPT_ID_NO_PSS,
	OPT_ID_SEED_FROM,
	OPT_ID_WORKLOAD,
	OPT_ID_STEPS,
	OPT_ID_SEED,
	OPT_ID_SAMPLE,
	OPT_ID_BENCH,
	OPT_ID_PAGES,
	OPT_ID_KPAGEFLAGS,
	OPT_ID_EMIT_ROOT,
	OPT_ID_REPLAY,
	OPT_ID_SECONDS,
	OPT_ID_SIMULATE,
	OPT_ID_PCP,
	OPT_ID_SELECT,
	OPT_ID_FORMAT,
	OPT_ID_TAR,
	OPT_ID_FAIL_ON,
	OPT_ID_CHECK_GEOMETRY,
	OPT_ID_CPUS,
	OPT_ID_WHAT_IF,
	OPT_ID_OBJECT_SIZE,
	OPT_ID_CPU_SLABS,
	OPT_ID_SLAB_RULE,
	OPT_ID_ONCE,
	OPT_ID_BATCH,
	OPT_ID_ITERATIONS,
};

struct opt_def {
	const char *long_name;
	int id;                /* short option character or OPT_ID_* */
	int has_arg;
	const char *arg;       /* argument name in help */
	uint64_t cmd_bit;      /* 0: global; else the OPT_* bit */
	const char *help;
};

/* The short letters of --once, --batch and --iterations, in slabtop and
 * top only (elsewhere -o, -b and -n are --output, --bytes, --noheadings). */
static char live_short(int id)
{
	return id == OPT_ID_ONCE ? 'o' : id == OPT_ID_BATCH ? 'b' : id == OPT_ID_ITERATIONS ? 'n' : 0;
}

static const struct opt_def opt_table[] = {
	{ "json", 'J', no_argument, NULL, 0, "print one JSON document" },
	{ "output", 'o', required_argument, "COLS", 0, "columns to print, comma-separated (export: the FILE to write)" },
	{ "raw", 'r', no_argument, NULL, 0, "raw table: no alignment, blanks escaped" },
	{ "noheadings", 'n', no_argument, NULL, 0, "do not print table headings" },
	{ "bytes", 'b', no_argument, NULL, 0, "print sizes in bytes, not KiB/MiB/GiB" },
	{ "color", OPT_ID_COLOR, optional_argument, "WHEN", 0, "colour: auto, always or never" },
	{ "root", OPT_ID_ROOT, required_argument, "DIR", 0,
	  "read a snapshot (directory or tar archive) or captured tree, not this machine" },
	{ "help", 'h', no_argument, NULL, 0, "show this help and exit" },
	{ "version", 'V', no_argument, NULL, 0, "show the version and exit" },
	{ "explain", OPT_ID_EXPLAIN, no_argument, NULL, OPT_EXPLAIN, "mem: describe each field" },
	{ "pid", OPT_ID_PID, required_argument, "PID", OPT_PID, "snapshot: also capture this process (repeatable)" },
	{ "force", OPT_ID_FORCE, no_argument, NULL, OPT_FORCE, "snapshot, sim --emit-root: replace a non-empty DIR" },
	{ "fail-on", OPT_ID_FAIL_ON, required_argument, "COND", OPT_FAIL_ON,
	  "diff: exit 1 if a condition holds, e.g. order9-blocks-dropped>50% (see fragscope(1))" },
	{ "tar", OPT_ID_TAR, required_argument, "FILE", OPT_TAR,
	  "snapshot: write a tar archive to FILE ('-': stdout) instead of DIR" },
	{ "kpageflags", OPT_ID_KPAGEFLAGS, no_argument, NULL, OPT_KPAGEFLAGS,
	  "snapshot: also copy /proc/kpageflags (8 bytes per page; for sim --seed-from kpageflags)" },
	{ "kernel-format", OPT_ID_KERNEL_FORMAT, no_argument, NULL, OPT_KERNEL_FORMAT,
	  "frag: print the indices exactly as debugfs extfrag files do" },
	{ "check", OPT_ID_CHECK, no_argument, NULL, OPT_CHECK,
	  "buddy: recompute watermarks and protection; exit 1 on a mismatch; sim: check invariants every step" },
	{ "order", OPT_ID_ORDER, required_argument, "N", OPT_ORDER,
	  "predict: allocation order (2^N pages); export: orders, comma-separated (default 0,3,9)" },
	{ "gfp", OPT_ID_GFP, required_argument, "CLASS", OPT_GFP,
	  "predict: allocation class (GFP_KERNEL, GFP_ATOMIC, THP, hugetlb, ...; 'help' lists them);"
	  " export: classes, comma-separated (default GFP_KERNEL,GFP_ATOMIC,THP)" },
	{ "select", OPT_ID_SELECT, required_argument, "GROUPS", OPT_SELECT,
	  "export: only these metric groups, comma-separated ('help' lists them)" },
	{ "format", OPT_ID_FORMAT, required_argument, "FMT", OPT_FORMAT,
	  "export: openmetrics (default) or prometheus (text 0.0.4, for node_exporter)" },
	{ "node", OPT_ID_NODE, required_argument, "N", OPT_NODE, "predict, hugepages: preferred or only NUMA node" },
	{ "count", OPT_ID_COUNT, required_argument, "K", OPT_COUNT,
	  "predict: allocations in a row that must succeed (default 1); slab --watch: intervals" },
	{ "sort", 's', required_argument, "KEY", OPT_SORT,
	  "slab: sort by a slabtop key (a b c l v n o p s u) or waste, partial; procs: by a column" },
	{ "filter", OPT_ID_FILTER, required_argument, "REGEX", OPT_FILTER,
	  "slab: only caches whose name or an alias matches (extended regex)" },
	{ "per-node", OPT_ID_PER_NODE, no_argument, NULL, OPT_PER_NODE, "slab: add per-node columns" },
	{ "watch", OPT_ID_WATCH, required_argument, "SECS", OPT_WATCH,
	  "slab: sample every SECS seconds and show growth (until Ctrl-C, or --count intervals)" },
	{ "no-sysfs", OPT_ID_NO_SYSFS, no_argument, NULL, OPT_NO_SYSFS,
	  "slab: read /proc/slabinfo only, not /sys/kernel/slab" },
	{ "extended", 'x', no_argument, NULL, OPT_EXTENDED, "maps: pmap -x view (RSS, dirty) from smaps" },
	{ "smaps", 'X', no_argument, NULL, OPT_EXTENDED,
	  "maps: pmap -X view from smaps; twice (-XX): every smaps field" },
	{ "quiet", 'q', no_argument, NULL, OPT_QUIET, "maps: no header or total lines" },
	{ "range", 'A', required_argument, "LOW,HIGH", OPT_RANGE,
	  "maps: only mappings that overlap the hex address range (either end may be empty)" },
	{ "show-path", 'p', no_argument, NULL, OPT_SHOW_PATH, "maps: full paths, not base names" },
	{ "summary", OPT_ID_SUMMARY, no_argument, NULL, OPT_SUMMARY,
	  "maps: the address space by kind (text, data, heap, stack, ...)" },
	{ "holes", OPT_ID_HOLES, no_argument, NULL, OPT_HOLES, "maps: the largest unmapped gaps" },
	{ "rollup", OPT_ID_ROLLUP, no_argument, NULL, OPT_ROLLUP,
	  "maps: totals from smaps_rollup only (cheap)" },
	{ "top", OPT_ID_TOP, required_argument, "N", OPT_TOP, "maps --holes: show the N largest gaps; procs: the first N rows" },
	{ "no-pss", OPT_ID_NO_PSS, no_argument, NULL, OPT_NO_PSS,
	  "procs: skip smaps_rollup (no PSS, USS; cheap)" },
	{ "seed-from", OPT_ID_SEED_FROM, required_argument, "SRC", OPT_SEED_FROM,
	  "sim: the starting state: live or root (the counts), kpageflags (the page layout)" },
	{ "workload", OPT_ID_WORKLOAD, required_argument, "SPEC", OPT_WORKLOAD,
	  "sim: a built-in workload or a spec file ('help' lists them; default: default)" },
	{ "steps", OPT_ID_STEPS, required_argument, "N", OPT_STEPS, "sim, predict --simulate: stop after N steps" },
	{ "seed", OPT_ID_SEED, required_argument, "S", OPT_SIM_SEED,
	  "sim, predict --simulate: random seed (default 1; the same seed gives the same run)" },
	{ "sample", OPT_ID_SAMPLE, required_argument, "K", OPT_SAMPLE,
	  "sim: a timeline row every K steps (default: 10 per phase)" },
	{ "bench", OPT_ID_BENCH, required_argument, "W1", OPT_BENCH,
	  "sim: run the W1 throughput benchmark instead (DESIGN.md)" },
	{ "pages", OPT_ID_PAGES, required_argument, "N", OPT_PAGES, "sim --bench: pages in the zone (default 4194304)" },
	{ "simulate", OPT_ID_SIMULATE, required_argument, "SPEC", OPT_SIMULATE,
	  "predict: the step at which the allocation first fails under a workload (see sim)" },
	{ "pcp", OPT_ID_PCP, no_argument, NULL, OPT_PCP,
	  "sim buddy: simulate per-CPU page lists too (zoneinfo's batch and high)" },
	{ "replay", OPT_ID_REPLAY, required_argument, "TRACE", OPT_REPLAY,
	  "sim buddy: replay a kmem trace (from sim record) instead of a workload" },
	{ "seconds", OPT_ID_SECONDS, required_argument, "N", OPT_SECONDS,
	  "sim record: how long to record (default 1; fractions allowed)" },
	{ "delay", 'd', required_argument, "SECS", OPT_DELAY,
	  "slabtop, top: seconds between refreshes (default 3; fractions allowed)" },
	{ "once", OPT_ID_ONCE, no_argument, NULL, OPT_ONCE,
	  "slabtop, top: print one frame to stdout and exit (slabtop -o)" },
	{ "batch", OPT_ID_BATCH, no_argument, NULL, OPT_BATCH,
	  "slabtop, top: print frames to stdout, no screen; -J: one JSON object per line" },
	{ "iterations", OPT_ID_ITERATIONS, required_argument, "N", OPT_ITERATIONS,
	  "slabtop, top --batch: stop after N frames" },
	{ "emit-root", OPT_ID_EMIT_ROOT, required_argument, "DIR", OPT_EMIT_ROOT,
	  "sim: write the end state as a root for --root DIR (buddyinfo, pagetypeinfo, zoneinfo; sim slab: slabinfo)" },
	{ "check-geometry", OPT_ID_CHECK_GEOMETRY, no_argument, NULL, OPT_CHECK_GEOMETRY,
	  "slab: compare each cache's slab_size, order and objects per slab with the kernel's rule" },
	{ "cpus", OPT_ID_CPUS, required_argument, "N", OPT_CPUS,
	  "slab --check-geometry, sim slab: present CPUs for the rule (default: the machine's or root's)" },
	{ "slab-rule", OPT_ID_SLAB_RULE, required_argument, "RULE", OPT_SLAB_RULE,
	  "slab --check-geometry, sim slab: slab order rule 6.7 or 6.1 (default: by kernel release)" },
	{ "cpu-slabs", OPT_ID_CPU_SLABS, no_argument, NULL, OPT_CPU_SLABS,
	  "sim slab: simulate SLUB's per-CPU slab and per-CPU partial slabs" },
	{ "what-if", OPT_ID_WHAT_IF, no_argument, NULL, OPT_WHAT_IF,
	  "sim slab: compare kmalloc size classes with a dedicated cache for --object-size" },
	{ "object-size", OPT_ID_OBJECT_SIZE, required_argument, "N", OPT_OBJECT_SIZE,
	  "sim slab --what-if: the object size in bytes" },
};

void usage_print(FILE *f)
{
	fputs("Usage: fragscope [OPTIONS] [COMMAND] [ARGS]\n"
	      "\n"
	      "Where is memory going, and will the next big allocation fail?\n"
	      "\n"
	      "Commands:\n", f);
	for (size_t i = 0; i < cmd_table_size; i++) {
		const struct cmd_entry *c = &cmd_table[i];
		char left[64];

		snprintf(left, sizeof(left), "%s%s%s", c->name, *c->args ? " " : "", c->args);
		fprintf(f, "  %-18s %s%s%s%s\n", left, c->summary, c->alias ? " (alias: " : "",
			c->alias ? c->alias : "", c->alias ? ")" : "");
	}
	fputs("\nOptions:\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(opt_table); i++) {
		const struct opt_def *d = &opt_table[i];
		char left[64];

		if (d->cmd_bit)
			continue;
		if (d->id < LONG_ONLY)
			snprintf(left, sizeof(left), "-%c, --%s", d->id, d->long_name);
		else
			snprintf(left, sizeof(left), "    --%s", d->long_name);
		if (d->arg)
			snprintf(left + strlen(left), sizeof(left) - strlen(left), "%s%s%s",
				 d->has_arg == optional_argument ? "[=" : " ", d->arg,
				 d->has_arg == optional_argument ? "]" : "");
		fprintf(f, "  %-24s %s\n", left, d->help);
	}
	fputs("\nCommand options:\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(opt_table); i++) {
		const struct opt_def *d = &opt_table[i];
		char left[64];

		if (!d->cmd_bit)
			continue;
		if (d->id < LONG_ONLY || live_short(d->id))
			snprintf(left, sizeof(left), "-%c, --%s%s%s", d->id < LONG_ONLY ? d->id : live_short(d->id),
				 d->long_name, d->arg ? " " : "", d->arg ? d->arg : "");
		else
			snprintf(left, sizeof(left), "--%s%s%s", d->long_name, d->arg ? " " : "",
				 d->arg ? d->arg : "");
		fprintf(f, "  %-24s %s\n", left, d->help);
	}
	fputs("\nWithout a command, prints the one-screen report.  A command may be\n"
	      "abbreviated to a unique prefix.\n"
	      "Exit status: 0 ok, 1 negative verdict, 2 usage error, 3 input missing or\n"
	      "malformed, 4 permission denied, 5 output could not be written.\n"
	      "See fragscope(1).\n", f);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("fragscope: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'fragscope --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

/* A decimal integer in [0, max]. */
static int parse_uint(const char *s, long max, long *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* A decimal uint64_t. */
static int parse_u64(const char *s, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int parse_pid(const char *s, int *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > INT_MAX)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

/* One end of -A: empty, or hex digits with an optional 0x. */
static int parse_hex_end(const char *s, size_t n, uint64_t dflt, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0) {
		*ret = dflt;
		return 0;
	}
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (n > 16)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' :
			s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10 :
			s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10 : -1;

		if (d < 0)
			return -EINVAL;
		v = v << 4 | (uint64_t)d;
	}
	*ret = v;
	return 0;
}

/* -A LOW,HIGH (pmap's syntax): "LOW" alone is LOW to the end. */
static int parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	const char *comma = strchr(s, ',');
	size_t n1 = comma ? (size_t)(comma - s) : strlen(s);

	if (parse_hex_end(s, n1, 0, lo) < 0)
		return -EINVAL;
	if (parse_hex_end(comma ? comma + 1 : "", comma ? strlen(comma + 1) : 0, UINT64_MAX, hi) < 0)
		return -EINVAL;
	return *lo <= *hi ? 0 : -EINVAL;
}

/*
 * The command word, found before parsing: slabtop and top give -o, -b
 * and -n slabtop's and pw-top's meanings (--once, --batch, --iterations N)
 * instead of the global --output, --bytes and --noheadings.
 */
static const char *prescan_command(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (a[0] != '-' || a[1] == '\0')
			return a;
		if (a[1] == '-') {
			for (size_t k = 0; k < ARRAY_SIZE(opt_table); k++) {
				size_t n = strlen(opt_table[k].long_name);

				if (strncmp(a + 2, opt_table[k].long_name, n) == 0 && a[2 + n] == '\0' &&
				    opt_table[k].has_arg == required_argument)
					i++;
			}
			continue;
		}
		for (const char *p = a + 1; *p; p++) {
			bool takes = false;

			for (size_t k = 0; k < ARRAY_SIZE(opt_table); k++)
				if (opt_table[k].id == *p && opt_table[k].has_arg == required_argument)
					takes = true;
			if (takes) {
				if (p[1] == '\0')
					i++;
				break;
			}
		}
	}
	return NULL;
}

int options_parse(int argc, char **argv, struct options *o)
{
	const char *pre = prescan_command(argc, argv);
	bool live = false;
	struct option longopts[ARRAY_SIZE(opt_table) + 1];
	char shortopts[64];
	size_t ns = 0;
	const char *cmd_name;
	bool ambiguous = false;
	unsigned nx = 0, nbigx = 0;
	int c;

	memset(o, 0, sizeof(*o));
	memset(longopts, 0, sizeof(longopts));
	if (pre) {
		const struct cmd_entry *pc = cmd_find(pre, &ambiguous);

		live = pc && (pc->exec == cmd_slabtop || pc->exec == cmd_top);
		ambiguous = false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(opt_table); i++) {
		const struct opt_def *d = &opt_table[i];

		longopts[i].name = d->long_name;
		longopts[i].has_arg = d->has_arg;
		longopts[i].val = d->id;
		if (live && live_short(d->id))
			continue;
		if (d->id < LONG_ONLY) {
			shortopts[ns++] = (char)d->id;
			if (d->has_arg == required_argument && !(live && d->id == 'o'))
				shortopts[ns++] = ':';
			if (live && d->id == 'n')
				shortopts[ns++] = ':';
		}
	}
	shortopts[ns] = '\0';

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			o->json = true;
			break;
		case 'o':
			if (live) {
				o->once = true;
				o->used |= OPT_ONCE;
				break;
			}
			o->output = optarg;
			break;
		case OPT_ID_ONCE:
			o->once = true;
			o->used |= OPT_ONCE;
			break;
		case OPT_ID_BATCH:
			o->batch = true;
			o->used |= OPT_BATCH;
			break;
		case OPT_ID_ITERATIONS: {
			long v;

			if (parse_uint(optarg, 1000000000L, &v) < 0 || v == 0)
				return usage_error("invalid number of frames '%s' (1 to 1000000000)", optarg);
			o->iterations = (uint64_t)v;
			o->used |= OPT_ITERATIONS;
			break;
		}
		case 'd': {
			char *end;
			double v;

			errno = 0;
			v = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(v >= 0.001 && v <= 86400))
				return usage_error("invalid delay '%s' (seconds, 0.001 to 86400)", optarg);
			o->delay = v;
			o->used |= OPT_DELAY;
			break;
		}
		case 'r':
			o->raw = true;
			break;
		case 'n':
			if (live) {
				long v;

				if (parse_uint(optarg, 1000000000L, &v) < 0 || v == 0)
					return usage_error("invalid number of frames '%s' (1 to 1000000000)", optarg);
				o->iterations = (uint64_t)v;
				o->used |= OPT_ITERATIONS;
				break;
			}
			o->noheadings = true;
			break;
		case 'b':
			if (live) {
				o->batch = true;
				o->used |= OPT_BATCH;
				break;
			}
			o->bytes = true;
			break;
		case OPT_ID_COLOR:
			if (!optarg || strcmp(optarg, "auto") == 0)
				o->color_mode = COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0)
				o->color_mode = COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				o->color_mode = COLOR_NEVER;
			else
				return usage_error("invalid --color argument '%s' (use auto, always or never)", optarg);
			break;
		case OPT_ID_ROOT:
			o->root = optarg;
			break;
		case 'h':
			usage_print(stdout);
			return -1;
		case 'V':
			printf("fragscope %s\n", FRAGSCOPE_VERSION);
			return -1;
		case OPT_ID_EXPLAIN:
			o->explain = true;
			o->used |= OPT_EXPLAIN;
			break;
		case OPT_ID_FORCE:
			o->force = true;
			o->used |= OPT_FORCE;
			break;
		case OPT_ID_KERNEL_FORMAT:
			o->kernel_format = true;
			o->used |= OPT_KERNEL_FORMAT;
			break;
		case OPT_ID_CHECK:
			o->check = true;
			o->used |= OPT_CHECK;
			break;
		case OPT_ID_ORDER: {
			/* One order, or for export a comma-separated list. */
			const char *p = optarg;

			o->order_mask = 0;
			o->norders = 0;
			for (;;) {
				size_t len = strcspn(p, ",");
				char one[16];
				long v;

				if (len >= sizeof(one))
					return usage_error("invalid order '%s' (a number of pages is 2^order)", optarg);
				memcpy(one, p, len);
				one[len] = '\0';
				if (parse_uint(one, 63, &v) < 0)
					return usage_error("invalid order '%s' (a number of pages is 2^order)", optarg);
				if (!o->norders)
					o->order = (int)v;
				if (!(o->order_mask & UINT64_C(1) << v))
					o->norders++;
				o->order_mask |= UINT64_C(1) << v;
				if (!p[len])
					break;
				p += len + 1;
			}
			o->used |= OPT_ORDER;
			break;
		}
		case OPT_ID_SELECT:
			o->select = optarg;
			o->used |= OPT_SELECT;
			break;
		case OPT_ID_FORMAT:
			o->format = optarg;
			o->used |= OPT_FORMAT;
			break;
		case OPT_ID_GFP:
			o->gfp = optarg;
			o->used |= OPT_GFP;
			break;
		case OPT_ID_NODE: {
			long v;

			if (parse_uint(optarg, INT_MAX, &v) < 0)
				return usage_error("invalid node '%s'", optarg);
			o->node = (int)v;
			o->used |= OPT_NODE;
			break;
		}
		case OPT_ID_COUNT: {
			long v;

			if (parse_uint(optarg, 1000000000L, &v) < 0 || v == 0)
				return usage_error("invalid count '%s' (1 to 1000000000)", optarg);
			o->count = (uint64_t)v;
			o->used |= OPT_COUNT;
			break;
		}
		case 's':
			o->sort = optarg;
			o->used |= OPT_SORT;
			break;
		case OPT_ID_FILTER:
			o->filter = optarg;
			o->used |= OPT_FILTER;
			break;
		case OPT_ID_PER_NODE:
			o->per_node = true;
			o->used |= OPT_PER_NODE;
			break;
		case OPT_ID_NO_SYSFS:
			o->no_sysfs = true;
			o->used |= OPT_NO_SYSFS;
			break;
		case OPT_ID_WATCH: {
			char *end;
			double v;

			errno = 0;
			v = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(v >= 0.01 && v <= 86400))
				return usage_error("invalid --watch interval '%s' (seconds, 0.01 to 86400)", optarg);
			o->watch = v;
			o->used |= OPT_WATCH;
			break;
		}
		case 'x':
			nx++;
			o->used |= OPT_EXTENDED;
			break;
		case 'X':
			nbigx++;
			o->used |= OPT_EXTENDED;
			break;
		case 'q':
			o->quiet = true;
			o->used |= OPT_QUIET;
			break;
		case 'A':
			if (parse_range(optarg, &o->range_lo, &o->range_hi) < 0)
				return usage_error("invalid range '%s' (LOW,HIGH in hex; either may be empty)", optarg);
			o->used |= OPT_RANGE;
			break;
		case 'p':
			o->show_path = true;
			o->used |= OPT_SHOW_PATH;
			break;
		case OPT_ID_SUMMARY:
			o->summary = true;
			o->used |= OPT_SUMMARY;
			break;
		case OPT_ID_HOLES:
			o->holes = true;
			o->used |= OPT_HOLES;
			break;
		case OPT_ID_ROLLUP:
			o->rollup = true;
			o->used |= OPT_ROLLUP;
			break;
		case OPT_ID_TOP: {
			long v;

			if (parse_uint(optarg, 1000000000L, &v) < 0 || v == 0)
				return usage_error("invalid --top '%s' (1 to 1000000000)", optarg);
			o->top = (uint64_t)v;
			o->used |= OPT_TOP;
			break;
		}
		case OPT_ID_NO_PSS:
			o->no_pss = true;
			o->used |= OPT_NO_PSS;
			break;
		case OPT_ID_CHECK_GEOMETRY:
			o->check_geometry = true;
			o->used |= OPT_CHECK_GEOMETRY;
			break;
		case OPT_ID_WHAT_IF:
			o->what_if = true;
			o->used |= OPT_WHAT_IF;
			break;
		case OPT_ID_CPU_SLABS:
			o->cpu_slabs = true;
			o->used |= OPT_CPU_SLABS;
			break;
		case OPT_ID_SLAB_RULE:
			if (strcmp(optarg, "6.1") != 0 && strcmp(optarg, "6.7") != 0)
				return usage_error("invalid --slab-rule '%s' (6.7 or 6.1)", optarg);
			o->slab_rule = optarg;
			o->used |= OPT_SLAB_RULE;
			break;
		case OPT_ID_CPUS: {
			long v;

			if (parse_uint(optarg, 65536L, &v) < 0 || v == 0)
				return usage_error("invalid --cpus '%s' (1 to 65536)", optarg);
			o->cpus = (unsigned)v;
			o->used |= OPT_CPUS;
			break;
		}
		case OPT_ID_OBJECT_SIZE: {
			long v;

			if (parse_uint(optarg, 4194304L, &v) < 0 || v == 0)
				return usage_error("invalid --object-size '%s' (1 to 4194304)", optarg);
			o->object_size = (uint64_t)v;
			o->used |= OPT_OBJECT_SIZE;
			break;
		}
		case OPT_ID_PCP:
			o->pcp = true;
			o->used |= OPT_PCP;
			break;
		case OPT_ID_SIMULATE:
			o->simulate = optarg;
			o->used |= OPT_SIMULATE;
			break;
		case OPT_ID_REPLAY:
			o->sim_replay = optarg;
			o->used |= OPT_REPLAY;
			break;
		case OPT_ID_SECONDS: {
			char *end;
			double v;

			errno = 0;
			v = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(v >= 0.01 && v <= 3600))
				return usage_error("invalid --seconds '%s' (0.01 to 3600)", optarg);
			o->sim_seconds = v;
			o->used |= OPT_SECONDS;
			break;
		}
		case OPT_ID_EMIT_ROOT:
			o->sim_emit_root = optarg;
			o->used |= OPT_EMIT_ROOT;
			break;
		case OPT_ID_TAR:
			o->tar = optarg;
			o->used |= OPT_TAR;
			break;
		case OPT_ID_FAIL_ON:
			o->fail_on = optarg;
			o->used |= OPT_FAIL_ON;
			break;
		case OPT_ID_KPAGEFLAGS:
			o->kpageflags = true;
			o->used |= OPT_KPAGEFLAGS;
			break;
		case OPT_ID_SEED_FROM:
			o->sim_seed_from = optarg;
			o->used |= OPT_SEED_FROM;
			break;
		case OPT_ID_WORKLOAD:
			o->sim_workload = optarg;
			o->used |= OPT_WORKLOAD;
			break;
		case OPT_ID_BENCH:
			o->sim_bench = optarg;
			o->used |= OPT_BENCH;
			break;
		case OPT_ID_STEPS:
		case OPT_ID_SEED:
		case OPT_ID_SAMPLE:
		case OPT_ID_PAGES: {
			uint64_t v;

			if (parse_u64(optarg, &v) < 0 || (v == 0 && c != OPT_ID_SEED))
				return usage_error(c == OPT_ID_SEED ? "invalid --seed '%s' (0 to 2^64-1)" :
						   c == OPT_ID_STEPS ? "invalid --steps '%s' (a positive number)" :
						   c == OPT_ID_SAMPLE ? "invalid --sample '%s' (a positive number)" :
						   "invalid --pages '%s' (a positive number)", optarg);
			if (c == OPT_ID_STEPS) {
				o->sim_steps = v;
				o->used |= OPT_STEPS;
			} else if (c == OPT_ID_SEED) {
				o->sim_seed = v;
				o->used |= OPT_SIM_SEED;
			} else if (c == OPT_ID_SAMPLE) {
				o->sim_sample = v;
				o->used |= OPT_SAMPLE;
			} else {
				o->sim_pages = v;
				o->used |= OPT_PAGES;
			}
			break;
		}
		case OPT_ID_PID: {
			int pid, *p;

			if (parse_pid(optarg, &pid) < 0)
				return usage_error("invalid PID '%s'", optarg);
			p = realloc(o->pids, (o->npids + 1) * sizeof(*p));
			if (!p) {
				cli_error("out of memory");
				return EXIT_USAGE;
			}
			o->pids = p;
			o->pids[o->npids++] = pid;
			o->used |= OPT_PID;
			break;
		}
		case ':':
			return usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt && optopt < LONG_ONLY) {
				char s[3] = { '-', (char)optopt, 0 };

				return usage_error("unknown option '%s'", s);
			}
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}

	if ((nx && nbigx) || nx > 1 || nbigx > 2)
		return usage_error("%s", "choose one of -x, -X and -XX");
	o->extended = nbigx == 2 ? MAPS_XX : nbigx ? MAPS_XBIG : nx ? MAPS_X : MAPS_PLAIN;

	cmd_name = optind < argc ? argv[optind++] : "report";
	o->cmd = cmd_find(cmd_name, &ambiguous);
	if (!o->cmd) {
		/* "--color always": the argument is optional, so it must be attached. */
		if (!strcmp(cmd_name, "auto") || !strcmp(cmd_name, "always") || !strcmp(cmd_name, "never"))
			return usage_error("unknown command '%s' (for colour, write --color=WHEN)", cmd_name);
		return usage_error(ambiguous ? "ambiguous command '%s'" : "unknown command '%s'", cmd_name);
	}
	o->argc = argc - optind;
	o->argv = argv + optind;
	/* "-o help" lists columns: it needs no PID or directory. */
	if (o->argc < o->cmd->min_args && !(o->output && strcmp(o->output, "help") == 0)) {
		fprintf(stderr, "fragscope: %s: missing argument %s\n", o->cmd->name, o->cmd->args);
		fputs("Try 'fragscope --help' for more information.\n", stderr);
		return EXIT_USAGE;
	}
	if (o->argc > o->cmd->max_args)
		return usage_error("unexpected argument '%s'", o->argv[o->cmd->max_args]);
	for (size_t i = 0; i < ARRAY_SIZE(opt_table); i++) {
		const struct opt_def *d = &opt_table[i];

		if (d->cmd_bit && (o->used & d->cmd_bit) && !(o->cmd->opts & d->cmd_bit)) {
			fprintf(stderr, "fragscope: option '--%s' does not apply to '%s'\n",
				d->long_name, o->cmd->name);
			fputs("Try 'fragscope --help' for more information.\n", stderr);
			return EXIT_USAGE;
		}
	}

	if (o->norders > 1 && o->cmd->exec != cmd_export)
		return usage_error("%s takes one --order", o->cmd->name);
	if (o->json && o->cmd->exec == cmd_export)
		return usage_error("%s", "export writes OpenMetrics text: --json does not apply");
	if (o->json && o->output && strcmp(o->output, "help") != 0)
		return usage_error("%s", "-o/--output picks text columns; it does not apply to --json");

	if (o->color_mode == COLOR_ALWAYS)
		o->color = true;
	else if (o->color_mode == COLOR_NEVER)
		o->color = false;
	else {
		const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

		o->color = isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
	}
	o->pretty = isatty(STDOUT_FILENO);
	return EXIT_OK;
}

void options_free(struct options *o)
{
	free(o->pids);
	o->pids = NULL;
}

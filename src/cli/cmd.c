/*
 * cmd.c - the command table and command lookup (exact name, alias, or
 * unique prefix, as tmux does).
 */
#include <limits.h>
#include <string.h>

#include "cli.h"

const struct cmd_entry cmd_table[] = {
	{ "report", NULL, "", "one-screen report (the default): memory, zones, free blocks, compaction",
	  0, 0, 0, cmd_report },
	{ "mem", "meminfo", "", "memory summary like free(1), then every /proc/meminfo field",
	  0, 0, OPT_EXPLAIN, cmd_mem },
	{ "buddy", "buddyinfo", "", "free blocks per node, zone, order and migratetype; watermarks",
	  0, 0, OPT_CHECK, cmd_buddy },
	{ "frag", NULL, "", "fragmentation indices per zone and order; proactive compaction score",
	  0, 0, OPT_KERNEL_FORMAT, cmd_frag },
	{ "predict", NULL, "", "will an order-N allocation of a GFP class succeed now, where, and why not",
	  0, 0, OPT_ORDER | OPT_GFP | OPT_NODE | OPT_COUNT | OPT_SIMULATE | OPT_STEPS | OPT_SIM_SEED, cmd_predict },
	{ "hugepages", NULL, "", "hugetlb pools per node and how many more pages free lists could give",
	  0, 0, OPT_NODE, cmd_hugepages },
	{ "slab", "slabinfo", "", "slab caches: slabtop's columns plus waste, partial slabs, aliases; --watch for growth",
	  0, 0, OPT_SORT | OPT_FILTER | OPT_PER_NODE | OPT_WATCH | OPT_COUNT | OPT_NO_SYSFS | OPT_CHECK_GEOMETRY |
	  OPT_CPUS | OPT_SLAB_RULE, cmd_slab },
	{ "maps", "pmap", "PID...", "a process's address space: pmap's views, summary by kind, holes",
	  1, INT_MAX, OPT_EXTENDED | OPT_QUIET | OPT_RANGE | OPT_SHOW_PATH | OPT_SUMMARY | OPT_HOLES |
	  OPT_ROLLUP | OPT_TOP, cmd_maps },
	{ "procs", NULL, "", "processes by memory: RSS, PSS, USS, swap",
	  0, 0, OPT_SORT | OPT_TOP | OPT_NO_PSS, cmd_procs },
	{ "sim", NULL, "buddy|slab|record FILE",
	  "simulate the buddy and slab allocators from this machine's state; record a kmem trace",
	  1, 2, OPT_SEED_FROM | OPT_WORKLOAD | OPT_STEPS | OPT_SIM_SEED | OPT_SAMPLE | OPT_CHECK | OPT_BENCH |
	  OPT_PAGES | OPT_EMIT_ROOT | OPT_FORCE | OPT_REPLAY | OPT_SECONDS | OPT_PCP | OPT_CPUS | OPT_SLAB_RULE |
	  OPT_CPU_SLABS | OPT_WHAT_IF | OPT_OBJECT_SIZE | OPT_COUNT, cmd_sim },
	{ "top", NULL, "", "live dashboard: memory, free blocks, indices, outlook, reclaim, slab, processes",
	  0, 0, OPT_DELAY | OPT_ONCE | OPT_BATCH | OPT_ITERATIONS | OPT_SORT | OPT_NO_PSS, cmd_top },
	{ "slabtop", NULL, "", "live slab caches, slabtop-compatible, plus waste, partial slabs and growth",
	  0, 0, OPT_DELAY | OPT_ONCE | OPT_BATCH | OPT_ITERATIONS | OPT_SORT | OPT_FILTER | OPT_NO_SYSFS,
	  cmd_slabtop },
	{ "physmap", NULL, "", "physical memory, one character per pageblock: free, movable, kernel, mixed (root)",
	  0, 0, 0, cmd_physmap },
	{ "diff", NULL, "ROOT_A ROOT_B", "what changed between two roots (snapshots, tar archives, / for live)",
	  2, 2, OPT_FAIL_ON, cmd_diff },
	{ "export", NULL, "", "OpenMetrics text for Prometheus (node_exporter's textfile collector); -o FILE writes atomically",
	  0, 0, OPT_ORDER | OPT_GFP | OPT_SELECT | OPT_FORMAT, cmd_export },
	{ "snapshot", NULL, "DIR", "capture every readable input into DIR (or a tar archive) for --root",
	  0, 1, OPT_PID | OPT_FORCE | OPT_KPAGEFLAGS | OPT_TAR, cmd_snapshot },
};

const size_t cmd_table_size = sizeof(cmd_table) / sizeof(cmd_table[0]);

const struct cmd_entry *cmd_find(const char *name, bool *ambiguous)
{
	const struct cmd_entry *found = NULL;
	size_t len = strlen(name);

	*ambiguous = false;
	for (size_t i = 0; i < cmd_table_size; i++) {
		const struct cmd_entry *c = &cmd_table[i];

		if (strcmp(c->name, name) == 0 || (c->alias && strcmp(c->alias, name) == 0))
			return c;
	}
	if (len == 0)
		return NULL;
	for (size_t i = 0; i < cmd_table_size; i++) {
		const struct cmd_entry *c = &cmd_table[i];

		if (strncmp(c->name, name, len) == 0) {
			if (found && found != c) {
				*ambiguous = true;
				return NULL;
			}
			found = c;
		}
	}
	return found;
}

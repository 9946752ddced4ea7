/*
 * cmd-sim.h - what "sim buddy" (cmd-sim.c) shares with "sim slab"
 * (cmd-sim-slab.c): the workload, the seed header, the emitted root.
 */
#ifndef FRAGSCOPE_CMD_SIM_H
#define FRAGSCOPE_CMD_SIM_H

#include "cli.h"
#include "../render/json.h"
#include "../sim/machine.h"
#include "../sim/workload.h"
#include "../util/util.h"

/* The workload named by --workload (a profile or a file); prints and
 * returns an exit code on failure. */
int sim_load_workload(const char *name, struct sim_workload *w);
/* Orders, fixed-order classes and nodes of the workload against the
 * machine; slab: whether objalloc, objfree and churn lines may run.
 * Prints the first problem and returns its exit code. */
int sim_check_workload(const struct sim_workload *w, struct sim_machine *sm, unsigned pmd, bool slab);
void sim_describe_workload(const struct sim_workload *w, char *buf, size_t size);
/* The lines before the tables: the seed, what ran (a sentence), the estimate. */
void sim_print_seed_header(const struct options *o, const struct machine *m, const struct sim_machine *sm,
			   uint64_t free0, const char *what);
void sim_json_seed(struct json *j, const struct options *o, const struct sim_machine *sm);
/* --emit-root: the buddy files, the sysctls and release, a manifest, and
 * proc/slabinfo when slabinfo is not NULL.  Returns an exit code. */
int sim_emit_root(const struct options *o, const struct machine *m, const struct sim_machine *sm,
		  const struct buf *slabinfo);

/* sim slab (cmd-sim-slab.c). */
int sim_slab_what_if(const struct options *o);
/* Run w on the seeded machine; src is NULL for an empty seed. */
int sim_slab_run(const struct options *o, const struct machine *m, struct sim_machine *sm,
		 const struct sim_workload *w, struct source *src, unsigned pmd);

#endif

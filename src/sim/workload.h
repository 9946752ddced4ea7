/*
 * workload.h - workloads for the buddy simulator: a small text spec of
 * phases and allocation mixes (parsed by parse/parse-workload.c), the
 * built-in profiles, and the runner that drives a simulated machine
 * through them and samples a timeline.
 *
 * The spec, line by line ('#' starts a comment):
 *
 *   phase NAME steps=N [target=P%] [until=target] [node=N]
 *   alloc order=N gfp=CLASS [weight=W] [count=C] [life=forever|fixed:S|exp:S]
 *
 * and, for the slab simulator (sim slab; sim buddy refuses them):
 *
 *   cache NAME size=N [align=A] [flags=F,F...]     (anywhere: declares a cache)
 *   objalloc cache=NAME [count=C] [weight=W]
 *   objfree cache=NAME count=C|fraction=P% [pick=random|oldest] [weight=W]
 *   churn cache=NAME count=C|fraction=P% [pick=random|oldest] [weight=W]
 *
 * objalloc allocates C objects of the cache; objfree frees C of the
 * objects the workload holds in it (or P% of them), picked at random or
 * oldest first; churn frees the same way, then allocates as many.  Flags
 * of a cache line: hwcache, reclaim, rcu, ctor, redzone, poison,
 * store_user (slabgeom.h's SG_*).  A cache that is not declared must be
 * a kmalloc cache or one of the seed's caches.
 *
 * Each step first frees the allocations whose lifetime has ended, then,
 * unless the phase's target says memory is full enough (the workload
 * holds P% of the pages that were free when the run started), picks one alloc line
 * of the phase by weight and makes C allocations of 2^N pages with that
 * class.  With until=target the phase ends as soon as the target is
 * reached.  Lifetimes are in steps: fixed, exponential with that mean,
 * or forever (the default).  Pure and deterministic for a given seed.
 */
#ifndef FRAGSCOPE_SIM_WORKLOAD_H
#define FRAGSCOPE_SIM_WORKLOAD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

enum sim_life { SIM_LIFE_FOREVER, SIM_LIFE_FIXED, SIM_LIFE_EXP };

/* What a line of a phase's mix does: page allocations (alloc) or slab
 * object operations. */
enum sim_op_kind { SIM_OP_PAGES, SIM_OP_OBJALLOC, SIM_OP_OBJFREE, SIM_OP_CHURN };
enum sim_pick { SIM_PICK_RANDOM, SIM_PICK_OLDEST };

#define SIM_CACHE_NAME 64

/* A "cache" line. */
struct sim_cache_decl {
	char name[SIM_CACHE_NAME];
	uint64_t size, align;    /* align 0 = the default (8, or by flags) */
	unsigned flags;          /* SG_* of slabgeom.h */
	unsigned line;
};

struct sim_op {
	unsigned order;
	const struct gfp_class *cls;
	uint32_t weight;
	uint32_t count;          /* allocations per pick */
	enum sim_life life;
	uint64_t life_steps;     /* fixed length or mean */
	unsigned line;           /* in the spec, for messages */
	enum sim_op_kind kind;   /* SIM_OP_PAGES: order, cls, life apply */
	char cache[SIM_CACHE_NAME];  /* slab operations: the cache */
	unsigned fraction_pct;   /* objfree, churn: 0 = count objects */
	enum sim_pick pick;
};

struct sim_phase {
	char name[32];
	uint64_t steps;
	unsigned target_pct;     /* 0 = no target */
	bool until_target;       /* the phase ends once the target is reached */
	int node;                /* preferred node; -1 = the machine's first */
	struct sim_op *ops;
	size_t nops;
	uint64_t total_weight;
};

struct sim_workload {
	char name[PATH_MAX];     /* profile name or file name */
	struct sim_phase *ph;
	size_t n;
	struct sim_cache_decl *caches;   /* "cache" lines */
	size_t ncaches;
};

/* Whether any phase has a slab operation. */
bool sim_workload_has_slab_ops(const struct sim_workload *w);

void sim_workload_free(struct sim_workload *w);

/* A built-in profile's spec text, or NULL.  sim_profile_names lists them
 * (NULL-terminated); sim_profile_summary gives each a line. */
const char *sim_profile_spec(const char *name);
extern const char *const sim_profile_names[];
const char *sim_profile_summary(const char *name);

/* Total steps of every phase. */
uint64_t sim_workload_steps(const struct sim_workload *w);

/* One sample of the timeline: per zone, after `step` steps. */
struct sim_sample_zone {
	uint64_t free_pages;
	uint64_t blocks[FS_MAX_ORDERS];
};

struct sim_sample {
	uint64_t step;
	size_t phase;
	uint64_t live_pages;     /* pages the workload holds */
	uint64_t fails;          /* failed allocations so far */
	struct sim_sample_zone *z;   /* m->nz entries */
};

/* The first failure of each order. */
struct sim_first_fail {
	bool seen;
	uint64_t step;
	size_t phase;
	const struct gfp_class *cls;
	enum alloc_outcome outcome;
	char why[320];           /* predict's reason, on the state at that step */
};

struct sim_class_count {
	const struct gfp_class *cls;
	uint64_t ok, ok_slow, fail[5];   /* fail[] by enum alloc_outcome */
};

struct sim_result {
	struct sim_sample *samples;
	size_t nsamples;
	struct sim_first_fail first[FS_MAX_ORDERS];
	struct sim_class_count *classes;  /* one per class used, in first-use order */
	size_t nclasses;
	uint64_t steps, allocs, frees, fails, live_pages, peak_live_pages;
	int check_failed_step;            /* -1, or the step where --check failed */
	bool probe_stopped;               /* the probe ended the run */
	char check_why[256];
};

struct sim_run_opts {
	uint64_t seed;           /* xorshift64* state; 0 is replaced by 1 */
	uint64_t sample_every;   /* 0 = about 20 samples */
	uint64_t max_steps;      /* 0 = the workload's total */
	bool check;              /* the invariants after every step (slow) */
	/* Called before the first step and after every step; a nonzero
	 * return ends the run there (r->probe_stopped). */
	int (*probe)(struct sim_machine *m, uint64_t step, size_t phase, void *ctx);
	void *probe_ctx;
	/* Runs a slab operation (op->kind != SIM_OP_PAGES) picked at a
	 * step; 0 or -errno (ends the run with that error).  Without it such
	 * a line is -EINVAL. */
	int (*op_hook)(struct sim_machine *m, const struct sim_op *op, int node, uint64_t step, size_t phase,
		       void *ctx);
	void *op_ctx;
};

/* Run w on m.  0, or -ENOMEM.  r must be freed with sim_result_free(). */
int sim_run(struct sim_machine *m, const struct sim_workload *w, const struct sim_run_opts *o,
	    struct sim_result *r);
void sim_result_free(struct sim_result *r);

#endif

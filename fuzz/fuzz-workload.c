/*
 * fuzz-workload.c - libFuzzer harness for workload_parse(), the buddy
 * simulator's spec parser.  Besides parse.h's contract, a parsed
 * workload must hold what the parser promises: at least one phase, each
 * with steps in range, weights that add up to total_weight, a class and
 * an order below FS_MAX_ORDERS for every alloc line; for the slab lines a
 * terminated cache name, and count or fraction (1 to 100) for objfree and
 * churn; cache declarations with a size, a power-of-two (or no) alignment
 * and distinct names.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"
#include "parse/parse-workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct sim_workload w;
	int rc;

	memset(&perr, 0, sizeof(perr));
	memset(&w, FUZZ_POISON, sizeof(w));
	rc = workload_parse((const char *)data, size, fuzz_file, &w, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&w, sizeof(w)))
			fuzz_fail("workload_parse changed *ret on failure");
		return 0;
	}
	if (w.n == 0)
		fuzz_fail("workload_parse accepted a spec without phases");
	for (size_t p = 0; p < w.n; p++) {
		const struct sim_phase *ph = &w.ph[p];
		uint64_t sum = 0;

		if (ph->steps == 0 || ph->target_pct > 100 || (ph->until_target && !ph->target_pct))
			fuzz_fail("workload_parse: a phase out of range");
		if (!memchr(ph->name, '\0', sizeof(ph->name)))
			fuzz_fail("workload_parse: phase name not terminated");
		for (size_t k = 0; k < ph->nops; k++) {
			const struct sim_op *op = &ph->ops[k];

			if (op->kind != SIM_OP_PAGES) {
				if (!memchr(op->cache, '\0', sizeof(op->cache)) || !op->cache[0] || op->count == 0 ||
				    op->fraction_pct > 100 || (op->kind == SIM_OP_OBJALLOC && op->fraction_pct))
					fuzz_fail("workload_parse: a slab line out of range");
				sum += op->weight;
				continue;
			}
			if (!op->cls || op->order >= FS_MAX_ORDERS || op->count == 0 ||
			    (op->life != SIM_LIFE_FOREVER && op->life_steps == 0))
				fuzz_fail("workload_parse: an alloc line out of range");
			sum += op->weight;
		}
		if (sum != ph->total_weight)
			fuzz_fail("workload_parse: total_weight is not the sum of the weights");
	}
	for (size_t c = 0; c < w.ncaches; c++) {
		const struct sim_cache_decl *d = &w.caches[c];

		if (!memchr(d->name, '\0', sizeof(d->name)) || !d->name[0] || d->size == 0 ||
		    (d->align & (d->align - 1)))
			fuzz_fail("workload_parse: a cache line out of range");
		for (size_t e = 0; e < c; e++)
			if (strcmp(w.caches[e].name, d->name) == 0)
				fuzz_fail("workload_parse: a cache declared twice");
	}
	sim_workload_free(&w);
	return 0;
}

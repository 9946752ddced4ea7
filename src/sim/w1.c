/*
 * w1.c - benchmark workload W1 on the engine (see w1.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "w1.h"

#define W1_ORDERS 11
#define W1_MT MT_MOVABLE

int sim_w1_init(struct sim_w1 *w, uint64_t pages)
{
	int r;

	memset(w, 0, sizeof(*w));
	r = sim_zone_init(&w->z, 0, pages, W1_ORDERS, 9, W1_MT);
	if (r < 0)
		return r;
	w->pages = pages;
	w->rng = SIM_W1_RNG_SEED;
	/* Largest aligned blocks first, in address order, at the tails. */
	for (uint64_t pfn = 0; pfn < pages;) {
		unsigned o = W1_ORDERS - 1;

		while (pfn + ((uint64_t)1 << o) > pages)
			o--;
		r = sim_zone_add_free(&w->z, pfn, o, true);
		if (r < 0) {
			sim_w1_free(w);
			return r;
		}
		pfn += (uint64_t)1 << o;
	}
	return 0;
}

/* The per-mille thresholds of DESIGN.md: 600 -> 0, 750 -> 1, ... else 9. */
static unsigned w1_order(uint64_t r)
{
	static const uint16_t upto[] = { 600, 750, 850, 930, 970, 985, 993, 997, 999 };
	unsigned v = (unsigned)(r % 1000), o = 0;

	while (o < 9 && v >= upto[o])
		o++;
	return o;
}

/*
 * The steps as DESIGN.md defines them.  Freeing a random live allocation
 * is a chain of cache misses (the live slot, then the page state of its
 * buddy), so the loop looks two steps ahead: the generator's next values
 * are known, and whether a coming step frees follows from the pages
 * allocated, assuming allocations succeed.  It prefetches the live slot
 * two steps ahead and the buddy's page state one step ahead.  A wrong
 * guess costs only a useless prefetch; the steps themselves are exact.
 */
/*
 * After this step, `used` pages in `nlive` allocations; rng is the
 * generator's state.  If the next step frees, note its slot (k_next, valid
 * while the live count is *k_nlive) and prefetch the page state of that
 * allocation's buddy; if the step after frees too, prefetch its slot.
 */
static void w1_lookahead(const struct sim_w1 *w, uint64_t limit, uint64_t used, size_t nlive,
			 uint64_t rng, size_t *k_next, size_t *k_nlive)
{
	uint64_t r1 = sim_xorshift64s(&rng), r2 = sim_xorshift64s(&rng);

	*k_nlive = SIZE_MAX;
	if (used < limit) {
		used += (uint64_t)1 << w1_order(r1);
		nlive++;
	} else {
		size_t k1 = (size_t)(r1 % nlive);
		uint64_t e = w->live[k1];
		uint32_t i = (uint32_t)((e >> 5) - w->z.base), o = (uint32_t)(e & 31);

		*k_next = k1;
		*k_nlive = nlive;
		__builtin_prefetch(&w->z.st[i ^ (1u << o)]);
		__builtin_prefetch(&w->z.ln[i ^ (1u << o)]);
		used -= (uint64_t)1 << o;
		nlive--;
	}
	if (used >= limit && nlive)
		__builtin_prefetch(&w->live[r2 % nlive]);
}

int sim_w1_run(struct sim_w1 *w, uint64_t n)
{
	uint64_t limit = w->pages / 4 * 3 + (w->pages % 4) * 3 / 4;
	size_t k_next = SIZE_MAX, k_next_nlive = 0;

	for (uint64_t s = 0; s < n; s++) {
		uint64_t r = sim_xorshift64s(&w->rng), used, look;
		size_t nlive;

		if (w->nlive == w->cap) {
			size_t cap = w->cap ? w->cap * 2 : 4096;
			uint64_t *p = realloc(w->live, cap * sizeof(*p));

			if (!p)
				return -ENOMEM;
			w->live = p;
			w->cap = cap;
		}
		if (w->used < limit) {
			unsigned o = w1_order(r);
			int64_t pfn;

			used = w->used + ((uint64_t)1 << o);
			nlive = w->nlive + 1;
			look = w->rng;
			w1_lookahead(w, limit, used, nlive, look, &k_next, &k_next_nlive);
			pfn = sim_zone_rmqueue(&w->z, o, W1_MT, 0);
			if (pfn < 0) {
				w->fails++;
			} else {
				w->live[w->nlive++] = (uint64_t)pfn << 5 | o;
				w->used += (uint64_t)1 << o;
				w->allocs++;
			}
		} else {
			size_t k = k_next_nlive == w->nlive ? k_next : (size_t)(r % w->nlive);
			uint64_t e = w->live[k];

			w->live[k] = w->live[--w->nlive];
			w->used -= (uint64_t)1 << (e & 31);
			look = w->rng;
			w1_lookahead(w, limit, w->used, w->nlive, look, &k_next, &k_next_nlive);
			sim_zone_free(&w->z, e >> 5, (unsigned)(e & 31), W1_MT);
			w->frees++;
		}
		w->steps++;
	}
	return 0;
}

size_t sim_w1_engine_bytes(const struct sim_w1 *w)
{
	return sim_zone_bytes(&w->z);
}

size_t sim_w1_live_bytes(const struct sim_w1 *w)
{
	return w->cap * sizeof(*w->live);
}

void sim_w1_free(struct sim_w1 *w)
{
	sim_zone_free_all(&w->z);
	free(w->live);
	w->live = NULL;
	w->nlive = w->cap = 0;
}

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
	if (pages == 0 || pages > SIM_W1_MAX_PAGES)
		return -EINVAL;
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

/*
 * A live allocation in 32 bits: a block of order o at page i is aligned,
 * so i has o low zero bits, and (i << 1 | 1 << o) keeps both; the order is
 * the lowest set bit.  The zone starts at pfn 0 and has at most 2^31
 * pages, so i << 1 fits.  Half the size of a pfn and an order side by
 * side, which matters: freeing reads a random slot, and a smaller array
 * misses the cache less.
 */
static inline uint32_t live_pack(uint32_t i, unsigned o)
{
	return i << 1 | (uint32_t)1 << o;
}

static inline unsigned live_order(uint32_t e)
{
	return (unsigned)__builtin_ctz(e);
}

static inline uint32_t live_index(uint32_t e)
{
	return (e & (e - 1)) >> 1;
}

/*
 * The live array is read at random too, so it lives in huge pages like
 * the engine's arrays (4 KiB pages cost a TLB miss on most frees).  It
 * grows by doubling, from 2 MiB.
 */
static int live_grow(struct sim_w1 *w)
{
	size_t cap = w->cap ? w->cap * 2 : (2u << 20) / sizeof(*w->live);
	uint32_t *p = sim_big_alloc(cap * sizeof(*p));

	if (!p)
		return -ENOMEM;
	if (w->nlive)
		memcpy(p, w->live, w->nlive * sizeof(*p));
	sim_big_free(w->live, w->cap * sizeof(*w->live));
	w->live = p;
	w->cap = cap;
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
 * is a chain of cache misses: the live slot, then the page state of the
 * allocation's buddy.  Each costs more than a step, so the loop looks
 * ahead.  The generator's next values are known, and whether a coming step
 * frees follows from the pages allocated (assuming allocations succeed,
 * and ignoring the slot moves of the frees in between).  After each step
 * the lookahead, for the steps after it (j = 1 .. 4):
 *   j = 1  reads its slot (cached by now) for the order it frees;
 *   j = 2  reads its slot (prefetched two steps ago) and prefetches the
 *          page state of its buddy;
 *   j = 4  prefetches its slot, whether it frees or not.
 * So a slot is prefetched two steps before it is read, and the buddy two
 * steps before it is freed.  A wrong guess costs a useless prefetch; the
 * steps themselves are exact.  The slots found for j = 1 and 2 are kept
 * with the generator value and live count they assumed, and used only
 * when both hold, so the steps need no division when the guess held.
 */
struct w1_slot {
	uint64_t r;
	size_t nlive, k;    /* k = r % nlive */
};

static inline size_t w1_pick(const struct w1_slot *p, uint64_t r, size_t nlive)
{
	return p->r == r && p->nlive == nlive ? p->k : (size_t)(r % nlive);
}

/* ahead[0] and ahead[1]: the slots of the next two steps, if they free. */
static void w1_lookahead(const struct sim_w1 *w, uint64_t limit, struct w1_slot ahead[2])
{
	uint64_t rng = w->rng, used = w->used;
	size_t nlive = w->nlive;

	for (unsigned j = 1; j <= 3; j++) {
		uint64_t r = sim_xorshift64s(&rng);

		if (used < limit) {
			used += (uint64_t)1 << w1_order(r);
			nlive++;
			continue;
		}
		if (j == 3) {
			nlive--;
			break;
		}
		size_t k = w1_pick(&ahead[1], r, nlive);
		uint32_t e = w->live[k], o = live_order(e), i = live_index(e);

		ahead[j - 1] = (struct w1_slot){ r, nlive, k };
		if (j == 2) {
			__builtin_prefetch(&w->z.st[i ^ (1u << o)]);
			__builtin_prefetch(&w->z.ln[i ^ (1u << o)]);
		}
		used -= (uint64_t)1 << o;
		nlive--;
	}
	if (nlive)
		__builtin_prefetch(&w->live[sim_xorshift64s(&rng) % nlive]);
}

int sim_w1_run(struct sim_w1 *w, uint64_t n)
{
	uint64_t limit = w->pages / 4 * 3 + (w->pages % 4) * 3 / 4;
	struct w1_slot ahead[2] = { { 0, 0, 0 }, { 0, 0, 0 } };

	for (uint64_t s = 0; s < n; s++) {
		uint64_t r = sim_xorshift64s(&w->rng);

		if (w->nlive == w->cap && live_grow(w) < 0)
			return -ENOMEM;
		if (w->used < limit) {
			unsigned o = w1_order(r);
			int64_t pfn = sim_zone_rmqueue(&w->z, o, W1_MT, 0);

			if (pfn < 0) {
				w->fails++;
			} else {
				w->live[w->nlive++] = live_pack((uint32_t)pfn, o);
				w->used += (uint64_t)1 << o;
				w->allocs++;
			}
		} else {
			size_t k = w1_pick(&ahead[0], r, w->nlive);
			uint32_t e = w->live[k], o = live_order(e);

			w->live[k] = w->live[--w->nlive];
			w->used -= (uint64_t)1 << o;
			sim_zone_free(&w->z, live_index(e), o, W1_MT);
			w->frees++;
		}
		w->steps++;
		w1_lookahead(w, limit, ahead);
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
	sim_big_free(w->live, w->cap * sizeof(*w->live));
	w->live = NULL;
	w->nlive = w->cap = 0;
}

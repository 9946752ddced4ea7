/*
 * w1.c - benchmark workload W1 on the engine (see w1.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "w1.h"
#include "../util/util.h"

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

int sim_w1_prepare(struct sim_w1 *w, uint64_t n)
{
	uint64_t limit = w->pages / 4 * 3 + (w->pages % 4) * 3 / 4;
	uint64_t want = w->nlive + (n < limit + 1 ? n : limit + 1);

	/* Every step allocates at most one entry, and allocations stop at
	 * the limit, so the live array never needs more than this. */
	while (w->cap < want)
		if (live_grow(w) < 0)
			return -ENOMEM;
	mem_prefault(w->live, w->cap * sizeof(*w->live));
	mem_prefault(w->z.st, w->z.npg);
	mem_prefault(w->z.nd, (size_t)w->z.npg * sizeof(*w->z.nd));
	return 0;
}

/*
 * The per-mille thresholds of DESIGN.md: 600 -> 0, 750 -> 1, ... else 9,
 * as a table of the 1000 values: a search through the thresholds costs a
 * mispredicted branch on most draws, and the loop draws three times a step.
 */
static uint8_t w1_orders[1000];

static void w1_orders_init(void)
{
	static const uint16_t upto[] = { 600, 750, 850, 930, 970, 985, 993, 997, 999 };
	unsigned o = 0;

	if (w1_orders[999])
		return;
	for (unsigned v = 0; v < 1000; v++) {
		while (o < 9 && v >= upto[o])
			o++;
		w1_orders[v] = (uint8_t)o;
	}
}

static inline unsigned w1_order(uint64_t r)
{
	return w1_orders[r % 1000];
}

/*
 * The steps as DESIGN.md defines them.  Freeing a random live allocation
 * is a chain of cache misses: the live slot, then the page state of the
 * allocation's buddy.  Each costs more than a step, so the loop looks
 * ahead.  The generator's next values are known, and whether a coming
 * step frees follows from the pages allocated (assuming allocations
 * succeed, and ignoring the slot moves of the frees in between).  A ring
 * holds the next W1_AHEAD steps' generator values and orders, and for
 * each the slot a free would take with the live count assumed.  After
 * each step the lookahead, for the steps after it (j = 1 .. W1_AHEAD):
 *   j <= W1_DIST  reads the slot (prefetched three steps ago) for the
 *                 order it frees; at j = W1_DIST it prefetches the page
 *                 state of the buddy;
 *   j = W1_AHEAD  if it looks like a free, finds its slot (the one
 *                 division of a step) and prefetches it.
 * So a slot is prefetched three steps before it is read, and the buddy
 * W1_DIST steps before it is freed: at 30 to 40 ns a step here, that
 * covers a miss to memory (same-run A/B: the buddy 2 or 3 steps ahead was
 * 6-8 % slower than 4, 5 and 6 no faster; the slot 2 steps ahead 7 %
 * slower than 3, 4 no faster).
 * A wrong guess costs a useless prefetch; the steps themselves are exact:
 * a slot is used only when the live count it assumed holds, else the
 * step divides again.
 */
#define W1_DIST 4
#define W1_AHEAD (W1_DIST + 3)
#define W1_RING 8             /* > W1_AHEAD, a power of two */

struct w1_next {
	uint64_t r, state;      /* the generator's value, and its state after it */
	size_t nlive, k;        /* k = r % nlive, when nlive is not 0 */
	unsigned order;         /* w1_order(r) */
};

static inline void w1_draw(struct w1_next *q, uint64_t state)
{
	q->r = sim_xorshift64s(&state);
	q->state = state;
	q->order = w1_order(q->r);
	q->nlive = 0;
}

static inline size_t w1_slot(struct w1_next *q, size_t nlive)
{
	if (q->nlive != nlive) {
		q->k = (size_t)(q->r % nlive);
		q->nlive = nlive;
	}
	return q->k;
}

/* After step t: draw step t + W1_AHEAD, and look at steps t + 1 .. t + W1_AHEAD. */
static inline void w1_lookahead(const struct sim_w1 *w, uint64_t limit, struct w1_next *ring, uint64_t t)
{
	uint64_t used = w->used;
	size_t nlive = w->nlive;

	w1_draw(&ring[(t + W1_AHEAD) % W1_RING], ring[(t + W1_AHEAD - 1) % W1_RING].state);
	for (unsigned j = 1; j < W1_AHEAD; j++) {
		struct w1_next *q = &ring[(t + j) % W1_RING];

		if (used < limit) {
			used += (uint64_t)1 << q->order;
			nlive++;
			continue;
		}
		if (j > W1_DIST) {
			nlive--;
			continue;
		}
		uint32_t e = w->live[w1_slot(q, nlive)], o = live_order(e), i = live_index(e);

		if (j == W1_DIST) {
			__builtin_prefetch(&w->z.st[i ^ (1u << o)]);
			__builtin_prefetch(&w->z.nd[i ^ (1u << o)]);
		}
		used -= (uint64_t)1 << o;
		nlive--;
	}
	if (used >= limit && nlive)
		__builtin_prefetch(&w->live[w1_slot(&ring[(t + W1_AHEAD) % W1_RING], nlive)]);
}

int sim_w1_run(struct sim_w1 *w, uint64_t n)
{
	uint64_t limit = w->pages / 4 * 3 + (w->pages % 4) * 3 / 4;
	struct w1_next ring[W1_RING];

	w1_orders_init();
	/* Steps are numbered from 0 here; ring[t % W1_RING] is step t's. */
	w1_draw(&ring[0], w->rng);
	for (uint64_t t = 1; t < W1_AHEAD; t++)
		w1_draw(&ring[t], ring[t - 1].state);
	for (uint64_t t = 0; t < n; t++) {
		struct w1_next *q = &ring[t % W1_RING];

		if (w->nlive == w->cap && live_grow(w) < 0)
			return -ENOMEM;
		w->rng = q->state;
		if (w->used < limit) {
			int64_t pfn = sim_zone_rmqueue(&w->z, q->order, W1_MT, 0);

			if (pfn < 0) {
				w->fails++;
			} else {
				w->live[w->nlive++] = live_pack((uint32_t)pfn, q->order);
				w->used += (uint64_t)1 << q->order;
				w->allocs++;
			}
		} else {
			size_t k = w1_slot(q, w->nlive);
			uint32_t e = w->live[k], o = live_order(e);

			w->live[k] = w->live[--w->nlive];
			w->used -= (uint64_t)1 << o;
			sim_zone_free(&w->z, live_index(e), o, W1_MT);
			w->frees++;
		}
		w->steps++;
		w1_lookahead(w, limit, ring, t);
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

/*
 * slabref.c - the reference for bench-sim-slab.sh: the same object
 * operations as bench/slab-churn.spec done by the C library's allocator
 * on real memory: 1,000,000 malloc(192) (each object touched), then
 * 500,000 frees of objects picked at random (xorshift64*) each followed
 * by a malloc(192).  What the simulator is timed against: a real
 * allocator doing the work the simulation models.
 *
 * Part of the benchmarks (bench/); not built by meson.  Compiled by
 * bench-sim-slab.sh with "cc -O2".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t xorshift64s(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * UINT64_C(2685821657736338717);
}

int main(void)
{
	enum { N = 1000000, CHURN = 500000, SIZE = 192 };
	char **obj = malloc(N * sizeof(*obj));
	uint64_t rng = 1, sum = 0;

	if (!obj)
		return 1;
	for (size_t i = 0; i < N; i++) {
		obj[i] = malloc(SIZE);
		if (!obj[i])
			return 1;
		memset(obj[i], (int)i, 8);
	}
	for (size_t k = 0; k < CHURN; k++) {
		size_t i = (size_t)(xorshift64s(&rng) % N);

		free(obj[i]);
		obj[i] = malloc(SIZE);
		if (!obj[i])
			return 1;
		memset(obj[i], (int)k, 8);
	}
	for (size_t i = 0; i < N; i++) {
		sum += (unsigned char)obj[i][0];
		free(obj[i]);
	}
	free(obj);
	printf("%llu\n", (unsigned long long)sum);
	return 0;
}

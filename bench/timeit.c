/*
 * timeit.c - alternate two commands A and B for N rounds and time each run.
 *
 *   timeit [-n ROUNDS] [-w WARMUP] [-r RAWFILE] [-l LABEL] [-a STATUS] [-b STATUS]
 *          -- A ARGS... :: B ARGS...
 *
 * Each round runs A, then B (each with stdout and stderr on /dev/null, no
 * shell in between), timing every run from just before posix_spawn() to
 * just after wait4() with CLOCK_MONOTONIC.  The first WARMUP rounds are
 * run but not counted.  Prints one summary line per command (median, p10,
 * p90, min, and median user+sys CPU from rusage) and the per-round ratio
 * A/B (median, p10, p90).  With -r, the raw per-round nanoseconds go to
 * RAWFILE as "round a_ns b_ns ratio".
 *
 * A command that exits with another status than expected stops the run
 * (exit 1): a benchmark of a failing command measures nothing.  The
 * expected status is 0 unless -a (for A) or -b (for B) says otherwise;
 * e.g. "fragscope predict --count K" exits 1 by design when fewer than K
 * allocations would succeed, and still does all its work.
 *
 * Part of the benchmarks (bench/); not built by meson.  Compiled by
 * bench-report.sh with "cc -O2".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Quantile q of sorted v[0..n) by linear interpolation (type 7). */
static double quant_i64(const int64_t *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;
	double f = pos - (double)i;

	if (i + 1 >= n)
		return (double)v[n - 1];
	return (double)v[i] * (1 - f) + (double)v[i + 1] * f;
}

static double quant_dbl(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;
	double f = pos - (double)i;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] * (1 - f) + v[i + 1] * f;
}

/* Run argv once; return wall ns, store user+sys CPU ns in *cpu. */
static int64_t run_once(char *const argv[], const posix_spawn_file_actions_t *fa, int want,
		       int64_t *cpu)
{
	struct rusage ru;
	int64_t t0, t1;
	int st, r;
	pid_t pid;

	t0 = now_ns();
	r = posix_spawnp(&pid, argv[0], fa, NULL, argv, environ);
	if (r) {
		fprintf(stderr, "timeit: cannot run %s: %s\n", argv[0], strerror(r));
		exit(1);
	}
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("timeit: wait4");
			exit(1);
		}
	}
	t1 = now_ns();
	if (!WIFEXITED(st) || WEXITSTATUS(st) != want) {
		fprintf(stderr, "timeit: %s failed (status 0x%x, expected exit %d)\n", argv[0], st,
			want);
		exit(1);
	}
	*cpu = ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
	       ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
	return t1 - t0;
}

static void summary(const char *name, int64_t *wall, int64_t *cpu, size_t n)
{
	qsort(wall, n, sizeof(*wall), cmp_i64);
	qsort(cpu, n, sizeof(*cpu), cmp_i64);
	printf("%s median_us=%.1f p10_us=%.1f p90_us=%.1f min_us=%.1f cpu_median_us=%.1f\n", name,
	       quant_i64(wall, n, 0.5) / 1e3, quant_i64(wall, n, 0.1) / 1e3,
	       quant_i64(wall, n, 0.9) / 1e3, (double)wall[0] / 1e3, quant_i64(cpu, n, 0.5) / 1e3);
}

static void usage(void)
{
	fprintf(stderr, "usage: timeit [-n ROUNDS] [-w WARMUP] [-r RAWFILE] [-l LABEL] [-a STATUS] [-b STATUS]\n"
			"              -- A ARGS... :: B ARGS...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long rounds = 200, warmup = 10;
	int want_a = 0, want_b = 0;
	const char *raw = NULL, *label = "run";
	posix_spawn_file_actions_t fa;
	int64_t *wa, *wb, *ca, *cb, dummy;
	char **a, **b;
	double *ratio;
	FILE *rf = NULL;
	int opt, i;

	while ((opt = getopt(argc, argv, "+n:w:r:l:a:b:")) != -1) {
		switch (opt) {
		case 'n': rounds = strtol(optarg, NULL, 10); break;
		case 'w': warmup = strtol(optarg, NULL, 10); break;
		case 'r': raw = optarg; break;
		case 'l': label = optarg; break;
		case 'a': want_a = (int)strtol(optarg, NULL, 10); break;
		case 'b': want_b = (int)strtol(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (rounds < 2 || warmup < 0 || want_a < 0 || want_a > 255 || want_b < 0 || want_b > 255 ||
	    optind >= argc)
		usage();
	a = &argv[optind];
	b = NULL;
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "::") == 0) {
			argv[i] = NULL;
			b = &argv[i + 1];
			break;
		}
	}
	if (!b || !b[0] || !a[0])
		usage();

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);

	wa = calloc((size_t)rounds, sizeof(*wa));
	wb = calloc((size_t)rounds, sizeof(*wb));
	ca = calloc((size_t)rounds, sizeof(*ca));
	cb = calloc((size_t)rounds, sizeof(*cb));
	ratio = calloc((size_t)rounds, sizeof(*ratio));
	if (!wa || !wb || !ca || !cb || !ratio) {
		perror("timeit");
		return 1;
	}
	if (raw) {
		rf = fopen(raw, "w");
		if (!rf) {
			perror(raw);
			return 1;
		}
		fprintf(rf, "# round a_ns b_ns ratio\n");
	}

	for (long k = 0; k < warmup; k++) {
		run_once(a, &fa, want_a, &dummy);
		run_once(b, &fa, want_b, &dummy);
	}
	for (long k = 0; k < rounds; k++) {
		wa[k] = run_once(a, &fa, want_a, &ca[k]);
		wb[k] = run_once(b, &fa, want_b, &cb[k]);
		ratio[k] = (double)wa[k] / (double)wb[k];
		if (rf)
			fprintf(rf, "%ld %lld %lld %.4f\n", k, (long long)wa[k], (long long)wb[k], ratio[k]);
	}
	if (rf)
		fclose(rf);

	printf("[%s] rounds=%ld warmup=%ld\n", label, rounds, warmup);
	summary("A", wa, ca, (size_t)rounds);
	summary("B", wb, cb, (size_t)rounds);
	qsort(ratio, (size_t)rounds, sizeof(*ratio), cmp_dbl);
	printf("RATIO median=%.3f p10=%.3f p90=%.3f\n", quant_dbl(ratio, (size_t)rounds, 0.5),
	       quant_dbl(ratio, (size_t)rounds, 0.1), quant_dbl(ratio, (size_t)rounds, 0.9));
	/* One machine-readable line: label, medians, ratio quantiles. */
	printf("ROW\t%s\t%.1f\t%.1f\t%.3f\t%.3f\t%.3f\n", label, quant_i64(wa, (size_t)rounds, 0.5) / 1e3,
	       quant_i64(wb, (size_t)rounds, 0.5) / 1e3, quant_dbl(ratio, (size_t)rounds, 0.5),
	       quant_dbl(ratio, (size_t)rounds, 0.1), quant_dbl(ratio, (size_t)rounds, 0.9));
	free(wa);
	free(wb);
	free(ca);
	free(cb);
	free(ratio);
	posix_spawn_file_actions_destroy(&fa);
	return 0;
}

/*
 * mkvmas.c - a process with many VMAs, for the maps/smaps benchmarks
 * (DESIGN.md, "Performance method").
 *
 *   mkvmas [VMAS]
 *
 * Maps one anonymous region of VMAS pages (default 60000), touches every
 * page so smaps has resident memory to report, and gives every other page
 * PROT_READ only: neighbouring pages then differ in protection and the
 * kernel cannot merge them, so the region is VMAS separate VMAs.  Prints
 * its PID and the number of lines in its /proc/self/maps on stdout, then
 * waits until stdin is closed or it is killed.  vm.max_map_count (65530
 * by default) bounds VMAS.
 *
 * Part of the benchmarks (bench/); not built by meson.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long n = 0;
	int c;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	long vmas = argc > 1 ? strtol(argv[1], NULL, 10) : 60000;
	long page = sysconf(_SC_PAGESIZE);
	char *p, buf[64];

	if (vmas < 1) {
		fprintf(stderr, "usage: mkvmas [VMAS]\n");
		return 2;
	}
	p = mmap(NULL, (size_t)vmas * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "mkvmas: mmap: %s\n", strerror(errno));
		return 1;
	}
	for (long i = 0; i < vmas; i++)
		p[i * page] = 1;
	for (long i = 1; i < vmas; i += 2) {
		if (mprotect(p + i * page, (size_t)page, PROT_READ) < 0) {
			fprintf(stderr, "mkvmas: mprotect page %ld: %s (vm.max_map_count?)\n", i, strerror(errno));
			return 1;
		}
	}
	printf("%ld %ld\n", (long)getpid(), count_maps());
	fflush(stdout);
	/* Wait for the benchmark to finish: stdin closes or a signal ends us. */
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}

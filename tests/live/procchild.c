/*
 * procchild.c - a process with a known amount of private memory, for
 * live-procs.sh.
 *
 *   procchild MIB
 *
 * Maps MIB MiB of private anonymous memory, writes every page (so each is
 * resident, dirty and private to this process: RSS, PSS and USS all grow
 * by MIB MiB), prints "ready" and waits until stdin closes.  Not
 * installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t size;
	char buf[64], *p;

	if (argc != 2 || atoi(argv[1]) <= 0) {
		fprintf(stderr, "usage: procchild MIB\n");
		return 2;
	}
	size = (size_t)atoi(argv[1]) << 20;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 99;
	}
	/* Not zero: a page of zeros could be merged by KSM. */
	for (size_t i = 0; i < size; i += (size_t)page)
		p[i] = (char)(1 + i / (size_t)page % 251);
	printf("ready\n");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return p[0] == 1 ? 0 : 1;
}

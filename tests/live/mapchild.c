/*
 * mapchild.c - a process with known mappings, for live-maps.sh.
 *
 *   mapchild DIR
 *
 * Maps, and prints one "NAME START END" line (hex) for each:
 *   anon     1536 KiB of private anonymous memory, every page written,
 *            between two one-page PROT_NONE guards (so it merges with
 *            nothing)
 *   guard    the guard page below it
 *   space    DIR/"sp ace<newline>line.dat", 8 KiB, shared read-only
 *   deleted  DIR/gone.dat, 12 KiB, shared read-write, unlinked after mmap
 *   esc      DIR/<ESC>[2Jesc.dat, 4 KiB, private read-only
 * then "ready", and waits until stdin closes.  Not installed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static void die(const char *what)
{
	perror(what);
	exit(99);
}

static void *map_file(const char *dir, const char *name, size_t size, int prot, int flags, int unlink_after)
{
	char path[4096];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		die(path);
	p = mmap(NULL, size, prot, flags, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	close(fd);
	if (unlink_after && unlink(path) < 0)
		die("unlink");
	return p;
}

static void show(const char *what, const void *p, size_t size)
{
	printf("%s %lx %lx\n", what, (unsigned long)p, (unsigned long)p + size);
}

int main(int argc, char **argv)
{
	size_t anon = 1536 * 1024;
	char *all, *p;
	char buf[64];

	if (argc != 2) {
		fprintf(stderr, "usage: mapchild DIR\n");
		return 2;
	}
	all = mmap(NULL, anon + 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (all == MAP_FAILED)
		die("mmap");
	if (mprotect(all + PAGE, anon, PROT_READ | PROT_WRITE) < 0)
		die("mprotect");
	memset(all + PAGE, 0x5a, anon);
	show("anon", all + PAGE, anon);
	show("guard", all, PAGE);
	p = map_file(argv[1], "sp ace\nline.dat", 8192, PROT_READ, MAP_SHARED, 0);
	show("space", p, 8192);
	p = map_file(argv[1], "gone.dat", 12288, PROT_READ | PROT_WRITE, MAP_SHARED, 1);
	p[0] = 1;
	show("deleted", p, 12288);
	p = map_file(argv[1], "\033[2Jesc.dat", 4096, PROT_READ, MAP_PRIVATE, 0);
	show("esc", p, 4096);
	puts("ready");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}

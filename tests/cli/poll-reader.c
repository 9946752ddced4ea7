/*
 * poll-reader.c - read a file over and over while something rewrites it,
 * and count the reads that were not a whole exposition (export -o's
 * atomic write under test: tests/cli/export-atomic.sh).
 *
 * usage: poll-reader FILE STOPFILE
 * Until STOPFILE exists, every 0.1 ms or so: open FILE (a missing FILE is skipped), read it
 * whole, and check that it starts with "# HELP " and ends with "# EOF\n".
 * Prints "reads N bad N versions N" (versions: distinct inodes seen, one
 * per rename) and exits 1 if a read was bad, 0 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX (4 << 20)

int main(int argc, char **argv)
{
	static char buf[MAX];
	unsigned long reads = 0, bad = 0, versions = 0;
	ino_t last = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: poll-reader FILE STOPFILE\n");
		return 2;
	}
	while (access(argv[2], F_OK) != 0) {
		int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		size_t n = 0;
		struct stat st;
		ssize_t r;

		/* A short pause: a busy loop would take a whole CPU from the
		 * writer on a small machine, and still reads many times per
		 * rewrite. */
		usleep(100);
		if (fd < 0) {
			if (errno != ENOENT) {
				perror(argv[1]);
				return 2;
			}
			continue;
		}
		if (fstat(fd, &st) == 0 && st.st_ino != last) {
			versions++;
			last = st.st_ino;
		}
		while (n < MAX && (r = read(fd, buf + n, MAX - n)) > 0)
			n += (size_t)r;
		close(fd);
		reads++;
		if (n < 13 || memcmp(buf, "# HELP ", 7) != 0 || memcmp(buf + n - 6, "# EOF\n", 6) != 0) {
			if (bad < 5)
				fprintf(stderr, "partial read: %zu bytes\n", n);
			bad++;
		}
	}
	printf("reads %lu bad %lu versions %lu\n", reads, bad, versions);
	return bad ? 1 : 0;
}

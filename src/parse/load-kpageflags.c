/*
 * load-kpageflags.c - /proc/kpageflags, read for a range of page frames
 * and reduced to one class per page for the simulator's seed
 * (model/pageclass.h).
 *
 * The file holds one 64-bit flag word per pfn (fs/proc/page.c), readable
 * by root only.  On current kernels every page of a free block reports
 * KPF_BUDDY (is_free_buddy_page()), not only its head as the kernel's
 * documentation says; the seed relies only on which pages are free, so
 * it works either way as long as tail pages are marked, and the per-order
 * comparison with buddyinfo shows whether they were.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpageflags.h"
#include "source.h"

/* include/uapi/linux/kernel-page-flags.h */
#define KPF_LRU 5
#define KPF_BUDDY 10
#define KPF_MMAP 11
#define KPF_ANON 12
#define KPF_SWAPCACHE 13
#define KPF_SWAPBACKED 14
#define KPF_HUGE 17
#define KPF_UNEVICTABLE 18
#define KPF_NOPAGE 20
#define KPF_KSM 21
#define KPF_THP 22
#define KPF_OFFLINE 23
#define KPF_RESERVED 32   /* one of the "kernel hacking" bits, exported too */

#define BIT(n) ((uint64_t)1 << (n))
#define CHUNK 65536   /* flag words per read: 512 KiB */

uint8_t kpageflags_class(uint64_t f)
{
	if (f == 0)
		return PAGE_BLANK;
	if (f & (BIT(KPF_NOPAGE) | BIT(KPF_OFFLINE)))
		return PAGE_HOLE;
	if (f & BIT(KPF_BUDDY))
		return PAGE_FREE;
	if (f & BIT(KPF_RESERVED))
		return PAGE_RESERVED;
	if (f & (BIT(KPF_LRU) | BIT(KPF_MMAP) | BIT(KPF_ANON) | BIT(KPF_SWAPCACHE) | BIT(KPF_SWAPBACKED) |
		 BIT(KPF_UNEVICTABLE) | BIT(KPF_KSM) | BIT(KPF_THP) | BIT(KPF_HUGE)))
		return PAGE_MOVABLE;
	return PAGE_KERNEL;
}

int kpageflags_classify(struct source *src, uint64_t start, uint64_t n, uint8_t *cls, struct input_status *st)
{
	uint64_t *buf;
	uint64_t done = 0;
	int fd;

	memset(st, 0, sizeof(*st));
	fd = source_openat(src, "proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		st->err = fd;
		return 0;
	}
	buf = malloc(CHUNK * sizeof(*buf));
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (done < n) {
		uint64_t want = n - done < CHUNK ? n - done : CHUNK;
		ssize_t r = pread(fd, buf, want * sizeof(*buf), (off_t)((start + done) * sizeof(*buf)));
		size_t got;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			st->err = -errno;
			break;
		}
		got = (size_t)r / sizeof(*buf);
		for (size_t k = 0; k < got; k++)
			cls[done + k] = kpageflags_class(buf[k]);
		done += got;
		if (got < want) {
			/* Past the last pfn the kernel knows: no memory there. */
			memset(cls + done, PAGE_HOLE, (size_t)(n - done));
			done = n;
		}
	}
	free(buf);
	close(fd);
	if (st->err)
		return 0;
	st->loaded = true;
	return 0;
}

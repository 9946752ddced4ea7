/*
 * test-live-extfrag.c - frag_kernel_format() against the kernel itself:
 * /sys/kernel/debug/extfrag/{unusable_index,extfrag_index} must equal,
 * byte for byte, what we print from /proc/buddyinfo read at the same
 * moment.
 *
 * "The same moment" is established by bracketing: read buddyinfo, both
 * debugfs files, buddyinfo again.  If the two buddyinfo reads are
 * identical, the free lists were (almost certainly) the same while the
 * kernel printed its indices, and any difference is our bug.  If they
 * differ, the attempt proves nothing and is retried; 20 attempts that all
 * saw the free lists move is a failure, not a skip, since a machine that
 * busy would hide a bug forever.
 *
 * debugfs is mounted if it is not (and unmounted again afterwards).  The
 * test skips (exit 77) only when that is impossible: not root, or a kernel
 * without debugfs or without CONFIG_COMPACTION (no extfrag directory).
 * Files are read with plain read(2): the test must not depend on the
 * source layer it is checking.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "analysis/frag.h"
#include "parse/parse.h"

#define DEBUGFS "/sys/kernel/debug"
#define UNUSABLE DEBUGFS "/extfrag/unusable_index"
#define EXTFRAG DEBUGFS "/extfrag/extfrag_index"
#define ATTEMPTS 20

static char release[sizeof(((struct utsname *)0)->release)];

/* The whole file; NULL with errno set. */
static char *read_all(const char *path, size_t *ret_len)
{
	size_t len = 0, cap = 1 << 14;
	char *buf = malloc(cap), *nb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		int e = errno;

		free(buf);
		if (fd >= 0)
			close(fd);
		errno = e;
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			nb = realloc(buf, cap *= 2);
			if (!nb)
				break;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*ret_len = len;
	return buf;
}

struct capture {
	char *bi1, *bi2, *unusable, *extfrag;
	size_t bi1_len, bi2_len, unusable_len, extfrag_len;
};

static void capture_free(struct capture *c)
{
	free(c->bi1);
	free(c->bi2);
	free(c->unusable);
	free(c->extfrag);
	memset(c, 0, sizeof(*c));
}

/* buddyinfo, unusable_index, extfrag_index, buddyinfo: back to back. */
static void capture(struct capture *c)
{
	c->bi1 = read_all("/proc/buddyinfo", &c->bi1_len);
	c->unusable = read_all(UNUSABLE, &c->unusable_len);
	c->extfrag = read_all(EXTFRAG, &c->extfrag_len);
	c->bi2 = read_all("/proc/buddyinfo", &c->bi2_len);
	assert_non_null(c->bi1);
	assert_non_null(c->unusable);
	assert_non_null(c->extfrag);
	assert_non_null(c->bi2);
}

static bool stable(const struct capture *c)
{
	return c->bi1_len == c->bi2_len && memcmp(c->bi1, c->bi2, c->bi1_len) == 0;
}

static void compare(const struct buddyinfo *bi, enum frag_file which, const char *kernel,
		    size_t kernel_len, const char *name)
{
	struct buf ours = BUF_INIT;

	assert_int_equal(frag_kernel_format_release(bi, which, release, &ours), 0);
	if (ours.len != kernel_len || memcmp(ours.data, kernel, kernel_len) != 0) {
		print_error("%s differs from ours (buddyinfo unchanged around the read).\n"
			    "kernel:\n%s\nours:\n%s\n", name, kernel, ours.data ? ours.data : "");
		buf_free(&ours);
		fail();
	}
	buf_free(&ours);
}

static void live_extfrag_matches_debugfs(void **state)
{
	int attempt;

	(void)state;
	for (attempt = 1; attempt <= ATTEMPTS; attempt++) {
		struct capture c = { 0 };
		struct buddyinfo bi;
		struct parse_error perr = { 0 };

		capture(&c);
		if (!stable(&c)) {
			capture_free(&c);
			usleep(20000);
			continue;
		}
		if (buddyinfo_parse(c.bi1, c.bi1_len, "/proc/buddyinfo", &bi, &perr) < 0)
			fail_msg("/proc/buddyinfo:%u: %s", perr.line, perr.what);
		compare(&bi, FRAG_UNUSABLE, c.unusable, c.unusable_len, UNUSABLE);
		compare(&bi, FRAG_EXTFRAG, c.extfrag, c.extfrag_len, EXTFRAG);
		print_message("# matched on attempt %d (release %s, %zu zones, %u orders)\n",
			      attempt, release, bi.n, bi.nr_orders);
		buddyinfo_free(&bi);
		capture_free(&c);
		return;
	}
	fail_msg("/proc/buddyinfo changed between the reads bracketing debugfs in all %d attempts; "
		 "nothing could be compared (is the machine this busy?)", ATTEMPTS);
}

/*
 * Make the extfrag files reachable.  Returns 0, or 77 after printing the
 * TAP skip line.  *mounted says whether we mounted debugfs ourselves.
 */
static int setup_debugfs(bool *mounted)
{
	const char *why = NULL;

	*mounted = false;
	if (access(UNUSABLE, F_OK) != 0 && errno == ENOENT) {
		if (mount("none", DEBUGFS, "debugfs", 0, NULL) == 0)
			*mounted = true;
		else if (errno == EPERM || errno == EACCES)
			why = "debugfs is not mounted and mounting it needs root";
		else if (errno == ENODEV)
			why = "kernel without debugfs (CONFIG_DEBUG_FS)";
		else if (errno != EBUSY)
			why = "cannot mount debugfs on " DEBUGFS;
	}
	if (!why && access(UNUSABLE, F_OK) != 0)
		why = errno == EACCES ? DEBUGFS " is readable by root only" :
		      "no " DEBUGFS "/extfrag (kernel without CONFIG_COMPACTION)";
	if (!why && (access(UNUSABLE, R_OK) != 0 || access(EXTFRAG, R_OK) != 0))
		why = "the extfrag files are readable by root only";
	if (!why && access("/proc/buddyinfo", R_OK) != 0)
		why = "/proc/buddyinfo is unreadable";
	if (!why)
		return 0;
	printf("1..0 # SKIP %s\n", why);
	if (*mounted)
		umount(DEBUGFS);
	return 77;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(live_extfrag_matches_debugfs),
	};
	struct utsname u;
	bool mounted;
	int rc;

	if (uname(&u) == 0)
		snprintf(release, sizeof(release), "%s", u.release);
	rc = setup_debugfs(&mounted);
	if (rc)
		return rc;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (mounted && umount(DEBUGFS) != 0)
		fprintf(stderr, "# could not unmount the debugfs this test mounted: %s\n", strerror(errno));
	return rc;
}

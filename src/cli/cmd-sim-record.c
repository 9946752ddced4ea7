/*
 * cmd-sim-record.c - "fragscope sim record [--seconds N] FILE": capture the
 * kmem events mm_page_alloc and mm_page_free on this machine with ftrace,
 * and the buddy lists' own mm_page_alloc_zone_locked and
 * mm_page_pcpu_drain where the kernel has them, for "sim buddy --replay
 * FILE" (reference/kernel.md section 6.1).
 *
 * It finds tracefs (mounting it on /sys/kernel/tracing if nothing is
 * mounted, and unmounting it afterwards), remembers the state it finds
 * (the events' enable files, tracing_on, buffer_size_kb), makes the
 * per-CPU buffer at least 16 MiB, clears the ring buffer, enables the
 * events for the given time (Ctrl-C ends the wait early), turns them off,
 * saves the trace atomically (a temporary file beside FILE, then rename),
 * clears the buffer again and puts every setting back.  Clearing means a
 * trace someone else had in the ring buffer is lost: the man page says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "outdir.h"
#include "../parse/parse-trace.h"

#define MIN_BUFFER_KB 16384

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* The first line of a small tracefs file, without its newline. */
static int read_setting(const char *dir, const char *rel, char *out, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, out, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

static int write_setting(const char *dir, const char *rel, const char *val)
{
	char path[PATH_MAX];
	size_t n = strlen(val);
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (n && write(fd, val, n) != (ssize_t)n)
		r = -errno;
	if (close(fd) < 0 && !r)
		r = -errno;
	return r;
}

/* The events recorded; the first two are required. */
static const char *const rec_events[] = {
	"events/kmem/mm_page_alloc/enable",
	"events/kmem/mm_page_free/enable",
	"events/kmem/mm_page_alloc_zone_locked/enable",
	"events/kmem/mm_page_pcpu_drain/enable",
};
#define NR_REC_EVENTS (sizeof(rec_events) / sizeof(rec_events[0]))

struct saved {
	char en[NR_REC_EVENTS][8], on[8], kb[32];
	bool have_en[NR_REC_EVENTS], have_kb;
};

/* Turn every event the kernel has on or off. */
static int enable_events(const char *dir, const struct saved *s, const char *value)
{
	int r = 0;

	for (size_t k = 0; k < NR_REC_EVENTS; k++)
		if (s->have_en[k] && !r)
			r = write_setting(dir, rec_events[k], value);
	return r;
}

static void restore(const char *dir, const struct saved *s)
{
	for (size_t k = 0; k < NR_REC_EVENTS; k++)
		if (s->have_en[k])
			write_setting(dir, rec_events[k], s->en[k]);
	write_setting(dir, "tracing_on", s->on);
	if (s->have_kb)
		write_setting(dir, "buffer_size_kb", s->kb);
}

/* "entries-in-buffer/entries-written: A/B": B - A events were lost. */
static uint64_t lost_events(const char *buf, size_t len)
{
	const char *p = memmem(buf, len < 4096 ? len : 4096, "entries-in-buffer/entries-written:", 34);
	unsigned long long a, b;

	if (p && sscanf(p + 34, " %llu/%llu", &a, &b) == 2 && b > a)
		return b - a;
	return 0;
}

int sim_record(struct options *o)
{
	const char *file, *dir = "/sys/kernel/tracing";
	double secs = (o->used & OPT_SECONDS) ? o->sim_seconds : 1.0;
	struct saved sv = { 0 };
	bool mounted = false;
	struct timespec t0, t1;
	struct sigaction sa = { 0 }, old_int, old_term;
	struct outfile of;
	struct trace tr = { 0 };
	struct parse_error perr = { 0 };
	char *buf = NULL, kb[32];
	size_t len = 0;
	int r, rc = EXIT_OK;

	if (o->argc != 2) {
		cli_error("usage: fragscope sim record [--seconds N] FILE");
		return EXIT_USAGE;
	}
	if (o->used & ~(OPT_SECONDS | OPT_FORCE)) {
		cli_error("sim record takes only --seconds and --force");
		return EXIT_USAGE;
	}
	if (o->root) {
		cli_error("sim record traces this machine; --root does not apply");
		return EXIT_USAGE;
	}
	file = o->argv[1];
	/* The target is checked, and the temporary file made, before the
	 * recording: a bad FILE fails at once, not after N seconds. */
	rc = outfile_begin(&of, file, (o->force ? OUTFILE_FORCE : 0) | OUTFILE_PUBLIC, "the trace");
	if (rc != EXIT_OK)
		return rc;
	if (geteuid() != 0) {
		outfile_abort(&of);
		cli_error("sim record needs root to use ftrace");
		return EXIT_PERM;
	}
	if (access("/sys/kernel/tracing/trace", F_OK) != 0) {
		if (access("/sys/kernel/debug/tracing/trace", F_OK) == 0) {
			dir = "/sys/kernel/debug/tracing";
		} else if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0) {
			mounted = true;
		} else {
			int e = errno;

			outfile_abort(&of);
			cli_error("cannot mount tracefs on /sys/kernel/tracing: %s", strerror(e));
			return e == EPERM || e == EACCES ? EXIT_PERM : EXIT_INPUT;
		}
	}
	for (size_t k = 0; k < NR_REC_EVENTS; k++)
		sv.have_en[k] = read_setting(dir, rec_events[k], sv.en[k], sizeof(sv.en[k])) == 0;
	if (!sv.have_en[0] || !sv.have_en[1] || read_setting(dir, "tracing_on", sv.on, sizeof(sv.on)) < 0) {
		cli_error("%s: no kmem events (mm_page_alloc, mm_page_free) in this kernel's tracefs", dir);
		rc = EXIT_INPUT;
		goto out_umount;
	}
	/* "7 (expanded: 1408)" before the buffer was first used: the number
	 * before the blank is what can be written back. */
	sv.have_kb = read_setting(dir, "buffer_size_kb", sv.kb, sizeof(sv.kb)) == 0;
	sv.kb[strcspn(sv.kb, " ")] = '\0';
	if (sv.have_kb && strtoull(sv.kb, NULL, 10) < MIN_BUFFER_KB) {
		snprintf(kb, sizeof(kb), "%d", MIN_BUFFER_KB);
		write_setting(dir, "buffer_size_kb", kb);
	}

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	r = write_setting(dir, "trace", "");
	if (!r)
		r = enable_events(dir, &sv, "1");
	if (!r)
		r = write_setting(dir, "tracing_on", "1");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!r) {
		struct timespec end = t0, now;

		end.tv_sec += (time_t)secs;
		end.tv_nsec += (long)((secs - (double)(time_t)secs) * 1e9);
		if (end.tv_nsec >= 1000000000L) {
			end.tv_sec++;
			end.tv_nsec -= 1000000000L;
		}
		while (!interrupted) {
			struct timespec left;

			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec > end.tv_sec || (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
				break;
			left.tv_sec = end.tv_sec - now.tv_sec;
			left.tv_nsec = end.tv_nsec - now.tv_nsec;
			if (left.tv_nsec < 0) {
				left.tv_sec--;
				left.tv_nsec += 1000000000L;
			}
			nanosleep(&left, NULL);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	enable_events(dir, &sv, "0");
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (r) {
		cli_error("cannot enable the kmem events in %s: %s", dir, strerror(-r));
		rc = EXIT_INPUT;
		goto out_restore;
	}
	{
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/trace", dir);
		r = cli_read_file(path, (size_t)1 << 34, &buf, &len);
	}
	if (r < 0) {
		cli_error("cannot read %s/trace: %s", dir, strerror(-r));
		rc = EXIT_INPUT;
		goto out_restore;
	}
	r = outdir_write_all(of.fd, buf, len);
	if (r < 0) {
		cli_error("cannot write '%s': %s", file, strerror(-r));
		rc = EXIT_OUTPUT;
		goto out_restore;
	}
	rc = outfile_commit(&of);
	if (rc != EXIT_OK)
		goto out_restore;
	if (trace_parse(buf, len, file, &tr, &perr) == 0) {
		uint64_t allocs = 0, frees = 0;

		for (size_t k = 0; k < tr.n; k++) {
			allocs += tr.ev[k].kind == TRACE_ALLOC || tr.ev[k].kind == TRACE_ALLOC_FAILED;
			frees += tr.ev[k].kind == TRACE_FREE;
		}
		printf("recorded %llu mm_page_alloc, %llu mm_page_free and %llu buddy list events in %.2f s to %s%s",
		       (unsigned long long)allocs, (unsigned long long)frees, (unsigned long long)tr.buddy_events,
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, file,
		       interrupted ? " (ended early)" : "");
		if (lost_events(buf, len))
			printf("; %llu events were lost (the ring buffer was full)",
			       (unsigned long long)lost_events(buf, len));
		printf("\n");
		trace_free(&tr);
	} else {
		cli_warn("%s:%u: %s", perr.file, perr.line, perr.what);
	}
	rc = cli_finish(rc);
out_restore:
	free(buf);
	write_setting(dir, "trace", "");
	restore(dir, &sv);
out_umount:
	if (of.fd >= 0)
		outfile_abort(&of);
	if (mounted)
		umount("/sys/kernel/tracing");
	return rc;
}

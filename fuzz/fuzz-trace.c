/*
 * fuzz-trace.c - libFuzzer harness for trace_parse(), the kmem trace
 * parser of sim buddy --replay.  Besides parse.h's contract: every
 * event's order is below FS_MAX_ORDERS, its kind is one of the five, an
 * allocation has pfn 0 exactly when it failed, its line lies within the
 * input, and buddy_events counts the buddy lists' own events.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"
#include "parse/parse-trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct trace t;
	unsigned lines = fuzz_nr_lines(data, size);
	int rc;

	memset(&perr, 0, sizeof(perr));
	memset(&t, FUZZ_POISON, sizeof(t));
	rc = trace_parse((const char *)data, size, fuzz_file, &t, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&t, sizeof(t)))
			fuzz_fail("trace_parse changed *ret on failure");
		return 0;
	}
	uint64_t buddy = 0;

	for (size_t k = 0; k < t.n; k++) {
		const struct trace_event *e = &t.ev[k];

		if (e->order >= FS_MAX_ORDERS || e->kind > TRACE_BUDDY_GIVE || e->line == 0 || e->line > lines)
			fuzz_fail("trace_parse: an event out of range");
		if ((e->kind == TRACE_ALLOC && e->pfn == 0) || (e->kind == TRACE_ALLOC_FAILED && e->pfn != 0))
			fuzz_fail("trace_parse: pfn 0 is not a failed allocation");
		buddy += e->kind == TRACE_BUDDY_TAKE || e->kind == TRACE_BUDDY_GIVE;
	}
	if (buddy != t.buddy_events)
		fuzz_fail("trace_parse: buddy_events miscounted");
	trace_free(&t);
	return 0;
}

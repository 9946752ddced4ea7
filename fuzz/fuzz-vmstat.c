/*
 * fuzz-vmstat.c - libFuzzer harness for vmstat_parse(), the /proc/vmstat
 * parser.  Any input must either parse, pass the sanity checks below and
 * be freed, or fail cleanly under the error contract in fuzz-check.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ok(const struct kvlist *l)
{
	size_t i;

	if (l->n > l->cap)
		fuzz_fail("vmstat: n > cap");
	for (i = 0; i < l->n; i++)
		if (!l->items[i].name)
			fuzz_fail("vmstat: counter without a name");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct kvlist ret;
	int rc;

	memset(&perr, 0, sizeof(perr));
	memset(&ret, FUZZ_POISON, sizeof(ret));
	rc = vmstat_parse((const char *)data, size, fuzz_file, &ret, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&ret, sizeof(ret)))
			fuzz_fail("vmstat_parse changed *ret on failure");
		return 0;
	}
	check_ok(&ret);
	kvlist_free(&ret);
	return 0;
}

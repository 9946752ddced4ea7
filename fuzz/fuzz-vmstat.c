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

/*
 * The same input re-parsed over the model of the inputs before it, as a
 * live view re-reads the file on every refresh: the result must be the
 * fresh parse's, and a failure must leave the model empty.
 */
static struct kvlist re;

static void check_reparse(const uint8_t *data, size_t size, int rc, const struct kvlist *fresh)
{
	struct parse_error perr;
	int r2;

	memset(&perr, 0, sizeof(perr));
	r2 = vmstat_reparse((const char *)data, size, fuzz_file, &re, &perr);
	if ((r2 < 0) != (rc < 0))
		fuzz_fail("vmstat_reparse: the re-parse and the parse disagree");
	if (r2 < 0) {
		if (re.n || re.items)
			fuzz_fail("vmstat_reparse: a failed re-parse left a model");
		return;
	}
	if (re.n != fresh->n)
		fuzz_fail("vmstat_reparse: the re-parse has another count");
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
	check_reparse(data, size, rc, &ret);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&ret, sizeof(ret)))
			fuzz_fail("vmstat_parse changed *ret on failure");
		return 0;
	}
	check_ok(&ret);
	kvlist_free(&ret);
	return 0;
}

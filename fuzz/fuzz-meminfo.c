/*
 * fuzz-meminfo.c - libFuzzer harness for meminfo_parse(), the /proc/meminfo
 * parser.  Any input must either parse, pass the sanity checks below and
 * be freed, or fail cleanly under the error contract in fuzz-check.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every field has a name; kB values were range-checked by the parser. */
static void check_ok(const struct meminfo *mi)
{
	size_t i;

	if (mi->n > mi->cap)
		fuzz_fail("meminfo: n > cap");
	for (i = 0; i < mi->n; i++)
		if (!mi->f[i].name)
			fuzz_fail("meminfo: field without a name");
}

/*
 * The same input re-parsed over the model of the inputs before it, as a
 * live view re-reads the file on every refresh: the result must be the
 * fresh parse's, and a failure must leave the model empty.
 */
static struct meminfo re;

static void check_reparse(const uint8_t *data, size_t size, int rc, const struct meminfo *fresh)
{
	struct parse_error perr;
	int r2;

	memset(&perr, 0, sizeof(perr));
	r2 = meminfo_reparse((const char *)data, size, fuzz_file, &re, &perr);
	if ((r2 < 0) != (rc < 0))
		fuzz_fail("meminfo_reparse: the re-parse and the parse disagree");
	if (r2 < 0) {
		if (re.n || re.f)
			fuzz_fail("meminfo_reparse: a failed re-parse left a model");
		return;
	}
	if (re.n != fresh->n)
		fuzz_fail("meminfo_reparse: the re-parse has another count");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct meminfo ret;
	int rc;

	memset(&perr, 0, sizeof(perr));
	memset(&ret, FUZZ_POISON, sizeof(ret));
	rc = meminfo_parse((const char *)data, size, fuzz_file, &ret, &perr);
	fuzz_check_result(rc, &perr, data, size);
	check_reparse(data, size, rc, &ret);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&ret, sizeof(ret)))
			fuzz_fail("meminfo_parse changed *ret on failure");
		return 0;
	}
	check_ok(&ret);
	meminfo_free(&ret);
	return 0;
}

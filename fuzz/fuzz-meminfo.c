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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct meminfo ret;
	int rc;

	memset(&perr, 0, sizeof(perr));
	memset(&ret, FUZZ_POISON, sizeof(ret));
	rc = meminfo_parse((const char *)data, size, fuzz_file, &ret, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&ret, sizeof(ret)))
			fuzz_fail("meminfo_parse changed *ret on failure");
		return 0;
	}
	check_ok(&ret);
	meminfo_free(&ret);
	return 0;
}

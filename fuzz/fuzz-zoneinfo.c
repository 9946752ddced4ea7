/*
 * fuzz-zoneinfo.c - libFuzzer harness for zoneinfo_parse(), the /proc/zoneinfo
 * parser.  Any input must either parse, pass the sanity checks below and
 * be freed, or fail cleanly under the error contract in fuzz-check.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ok(const struct zoneinfo *zi)
{
	size_t i;

	for (i = 0; i < zi->n; i++) {
		const struct zone_info *z = &zi->z[i];

		if (!memchr(z->name, '\0', sizeof(z->name)))
			fuzz_fail("zoneinfo: zone name not terminated");
		if (z->nr_protection > FS_MAX_ZONES)
			fuzz_fail("zoneinfo: more protection entries than FS_MAX_ZONES");
		(void)zone_info_populated(z);
	}
}

/*
 * The same input re-parsed over the model of the inputs before it, as a
 * live view re-reads the file on every refresh: the result must be the
 * fresh parse's, and a failure must leave the model empty.
 */
static struct zoneinfo re;

static void check_reparse(const uint8_t *data, size_t size, int rc, const struct zoneinfo *fresh)
{
	struct parse_error perr;
	int r2;

	memset(&perr, 0, sizeof(perr));
	r2 = zoneinfo_reparse((const char *)data, size, fuzz_file, &re, &perr);
	if ((r2 < 0) != (rc < 0))
		fuzz_fail("zoneinfo_reparse: the re-parse and the parse disagree");
	if (r2 < 0) {
		if (re.n || re.z)
			fuzz_fail("zoneinfo_reparse: a failed re-parse left a model");
		return;
	}
	if (re.n != fresh->n)
		fuzz_fail("zoneinfo_reparse: the re-parse has another count");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct zoneinfo ret;
	int rc;

	memset(&perr, 0, sizeof(perr));
	memset(&ret, FUZZ_POISON, sizeof(ret));
	rc = zoneinfo_parse((const char *)data, size, fuzz_file, &ret, &perr);
	fuzz_check_result(rc, &perr, data, size);
	check_reparse(data, size, rc, &ret);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&ret, sizeof(ret)))
			fuzz_fail("zoneinfo_parse changed *ret on failure");
		return 0;
	}
	check_ok(&ret);
	zoneinfo_free(&ret);
	return 0;
}

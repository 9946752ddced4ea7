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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct zoneinfo ret;
	int rc;

	memset(&perr, 0, sizeof(perr));
	memset(&ret, FUZZ_POISON, sizeof(ret));
	rc = zoneinfo_parse((const char *)data, size, fuzz_file, &ret, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&ret, sizeof(ret)))
			fuzz_fail("zoneinfo_parse changed *ret on failure");
		return 0;
	}
	check_ok(&ret);
	zoneinfo_free(&ret);
	return 0;
}

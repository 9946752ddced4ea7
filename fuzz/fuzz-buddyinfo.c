/*
 * fuzz-buddyinfo.c - libFuzzer harness for buddyinfo_parse(), the /proc/buddyinfo
 * parser.  Any input must either parse, pass the sanity checks below and
 * be freed, or fail cleanly under the error contract in fuzz-check.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ok(const struct buddyinfo *bi)
{
	size_t i;

	if (bi->nr_orders > FS_MAX_ORDERS)
		fuzz_fail("buddyinfo: more orders than FS_MAX_ORDERS");
	for (i = 0; i < bi->n; i++) {
		if (!memchr(bi->z[i].zone, '\0', sizeof(bi->z[i].zone)))
			fuzz_fail("buddyinfo: zone name not terminated");
		(void)buddy_zone_free_pages(&bi->z[i], bi->nr_orders);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct buddyinfo ret;
	int rc;

	memset(&perr, 0, sizeof(perr));
	memset(&ret, FUZZ_POISON, sizeof(ret));
	rc = buddyinfo_parse((const char *)data, size, fuzz_file, &ret, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&ret, sizeof(ret)))
			fuzz_fail("buddyinfo_parse changed *ret on failure");
		return 0;
	}
	check_ok(&ret);
	buddyinfo_free(&ret);
	return 0;
}

/*
 * fuzz-pagetypeinfo.c - libFuzzer harness for pagetypeinfo_parse(), the /proc/pagetypeinfo
 * parser.  Any input must either parse, pass the sanity checks below and
 * be freed, or fail cleanly under the error contract in fuzz-check.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ok(const struct pagetypeinfo *pt)
{
	size_t i;

	if (pt->nr_orders > FS_MAX_ORDERS)
		fuzz_fail("pagetypeinfo: more orders than FS_MAX_ORDERS");
	if (pt->nr_mt > FS_MAX_MT)
		fuzz_fail("pagetypeinfo: more migratetypes than FS_MAX_MT");
	for (i = 0; i < pt->nr_mt; i++)
		if (!memchr(pt->mt_names[i], '\0', FS_NAME_LEN))
			fuzz_fail("pagetypeinfo: migratetype name not terminated");
	for (i = 0; i < pt->n; i++)
		if (!memchr(pt->z[i].zone, '\0', sizeof(pt->z[i].zone)))
			fuzz_fail("pagetypeinfo: zone name not terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct pagetypeinfo ret;
	int rc;

	memset(&perr, 0, sizeof(perr));
	memset(&ret, FUZZ_POISON, sizeof(ret));
	rc = pagetypeinfo_parse((const char *)data, size, fuzz_file, &ret, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&ret, sizeof(ret)))
			fuzz_fail("pagetypeinfo_parse changed *ret on failure");
		return 0;
	}
	check_ok(&ret);
	pagetypeinfo_free(&ret);
	return 0;
}

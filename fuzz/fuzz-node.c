/*
 * fuzz-node.c - libFuzzer harness for the small /sys/devices/system/node
 * parsers: nodelist_parse() ("0-3,8"), distance_parse() ("10 20") and
 * sysfs_u64_parse() ("512").  Every input goes through all three.  A
 * node list must come back sorted and without duplicates.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	int *list = (int *)(uintptr_t)1;
	size_t n = 12345, i;
	uint64_t v = 12345;
	int rc;

	memset(&perr, 0, sizeof(perr));
	rc = nodelist_parse((const char *)data, size, fuzz_file, &list, &n, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (list != (int *)(uintptr_t)1 || n != 12345)
			fuzz_fail("nodelist_parse changed its outputs on failure");
	} else {
		for (i = 0; i < n; i++) {
			if (list[i] < 0)
				fuzz_fail("nodelist_parse returned a negative node");
			if (i && list[i] <= list[i - 1])
				fuzz_fail("nodelist_parse: list not sorted and unique");
		}
		free(list);
	}

	list = (int *)(uintptr_t)1;
	n = 12345;
	memset(&perr, 0, sizeof(perr));
	rc = distance_parse((const char *)data, size, fuzz_file, &list, &n, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (list != (int *)(uintptr_t)1 || n != 12345)
			fuzz_fail("distance_parse changed its outputs on failure");
	} else {
		/* Touch every element so ASan checks the array size
		 * (unsigned: distances may add up past INT_MAX). */
		volatile unsigned sum = 0;

		for (i = 0; i < n; i++)
			sum += (unsigned)list[i];
		(void)sum;
		free(list);
	}

	memset(&perr, 0, sizeof(perr));
	rc = sysfs_u64_parse((const char *)data, size, fuzz_file, &v, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0 && v != 12345)
		fuzz_fail("sysfs_u64_parse changed *ret on failure");
	return 0;
}

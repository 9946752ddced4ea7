/*
 * fuzz-node-meminfo.c - libFuzzer harness for node_meminfo_parse(), the
 * parser of /sys/devices/system/node/nodeN/meminfo.  The first input
 * byte picks the node number the file must name (0..7, or -1 for a
 * byte of 0xff); the rest is the file.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct meminfo ret;
	size_t i;
	int rc, node;

	if (size < 1)
		return 0;
	node = data[0] == 0xff ? -1 : data[0] % 8;
	data++;
	size--;
	memset(&perr, 0, sizeof(perr));
	memset(&ret, FUZZ_POISON, sizeof(ret));
	rc = node_meminfo_parse((const char *)data, size, fuzz_file, node,
				&ret, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (!fuzz_is_poisoned(&ret, sizeof(ret)))
			fuzz_fail("node_meminfo_parse changed *ret on failure");
		return 0;
	}
	for (i = 0; i < ret.n; i++) {
		if (!ret.f[i].name)
			fuzz_fail("node meminfo: field without a name");
		if (strncmp(ret.f[i].name, "Node ", 5) == 0)
			fuzz_fail("node meminfo: \"Node N \" prefix was kept");
	}
	meminfo_free(&ret);
	return 0;
}

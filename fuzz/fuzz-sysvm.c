/*
 * fuzz-sysvm.c - libFuzzer harness for sysvm_parse(), the parser of the
 * /proc/sys/vm tunables.  The first input byte picks which file it is
 * (byte % 6 selects one of the six SYSVM_* bits; byte 0xff passes an
 * invalid selector); the rest is the file.  On success exactly that bit
 * must be set and only that file's field may change.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	struct sysvm vm, before;
	unsigned which;
	int rc;

	if (size < 1)
		return 0;
	which = data[0] == 0xff ? 0x60u : 1u << (data[0] % 6);
	data++;
	size--;
	memset(&perr, 0, sizeof(perr));
	memset(&vm, 0, sizeof(vm));
	before = vm;
	rc = sysvm_parse(which, (const char *)data, size, fuzz_file, &vm, &perr);
	fuzz_check_result(rc, &perr, data, size);
	if (rc < 0) {
		if (memcmp(&vm, &before, sizeof(vm)) != 0)
			fuzz_fail("sysvm_parse changed *vm on failure");
		return 0;
	}
	if (which == 0x60u)
		fuzz_fail("sysvm_parse accepted an invalid selector");
	if (vm.have != which)
		fuzz_fail("sysvm_parse set the wrong have bits");
	if (vm.nr_lowmem_reserve_ratio > FS_MAX_ZONES)
		fuzz_fail("sysvm_parse: too many lowmem_reserve_ratio values");
	if (which != SYSVM_LOWMEM_RESERVE_RATIO && vm.nr_lowmem_reserve_ratio)
		fuzz_fail("sysvm_parse touched lowmem_reserve_ratio");
	return 0;
}

/*
 * units.c - human-readable sizes (see units.h).
 */
#include <stdio.h>

#include "units.h"

char *units_bytes(uint64_t bytes, char out[UNITS_BUFSZ])
{
	static const char *const suffix[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned i = 0;
	uint64_t whole = bytes, rem = 0;

	while (whole >= 1024 && i + 1 < sizeof(suffix) / sizeof(suffix[0])) {
		rem = whole % 1024;
		whole /= 1024;
		i++;
	}
	/* First decimal of the remainder, truncated. */
	rem = rem * 10 / 1024;
	if (i == 0 || rem == 0)
		snprintf(out, UNITS_BUFSZ, "%llu%s", (unsigned long long)whole, suffix[i]);
	else
		snprintf(out, UNITS_BUFSZ, "%llu.%llu%s", (unsigned long long)whole,
			 (unsigned long long)rem, suffix[i]);
	return out;
}

char *units_group(uint64_t v, char out[UNITS_BUFSZ + 8])
{
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	int o = 0;

	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

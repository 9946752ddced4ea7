/*
 * units.h - human-readable sizes in binary units (KiB, MiB, GiB, ...).
 */
#ifndef FRAGSCOPE_UNITS_H
#define FRAGSCOPE_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define UNITS_BUFSZ 24

/*
 * Format bytes as "512B", "4KiB", "1.7GiB": one decimal, dropped when it
 * is zero; truncated (never rounded up), like util-linux.  Returns out.
 */
char *units_bytes(uint64_t bytes, char out[UNITS_BUFSZ]);

/* Decimal with thousands separators: 1234567 -> "1,234,567". Returns out. */
char *units_group(uint64_t v, char out[UNITS_BUFSZ + 8]);

#endif

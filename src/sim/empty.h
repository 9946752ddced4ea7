/*
 * empty.h - the inputs of an empty machine of a given size, for
 * sim buddy --seed-from empty:SIZE: an x86-64 layout of 4 KiB pages (DMA
 * below 16 MiB, DMA32 below 4 GiB, Normal above; Movable and Device
 * listed empty, as 6.x prints them), every page free and managed, the
 * vm sysctls at their defaults and the watermarks and protection computed
 * from them exactly as the kernel does (analysis/watermark.c).  The
 * result is handed to sim_machine_seed() like a machine's own files.
 */
#ifndef FRAGSCOPE_SIM_EMPTY_H
#define FRAGSCOPE_SIM_EMPTY_H

#include <stdint.h>

#include "../model/buddyinfo.h"
#include "../model/sysvm.h"
#include "../model/zoneinfo.h"

/* pages: the machine's size in 4 KiB pages (at least 8192 = 32 MiB).
 * 0, -EINVAL, -ENOMEM; free the results with zoneinfo_free() and
 * buddyinfo_free(). */
int sim_empty_inputs(uint64_t pages, struct zoneinfo *zi, struct buddyinfo *bi, struct sysvm *vm);

/* "16G", "512M", "1T", "4194304" (pages need a unit: K, M, G, T, binary)
 * to bytes; -EINVAL if malformed. */
int sim_parse_size(const char *s, uint64_t *bytes);

#endif

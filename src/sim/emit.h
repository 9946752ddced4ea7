/*
 * emit.h - a simulated machine's state in the kernel's /proc formats
 * (buddyinfo, pagetypeinfo, zoneinfo), for sim --emit-root.  Pure:
 * appends to a buffer.  Each returns 0 or -ENOMEM.
 */
#ifndef FRAGSCOPE_SIM_EMIT_H
#define FRAGSCOPE_SIM_EMIT_H

#include "../util/util.h"
#include "machine.h"

int sim_emit_buddyinfo(const struct sim_machine *m, struct buf *out);
/* pt: the seed's pagetypeinfo for its migratetype names (may be NULL). */
int sim_emit_pagetypeinfo(const struct sim_machine *m, const struct pagetypeinfo *pt, struct buf *out);
/* zi: the seed's zoneinfo; every zone is printed, the simulated ones with
 * their free pages and watermarks (boost) as the simulation left them. */
int sim_emit_zoneinfo(const struct sim_machine *m, const struct zoneinfo *zi, struct buf *out);

#endif

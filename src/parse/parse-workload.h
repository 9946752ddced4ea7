/*
 * parse-workload.h - the buddy simulator's workload spec (the format is
 * described in sim/workload.h and the man page).  Pure, with parse.h's
 * contract: -EINVAL with perr naming the line, -ERANGE, or -ENOMEM.
 */
#ifndef FRAGSCOPE_PARSE_WORKLOAD_H
#define FRAGSCOPE_PARSE_WORKLOAD_H

#include <stddef.h>

#include "lex.h"
#include "../sim/workload.h"

int workload_parse(const char *buf, size_t len, const char *file, struct sim_workload *ret,
		   struct parse_error *perr);

#endif

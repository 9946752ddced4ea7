/*
 * parse-trace.h - an ftrace text trace (/sys/kernel/tracing/trace) of the
 * kmem events mm_page_alloc and mm_page_free, for sim buddy --replay.
 * parse.h's contract: -EINVAL with perr naming the line, -ERANGE, -ENOMEM.
 * '#' lines and other events are skipped (counted); a known event that
 * lacks pfn= or order=, or has a malformed number, is an error.
 */
#ifndef FRAGSCOPE_PARSE_TRACE_H
#define FRAGSCOPE_PARSE_TRACE_H

#include <stddef.h>

#include "lex.h"
#include "../sim/replay.h"

int trace_parse(const char *buf, size_t len, const char *file, struct trace *ret, struct parse_error *perr);
/* The FS_GFP_* mask of a gfp_flags= value ("GFP_KERNEL|__GFP_ZERO");
 * *unknown counts tokens that are not known names or hex numbers. */
uint32_t trace_gfp_mask(const char *s, size_t n, uint64_t *unknown);

#endif

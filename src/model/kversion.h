/*
 * kversion.h - the MAJOR.MINOR of a kernel release string, for the rules
 * that changed between kernel versions (watermark checks, debugfs
 * formats, compaction marks).
 */
#ifndef FRAGSCOPE_KVERSION_H
#define FRAGSCOPE_KVERSION_H

#include <stdbool.h>

/* "6.18.44-fc-v669" -> 6, 18.  Leading digits only; false (and *major,
 * *minor untouched) when the release does not start with MAJOR.MINOR. */
bool kversion_parse(const char *release, unsigned *major, unsigned *minor);

/* True when release parses and is older than major.minor.  An unknown
 * release is taken to be current: false. */
bool kversion_before(const char *release, unsigned major, unsigned minor);

#endif

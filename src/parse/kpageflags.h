/*
 * kpageflags.h - /proc/kpageflags reduced to one enum page_class per page
 * (model/pageclass.h), for seeding the simulator from the real layout.
 */
#ifndef FRAGSCOPE_KPAGEFLAGS_H
#define FRAGSCOPE_KPAGEFLAGS_H

#include <stdint.h>

#include "load.h"
#include "../model/pageclass.h"

/*
 * The page frames [start, start + n), one class per page into cls (pages
 * past the file's end are holes).  Clears *st and records there what
 * failed (-EACCES: root only; -ENOENT: not in this snapshot); returns 0
 * or -ENOMEM.
 */
int kpageflags_classify(struct source *src, uint64_t start, uint64_t n, uint8_t *cls, struct input_status *st);
/* The class of one flag word. */
uint8_t kpageflags_class(uint64_t flags);

#endif

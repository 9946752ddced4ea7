/*
 * meminfo-doc.h - a plain-words description of each /proc/meminfo field
 * that 6.x kernels print (for "fragscope mem --explain").
 */
#ifndef FRAGSCOPE_MEMINFO_DOC_H
#define FRAGSCOPE_MEMINFO_DOC_H

/* Description of a field, or NULL for a field this table does not know. */
const char *meminfo_explain(const char *name);

#endif

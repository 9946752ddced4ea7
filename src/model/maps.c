/*
 * maps.c - helpers of the address-space model (see maps.h): kinds,
 * counter names, VmFlags codes, string accessors and freeing.
 */
#include <stdlib.h>
#include <string.h>

#include "maps.h"

static const char *const kind_names[VMA_KIND_NR] = {
	[VMA_KIND_ANON] = "anon",
	[VMA_KIND_FILE] = "file",
	[VMA_KIND_HEAP] = "heap",
	[VMA_KIND_STACK] = "stack",
	[VMA_KIND_VDSO] = "vdso",
	[VMA_KIND_VVAR] = "vvar",
	[VMA_KIND_VVAR_VCLOCK] = "vvar_vclock",
	[VMA_KIND_VSYSCALL] = "vsyscall",
	[VMA_KIND_ANON_NAMED] = "anon_named",
	[VMA_KIND_ANON_SHMEM] = "anon_shmem",
	[VMA_KIND_BRACKETED] = "special",
	[VMA_KIND_MEMFD] = "memfd",
	[VMA_KIND_SYSV_SHM] = "sysv_shm",
	[VMA_KIND_OTHER] = "other",
};

const char *vma_kind_name(enum vma_kind k)
{
	return (unsigned)k < VMA_KIND_NR ? kind_names[k] : "?";
}

static bool has_prefix(const char *s, size_t n, const char *lit, size_t litn)
{
	return n >= litn && memcmp(s, lit, litn) == 0;
}

#define HAS_PREFIX(s, n, lit) has_prefix(s, n, lit, sizeof(lit) - 1)
#define IS(s, n, lit) ((n) == sizeof(lit) - 1 && memcmp(s, lit, n) == 0)

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

enum vma_kind vma_kind_of(const char *s, size_t n)
{
	if (n == 0)
		return VMA_KIND_ANON;
	if (s[0] == '/') {
		if (HAS_PREFIX(s, n, "/memfd:"))
			return VMA_KIND_MEMFD;
		if (n == 13 && HAS_PREFIX(s, n, "/SYSV")) {
			size_t i;

			for (i = 5; i < 13 && is_hex(s[i]); i++)
				;
			if (i == 13)
				return VMA_KIND_SYSV_SHM;
		}
		return VMA_KIND_FILE;
	}
	if (s[0] != '[' || s[n - 1] != ']' || n < 2)
		return VMA_KIND_OTHER;
	if (IS(s, n, "[heap]"))
		return VMA_KIND_HEAP;
	if (IS(s, n, "[stack]") || HAS_PREFIX(s, n, "[stack:"))
		return VMA_KIND_STACK;
	if (IS(s, n, "[vdso]"))
		return VMA_KIND_VDSO;
	if (IS(s, n, "[vvar]"))
		return VMA_KIND_VVAR;
	if (IS(s, n, "[vvar_vclock]"))
		return VMA_KIND_VVAR_VCLOCK;
	if (IS(s, n, "[vsyscall]"))
		return VMA_KIND_VSYSCALL;
	if (HAS_PREFIX(s, n, "[anon:"))
		return VMA_KIND_ANON_NAMED;
	if (HAS_PREFIX(s, n, "[anon_shmem:"))
		return VMA_KIND_ANON_SHMEM;
	return VMA_KIND_BRACKETED;
}

static const char *const counter_names[SMAPS_NR_COUNTERS] = {
	[SMAPS_SIZE] = "Size",
	[SMAPS_KERNEL_PAGE_SIZE] = "KernelPageSize",
	[SMAPS_MMU_PAGE_SIZE] = "MMUPageSize",
	[SMAPS_RSS] = "Rss",
	[SMAPS_PSS] = "Pss",
	[SMAPS_PSS_DIRTY] = "Pss_Dirty",
	[SMAPS_PSS_ANON] = "Pss_Anon",
	[SMAPS_PSS_FILE] = "Pss_File",
	[SMAPS_PSS_SHMEM] = "Pss_Shmem",
	[SMAPS_SHARED_CLEAN] = "Shared_Clean",
	[SMAPS_SHARED_DIRTY] = "Shared_Dirty",
	[SMAPS_PRIVATE_CLEAN] = "Private_Clean",
	[SMAPS_PRIVATE_DIRTY] = "Private_Dirty",
	[SMAPS_REFERENCED] = "Referenced",
	[SMAPS_ANONYMOUS] = "Anonymous",
	[SMAPS_KSM] = "KSM",
	[SMAPS_LAZYFREE] = "LazyFree",
	[SMAPS_ANON_HUGE_PAGES] = "AnonHugePages",
	[SMAPS_SHMEM_PMD_MAPPED] = "ShmemPmdMapped",
	[SMAPS_FILE_PMD_MAPPED] = "FilePmdMapped",
	[SMAPS_SHARED_HUGETLB] = "Shared_Hugetlb",
	[SMAPS_PRIVATE_HUGETLB] = "Private_Hugetlb",
	[SMAPS_SWAP] = "Swap",
	[SMAPS_SWAP_PSS] = "SwapPss",
	[SMAPS_LOCKED] = "Locked",
	[SMAPS_THP_ELIGIBLE] = "THPeligible",
	[SMAPS_PROTECTION_KEY] = "ProtectionKey",
};

const char *smaps_counter_name(enum smaps_counter c)
{
	return (unsigned)c < SMAPS_NR_COUNTERS ? counter_names[c] : NULL;
}

bool smaps_counter_get(const struct smaps_fields *t, const struct smaps_counters *s,
		       enum smaps_counter c, uint64_t *ret)
{
	const struct smaps_field *f;
	uint32_t name;

	if ((unsigned)c >= SMAPS_NR_COUNTERS || !(s->have & (UINT64_C(1) << c)))
		return false;
	name = (uint32_t)t->counter_name[c];
	f = t->f + s->first;
	/* Where a kernel prints it, unless the entry repeats a counter. */
	if (!(s->have & SMAPS_HAVE_REPEAT) && t->counter_pos[c] < s->n &&
	    smaps_field_name(&f[t->counter_pos[c]]) == name) {
		*ret = f[t->counter_pos[c]].value;
		return true;
	}
	for (uint32_t k = 0; k < s->n; k++)
		if (smaps_field_name(&f[k]) == name) {
			*ret = f[k].value;
			return true;
		}
	return false;
}

bool vma_counter(const struct maps *m, size_t i, enum smaps_counter c, uint64_t *ret)
{
	if (!m->smaps || i >= m->n)
		return false;
	return smaps_counter_get(&m->fields, &m->smaps[i].c, c, ret);
}

bool smaps_rollup_counter(const struct smaps_rollup *r, enum smaps_counter c, uint64_t *ret)
{
	return smaps_counter_get(&r->fields, &r->c, c, ret);
}

/* 6.18's show_smap_vma_flags() mnemonics, then ones older kernels printed
 * (dw VM_DENYWRITE, nl VM_NONLINEAR, mp VM_MPX). */
const char vmflag_codes[][3] = {
	"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "pf", "lo", "io",
	"sr", "rr", "dc", "de", "lf", "ac", "nr", "ht", "sf", "ar", "wf", "dd",
	"bt", "sd", "mm", "hg", "nh", "mg", "um", "uw", "mt", "ui", "ss", "dp",
	"sl", "dw", "nl", "mp",
};
const unsigned vmflag_nr_codes = sizeof(vmflag_codes) / sizeof(vmflag_codes[0]);

/* Bit + 1 of each code, indexed by its two lowercase letters; 0 for none.
 * Must list vmflag_codes[] in order (test-maps checks). */
#define VF(a, b, bit) [((a) - 'a') * 26 + ((b) - 'a')] = (bit) + 1
const unsigned char vmflag_index[26 * 26] = {
	VF('r', 'd', 0), VF('w', 'r', 1), VF('e', 'x', 2), VF('s', 'h', 3),
	VF('m', 'r', 4), VF('m', 'w', 5), VF('m', 'e', 6), VF('m', 's', 7),
	VF('g', 'd', 8), VF('p', 'f', 9), VF('l', 'o', 10), VF('i', 'o', 11),
	VF('s', 'r', 12), VF('r', 'r', 13), VF('d', 'c', 14), VF('d', 'e', 15),
	VF('l', 'f', 16), VF('a', 'c', 17), VF('n', 'r', 18), VF('h', 't', 19),
	VF('s', 'f', 20), VF('a', 'r', 21), VF('w', 'f', 22), VF('d', 'd', 23),
	VF('b', 't', 24), VF('s', 'd', 25), VF('m', 'm', 26), VF('h', 'g', 27),
	VF('n', 'h', 28), VF('m', 'g', 29), VF('u', 'm', 30), VF('u', 'w', 31),
	VF('m', 't', 32), VF('u', 'i', 33), VF('s', 's', 34), VF('d', 'p', 35),
	VF('s', 'l', 36), VF('d', 'w', 37), VF('n', 'l', 38), VF('m', 'p', 39),
};
#undef VF

int vmflag_bit(const char *code)
{
	unsigned a = (unsigned char)code[0] - 'a', b;

	/* Every code is two lowercase letters (smaps prints nothing else). */
	if (a >= 26 || (b = (unsigned char)code[1] - 'a') >= 26 || code[2] != '\0')
		return -1;
	return (int)vmflag_index[a * 26 + b] - 1;
}

const char *vma_name(const struct maps *m, const struct vma *v, size_t *ret_len)
{
	*ret_len = v->name_len;
	return v->name_len ? m->strings + v->name_off : "";
}

#define DELETED_SUFFIX_LEN 10 /* " (deleted)" */

const char *vma_path(const struct maps *m, const struct vma *v, size_t *ret_len)
{
	const char *s = vma_name(m, v, ret_len);

	if (v->deleted)
		*ret_len -= DELETED_SUFFIX_LEN;
	return s;
}

size_t vma_unescape(const char *name, size_t n, char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		if (name[i] == '\\' && n - i >= 4 && memcmp(name + i + 1, "012", 3) == 0) {
			out[o++] = '\n';
			i += 4;
		} else {
			out[o++] = name[i++];
		}
	}
	out[o] = '\0';
	return o;
}

const char *vma_vmflags(const struct maps *m, size_t i, size_t *ret_len)
{
	if (!m->smaps || i >= m->n || !(m->smaps[i].c.have & SMAPS_HAVE_VMFLAGS)) {
		*ret_len = 0;
		return "";
	}
	*ret_len = m->smaps[i].vmflags_len;
	return m->strings + m->smaps[i].vmflags_off;
}

bool vma_vmflag(const struct maps *m, size_t i, unsigned k, char out[3])
{
	size_t len, a = 0, b;
	const char *s = vma_vmflags(m, i, &len);

	/* Codes are joined by exactly one blank; most are two letters, but
	 * the parser accepts any token, so walk. */
	for (;;) {
		if (a >= len)
			return false;
		for (b = a; b < len && s[b] != ' '; b++)
			;
		if (k == 0) {
			out[0] = s[a];
			out[1] = b - a > 1 ? s[a + 1] : '\0';
			out[2] = '\0';
			return true;
		}
		k--;
		a = b + 1;
	}
}

const char *vma_android_name(const struct maps *m, size_t i, size_t *ret_len)
{
	if (!m->smaps || i >= m->n || !(m->smaps[i].c.have & SMAPS_HAVE_NAME))
		return NULL;
	*ret_len = m->smaps[i].aname_len;
	return m->strings + m->smaps[i].aname_off;
}

static bool fields_get(const struct smaps_fields *t, size_t first, size_t n,
		       const char *name, uint64_t *ret)
{
	for (size_t k = first; k < first + n; k++)
		if (strcmp(t->names[smaps_field_name(&t->f[k])], name) == 0) {
			*ret = t->f[k].value;
			return true;
		}
	return false;
}

bool vma_field_get(const struct maps *m, size_t i, const char *name, uint64_t *ret)
{
	if (!m->smaps || i >= m->n)
		return false;
	return fields_get(&m->fields, m->smaps[i].c.first, m->smaps[i].c.n, name, ret);
}

bool smaps_rollup_field_get(const struct smaps_rollup *r, const char *name, uint64_t *ret)
{
	return fields_get(&r->fields, 0, r->fields.n, name, ret);
}

static void fields_free(struct smaps_fields *t)
{
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->names);
	free(t->names_len);
	free(t->f);
	memset(t, 0, sizeof(*t));
}

void maps_free(struct maps *m)
{
	free(m->v);
	free(m->smaps);
	free(m->strings);
	fields_free(&m->fields);
	memset(m, 0, sizeof(*m));
}

void smaps_rollup_free(struct smaps_rollup *r)
{
	fields_free(&r->fields);
	memset(r, 0, sizeof(*r));
}

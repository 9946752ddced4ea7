/*
 * maps.h - one process's address space from /proc/PID/maps or
 * /proc/PID/smaps, and the totals of /proc/PID/smaps_rollup
 * (reference/kernel.md 5.6).
 *
 * Layout, chosen for speed on processes with tens of thousands of VMAs:
 *
 *   - struct maps holds one array of struct vma (fixed columns only, no
 *     pointer inside), one string arena holding every name (and, for
 *     smaps, every VmFlags list and Android "Name:" string), and for
 *     smaps a parallel array of struct vma_smaps plus one shared field
 *     table.  Parsing 60,000 VMAs costs a handful of reallocs, not one
 *     malloc per line.  Strings are referred to by offset into the arena
 *     (it moves while growing); use the accessors below.
 *
 *   - Names are the raw bytes the kernel printed after the padding of the
 *     fixed columns, trailing blanks included.  The kernel escapes only
 *     '\n' (as the four characters "\012"); vma_unescape() turns those
 *     back into newlines.  Both steps are ambiguous: a file really named
 *     "a\012b" (backslash, digits) prints the same as "a<newline>b".
 *
 *   - A trailing " (deleted)" is split off: vma.deleted says it was
 *     present and vma_path() returns the name without it, vma_name() with
 *     it.  maps alone cannot tell a deleted "x" from a live file really
 *     named "x (deleted)" (the oddmaps fixture has one of each); only
 *     /proc/PID/map_files or the inode can.  deleted therefore means "the
 *     suffix was printed", nothing more.
 *
 *   - smaps values are kept exactly as printed, in kB (like struct
 *     meminfo): the parser rejects any kB value whose byte count would
 *     overflow 64 bits, so value * 1024 is always safe.
 */
#ifndef FRAGSCOPE_MAPS_H
#define FRAGSCOPE_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* vma.perms bits; vma.perm_chars keeps the four characters as printed. */
#define VMA_READ   0x1u
#define VMA_WRITE  0x2u
#define VMA_EXEC   0x4u
#define VMA_SHARED 0x8u /* 's' (VM_MAYSHARE); 'p' otherwise */

/* What the name says the mapping is.  Decided from the name only. */
enum vma_kind {
	VMA_KIND_ANON,        /* no name: private or thread-stack anonymous memory */
	VMA_KIND_FILE,        /* a path ("/..."), incl. /dev/zero (deleted) and /anon_hugepage (deleted) */
	VMA_KIND_HEAP,        /* [heap] */
	VMA_KIND_STACK,       /* [stack], and [stack:TID] of kernels before 4.5 */
	VMA_KIND_VDSO,        /* [vdso] */
	VMA_KIND_VVAR,        /* [vvar] */
	VMA_KIND_VVAR_VCLOCK, /* [vvar_vclock] */
	VMA_KIND_VSYSCALL,    /* [vsyscall] */
	VMA_KIND_ANON_NAMED,  /* [anon:NAME] (PR_SET_VMA_ANON_NAME, Android) */
	VMA_KIND_ANON_SHMEM,  /* [anon_shmem:NAME] */
	VMA_KIND_BRACKETED,   /* any other [...]: [uprobes], [sigpage], [vectors], ... */
	VMA_KIND_MEMFD,       /* /memfd:NAME */
	VMA_KIND_SYSV_SHM,    /* /SYSVkkkkkkkk (8 hex digits of the IPC key) */
	VMA_KIND_OTHER,       /* a name that is neither a path nor bracketed (anon_inode:...) */
	VMA_KIND_NR,
};

/* Short lowercase name of a kind ("file", "anon", "heap", ...). */
const char *vma_kind_name(enum vma_kind k);
/* Classify a name (without the " (deleted)" suffix); n == 0 is anonymous. */
enum vma_kind vma_kind_of(const char *name, size_t n);

/* One line of maps (the header line of one smaps entry): 64 bytes. */
struct vma {
	uint64_t start;      /* first byte */
	uint64_t end;        /* one past the last byte (start < end) */
	uint64_t offset;     /* file offset in bytes (may need 9+ hex digits) */
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	size_t name_off;     /* into maps.strings; the raw name incl. " (deleted)" */
	uint32_t name_len;   /* 0: no name (a line is at most MAPS_MAX_LINE bytes) */
	unsigned line;       /* 1-based line of the header in the file */
	uint8_t perms;       /* VMA_READ | VMA_WRITE | VMA_EXEC | VMA_SHARED */
	uint8_t kind;        /* enum vma_kind */
	bool deleted;        /* the name ended in " (deleted)" (see above) */
	char perm_chars[5];  /* "r-xp", NUL-terminated */
};

/*
 * Limits of the parser, far above anything a kernel prints (a line holds
 * at most a path of PATH_MAX bytes, escaped; an smaps entry has about 25
 * lines): input beyond them fails with a clear message, and they let the
 * model keep lengths and counts in 32 and 16 bits.
 */
#define MAPS_MAX_LINE       (1u << 20)   /* bytes in one line */
#define SMAPS_MAX_ENTRY_LINES 65535u     /* field lines in one smaps entry */

/*
 * The typed smaps counters: the numbers this program interprets.  Each
 * is found, by name, in the entry's field list (struct smaps_field), and
 * read with smaps_counter_get(); bit (1 << c) of smaps_counters.have
 * says the kernel printed counter c.  All are in kB except THPeligible
 * and ProtectionKey (plain numbers, smaps_counter_is_kb() false).
 */
enum smaps_counter {
	SMAPS_SIZE,
	SMAPS_KERNEL_PAGE_SIZE,
	SMAPS_MMU_PAGE_SIZE,
	SMAPS_RSS,
	SMAPS_PSS,
	SMAPS_PSS_DIRTY,
	SMAPS_PSS_ANON,
	SMAPS_PSS_FILE,
	SMAPS_PSS_SHMEM,
	SMAPS_SHARED_CLEAN,
	SMAPS_SHARED_DIRTY,
	SMAPS_PRIVATE_CLEAN,
	SMAPS_PRIVATE_DIRTY,
	SMAPS_REFERENCED,
	SMAPS_ANONYMOUS,
	SMAPS_KSM,
	SMAPS_LAZYFREE,
	SMAPS_ANON_HUGE_PAGES,
	SMAPS_SHMEM_PMD_MAPPED,
	SMAPS_FILE_PMD_MAPPED,
	SMAPS_SHARED_HUGETLB,
	SMAPS_PRIVATE_HUGETLB,
	SMAPS_SWAP,
	SMAPS_SWAP_PSS,
	SMAPS_LOCKED,
	SMAPS_THP_ELIGIBLE,    /* "THPeligible:  0|1", no unit */
	SMAPS_PROTECTION_KEY,  /* "ProtectionKey:  N", no unit */
	SMAPS_NR_COUNTERS,
};

/* have bits beyond the counters. */
#define SMAPS_HAVE_THP_ELIGIBLE   (UINT64_C(1) << SMAPS_THP_ELIGIBLE)
#define SMAPS_HAVE_PROTECTION_KEY (UINT64_C(1) << SMAPS_PROTECTION_KEY)
#define SMAPS_HAVE_VMFLAGS        (UINT64_C(1) << 34)
#define SMAPS_HAVE_NAME           (UINT64_C(1) << 35) /* Android "Name:" line */
/* Internal: a counter appears twice in the entry (the first one counts). */
#define SMAPS_HAVE_REPEAT         (UINT64_C(1) << 36)

/* The kernel's spelling of a counter ("Pss_Dirty"), or NULL. */
const char *smaps_counter_name(enum smaps_counter c);
/* Whether the kernel prints counter c with " kB". */
static inline bool smaps_counter_is_kb(enum smaps_counter c)
{
	return (unsigned)c < SMAPS_THP_ELIGIBLE;
}

/*
 * Every "Name: value" line, in file order, unknown names included: 12
 * bytes each.  Field names are interned once per file in
 * smaps_fields.names (a dozen or two distinct names across thousands of
 * VMAs).  VmFlags and the Android "Name:" line are not numbers and are
 * not in this list.
 */
struct __attribute__((packed, aligned(4))) smaps_field {
	uint64_t value;      /* as printed */
	uint32_t name_kb;    /* index into smaps_fields.names << 1 | printed with " kB" */
};

static inline uint32_t smaps_field_name(const struct smaps_field *f)
{
	return f->name_kb >> 1;
}

static inline bool smaps_field_kb(const struct smaps_field *f)
{
	return f->name_kb & 1;
}

struct smaps_fields {
	char **names;        /* owned, NUL-terminated */
	uint32_t *names_len;
	size_t nnames, names_cap;
	struct smaps_field *f;
	size_t n, cap;
	/* Where each counter is: its interned name (-1: never seen) and its
	 * place in the entry where it was first seen, which is its place in
	 * every entry of a kernel's smaps (the order is fixed). */
	int32_t counter_name[SMAPS_NR_COUNTERS];
	uint16_t counter_pos[SMAPS_NR_COUNTERS];
};

/* One entry's fields: fields.f[first .. first + n). */
struct smaps_counters {
	uint64_t have;       /* (1 << enum smaps_counter) | SMAPS_HAVE_* */
	size_t first;
	uint32_t n;          /* at most SMAPS_MAX_ENTRY_LINES */
};

/*
 * true and *ret set (kB, or the plain number for THPeligible and
 * ProtectionKey) if the kernel printed counter c in the entry; the first
 * occurrence counts.  O(1) for a kernel's fixed field order.
 */
bool smaps_counter_get(const struct smaps_fields *t, const struct smaps_counters *s,
		       enum smaps_counter c, uint64_t *ret);

/* VmFlags codes this program knows, as bits of vma_smaps.vmflags_known. */
extern const char vmflag_codes[][3];
extern const unsigned vmflag_nr_codes;
/* Bit of a two-letter code in vmflag_codes[], or -1. */
int vmflag_bit(const char *code);
/* Bit + 1 of each code by its letters, [(a - 'a') * 26 + (b - 'a')]; 0: none. */
extern const unsigned char vmflag_index[26 * 26];

/* The smaps part of one VMA (maps.smaps[i] belongs to maps.v[i]). */
struct vma_smaps {
	struct smaps_counters c;      /* the number fields */
	uint64_t vmflags_known;       /* 1 << vmflag_bit() of each known code */
	size_t vmflags_off;           /* into maps.strings: the codes joined by one blank */
	size_t aname_off;             /* Android "Name:" value, into maps.strings */
	uint32_t vmflags_len, aname_len;
	uint32_t nvmflags;            /* number of codes */
};

struct maps {
	struct vma *v;
	size_t n, cap;
	struct vma_smaps *smaps;      /* NULL for maps; else n entries */
	struct smaps_fields fields;   /* smaps only */
	char *strings;                /* arena: every string NUL-terminated */
	size_t strings_len, strings_cap;
};

/* smaps_counter_get() of entry i of m (false for maps). */
bool vma_counter(const struct maps *m, size_t i, enum smaps_counter c, uint64_t *ret);

/* The raw name as printed (incl. " (deleted)"); "" with *ret_len 0 if none. */
const char *vma_name(const struct maps *m, const struct vma *v, size_t *ret_len);
/* The name without the " (deleted)" suffix (not NUL-terminated there). */
const char *vma_path(const struct maps *m, const struct vma *v, size_t *ret_len);
/*
 * Copy n bytes of a name into out (room for n + 1 bytes), turning each
 * "\012" into '\n'; NUL-terminates and returns the new length.
 */
size_t vma_unescape(const char *name, size_t n, char *out);

/* VmFlags of smaps entry i as "rd wr mr" ("" if none or not smaps). */
const char *vma_vmflags(const struct maps *m, size_t i, size_t *ret_len);
/* Code number k (0-based) of VmFlags of entry i into out[3]; false past the end. */
bool vma_vmflag(const struct maps *m, size_t i, unsigned k, char out[3]);
/* Android "Name:" of entry i, or NULL if the line was absent. */
const char *vma_android_name(const struct maps *m, size_t i, size_t *ret_len);
/* First field called name of entry i (any field, known or not). */
bool vma_field_get(const struct maps *m, size_t i, const char *name, uint64_t *ret);

void maps_free(struct maps *m);

/* /proc/PID/smaps_rollup. */
struct smaps_rollup {
	uint64_t start, end;          /* first VMA start, last VMA end (gate VMA excluded) */
	struct smaps_counters c;      /* the whole of fields */
	struct smaps_fields fields;   /* every counter line in order */
};

/* smaps_counter_get() of the rollup. */
bool smaps_rollup_counter(const struct smaps_rollup *r, enum smaps_counter c, uint64_t *ret);

bool smaps_rollup_field_get(const struct smaps_rollup *r, const char *name, uint64_t *ret);
void smaps_rollup_free(struct smaps_rollup *r);

#endif

/*
 * meminfo-doc.c - descriptions of /proc/meminfo fields, written for this
 * project from the kernel's accounting rules (fs/proc/meminfo.c and the
 * counters it reads); see reference/kernel.md section 5.5.
 */
#include <stddef.h>
#include <string.h>

#include "meminfo-doc.h"

static const struct {
	const char *name;
	const char *text;
} docs[] = {
	{ "MemTotal", "RAM the page allocator manages: physical memory minus what firmware and the kernel image reserved at boot" },
	{ "MemFree", "pages sitting on the buddy free lists; excludes pages cached on per-CPU lists" },
	{ "MemAvailable", "kernel's estimate of memory that new workloads can get without swapping: free pages above the reserves plus the reclaimable part of page cache and slab" },
	{ "Buffers", "page cache for raw block devices, mostly filesystem metadata" },
	{ "Cached", "page cache for files, including tmpfs and shared memory, excluding swap cache and Buffers" },
	{ "SwapCached", "pages that are both in swap and in memory; they can be dropped without writing" },
	{ "Active", "pages on the active LRU lists (recently used), anonymous plus file" },
	{ "Inactive", "pages on the inactive LRU lists, the first candidates for reclaim" },
	{ "Active(anon)", "anonymous and shmem pages on the active list" },
	{ "Inactive(anon)", "anonymous and shmem pages on the inactive list" },
	{ "Active(file)", "file cache pages on the active list" },
	{ "Inactive(file)", "file cache pages on the inactive list" },
	{ "Unevictable", "pages reclaim cannot evict: mlocked, ramfs, locked shmem" },
	{ "Mlocked", "pages locked into memory with mlock()" },
	{ "HighTotal", "memory in the HighMem zone (32-bit kernels): not permanently mapped into the kernel" },
	{ "HighFree", "free memory in the HighMem zone" },
	{ "LowTotal", "memory the kernel maps permanently (everything except HighMem)" },
	{ "LowFree", "free memory outside HighMem" },
	{ "MmapCopy", "memory used for private copies of file mappings (no-MMU kernels)" },
	{ "SwapTotal", "total swap space" },
	{ "SwapFree", "swap space not in use" },
	{ "Zswap", "memory used by the zswap compressed cache" },
	{ "Zswapped", "uncompressed size of the pages held in zswap" },
	{ "Dirty", "file pages modified in memory and waiting to be written back" },
	{ "Writeback", "pages being written back right now" },
	{ "AnonPages", "anonymous pages mapped into user page tables" },
	{ "Mapped", "file pages mapped into user processes (shared libraries, mmap'ed files)" },
	{ "Shmem", "shared memory and tmpfs pages, counted inside Cached" },
	{ "KReclaimable", "kernel memory the kernel can give back under pressure: reclaimable slab and other caches" },
	{ "Slab", "memory in slab caches (SReclaimable + SUnreclaim)" },
	{ "SReclaimable", "slab memory that can be reclaimed, such as dentry and inode caches" },
	{ "SUnreclaim", "slab memory that cannot be reclaimed; also counts large kmalloc pages" },
	{ "KernelStack", "memory used by kernel stacks of all tasks" },
	{ "ShadowCallStack", "memory used by shadow call stacks (arm64 with shadow call stack protection)" },
	{ "PageTables", "memory used by user page tables" },
	{ "SecPageTables", "secondary page tables: KVM guest mappings and IOMMU tables" },
	{ "NFS_Unstable", "NFS pages written but not yet committed by the server; always 0 since 5.8" },
	{ "Bounce", "bounce buffers for devices that cannot reach all memory; 0 on 6.18" },
	{ "WritebackTmp", "temporary buffers for FUSE writeback; 0 on 6.18" },
	{ "CommitLimit", "the most memory that can be committed when overcommit is strict (vm.overcommit_memory=2): swap plus RAM times the overcommit ratio" },
	{ "Committed_AS", "memory the running processes have committed to; if all of it were touched this much would be needed" },
	{ "VmallocTotal", "size of the kernel's vmalloc address space (address space, not memory)" },
	{ "VmallocUsed", "memory used by vmalloc allocations" },
	{ "VmallocChunk", "largest free vmalloc range; the kernel prints 0 since 4.3" },
	{ "Percpu", "memory backing per-CPU allocations" },
	{ "EarlyMemtestBad", "RAM found bad by the boot-time memtest" },
	{ "HardwareCorrupted", "memory pages taken out of use after hardware errors (memory failure handling)" },
	{ "AnonHugePages", "anonymous memory backed by transparent huge pages" },
	{ "ShmemHugePages", "shmem and tmpfs memory backed by huge pages" },
	{ "ShmemPmdMapped", "shmem huge pages mapped into user space with a single PMD" },
	{ "FileHugePages", "file cache backed by huge pages" },
	{ "FilePmdMapped", "file huge pages mapped into user space with a single PMD" },
	{ "CmaTotal", "memory reserved for the contiguous memory allocator (CMA)" },
	{ "CmaFree", "free memory inside CMA areas; only movable allocations may use it" },
	{ "Unaccepted", "memory a confidential guest (TDX, SEV-SNP) has not accepted yet; accepted on demand" },
	{ "Balloon", "memory taken from this guest by a balloon driver" },
	{ "HugePages_Total", "size of the persistent hugetlb pool of the default huge page size (count)" },
	{ "HugePages_Free", "hugetlb pages in the default pool not yet allocated (count)" },
	{ "HugePages_Rsvd", "hugetlb pages promised to mappings but not yet faulted in (count)" },
	{ "HugePages_Surp", "hugetlb pages above the persistent pool size, from overcommit (count)" },
	{ "Hugepagesize", "default huge page size" },
	{ "Hugetlb", "memory used by hugetlb pages of all sizes" },
	{ "DirectMap4k", "kernel direct map covered by 4 KiB page table entries (x86)" },
	{ "DirectMap2M", "kernel direct map covered by 2 MiB entries (x86-64, and 32-bit PAE)" },
	{ "DirectMap4M", "kernel direct map covered by 4 MiB entries (32-bit x86 without PAE)" },
	{ "DirectMap1G", "kernel direct map covered by 1 GiB entries (x86-64)" },
};

const char *meminfo_explain(const char *name)
{
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		if (strcmp(docs[i].name, name) == 0)
			return docs[i].text;
	return NULL;
}

/*
 * view-nodes.c - NUMA nodes (sysfs) and the vm sysctls, as tables, lines
 * and JSON, for the report and buddy.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "views.h"

static void pools_text(const struct numa_node *nd, char *out, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < nd->nr_hp && o < n; i++) {
		const struct hugepage_pool *hp = &nd->hp[i];
		char sz[32];

		if (hp->size_kb >= 1024 * 1024)
			snprintf(sz, sizeof(sz), "%lluG", (unsigned long long)(hp->size_kb >> 20));
		else if (hp->size_kb >= 1024)
			snprintf(sz, sizeof(sz), "%lluM", (unsigned long long)(hp->size_kb >> 10));
		else
			snprintf(sz, sizeof(sz), "%lluK", (unsigned long long)hp->size_kb);
		o += (size_t)snprintf(out + o, n - o, "%s%s:%llu/%llu", i ? "," : "", sz,
				      (unsigned long long)hp->free, (unsigned long long)hp->nr);
	}
}

struct table *view_node_table(const struct machine *m)
{
	struct table *t;
	int c_node, c_mem, c_total, c_free, c_used, c_hp, c_dist;

	if (!m->in[IN_NODES].loaded || m->numa.n == 0)
		return NULL;
	t = table_new("nodes");
	if (!t)
		return NULL;
	c_node = table_add_column(t, "NODE", TABLE_U64, TABLE_RIGHT, "NUMA node");
	c_mem = table_add_column(t, "MEMORY", TABLE_STR, 0, "node has memory (has_memory)");
	c_total = table_add_column(t, "NODETOTAL", TABLE_BYTES, TABLE_RIGHT, "node MemTotal");
	c_free = table_add_column(t, "NODEFREE", TABLE_BYTES, TABLE_RIGHT, "node MemFree");
	c_used = table_add_column(t, "NODEUSED", TABLE_BYTES, TABLE_RIGHT, "node MemUsed");
	c_hp = table_add_column(t, "HUGEPAGES", TABLE_STR, 0, "hugetlb pools as size:free/total");
	c_dist = table_add_column(t, "DISTANCES", TABLE_STR, 0, "distance to each node (node order)");
	if (c_dist < 0)
		goto fail;
	for (size_t i = 0; i < m->numa.n; i++) {
		const struct numa_node *nd = &m->numa.nodes[i];
		char buf[256];
		size_t o = 0;
		uint64_t v;

		if (table_new_row(t) < 0)
			goto fail;
		table_set_u64(t, c_node, (uint64_t)nd->id);
		table_set_str(t, c_mem, nd->has_memory ? "yes" : "no");
		if (nd->has_meminfo && meminfo_get_bytes(&nd->meminfo, "MemTotal", &v))
			table_set_u64(t, c_total, v);
		if (nd->has_meminfo && meminfo_get_bytes(&nd->meminfo, "MemFree", &v))
			table_set_u64(t, c_free, v);
		if (nd->has_meminfo && meminfo_get_bytes(&nd->meminfo, "MemUsed", &v))
			table_set_u64(t, c_used, v);
		pools_text(nd, buf, sizeof(buf));
		if (buf[0])
			table_set_str(t, c_hp, buf);
		buf[0] = '\0';
		for (size_t k = 0; k < nd->nr_distance && o < sizeof(buf); k++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%d", k ? "," : "", nd->distance[k]);
		if (buf[0])
			table_set_str(t, c_dist, buf);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

void view_nodes_json(struct json *j, const struct machine *m)
{
	if (!m->in[IN_NODES].loaded)
		return;
	json_key(j, "nodes");
	json_begin_array(j);
	for (size_t i = 0; i < m->numa.n; i++) {
		const struct numa_node *nd = &m->numa.nodes[i];
		uint64_t v;

		json_begin_object(j);
		json_kv_u64(j, "node", (uint64_t)nd->id);
		json_kv_bool(j, "has_memory", nd->has_memory);
		if (nd->has_meminfo) {
			if (meminfo_get_bytes(&nd->meminfo, "MemTotal", &v))
				json_kv_u64(j, "total_bytes", v);
			if (meminfo_get_bytes(&nd->meminfo, "MemFree", &v))
				json_kv_u64(j, "free_bytes", v);
			if (meminfo_get_bytes(&nd->meminfo, "MemUsed", &v))
				json_kv_u64(j, "used_bytes", v);
		}
		if (nd->distance) {
			json_key(j, "distances");
			json_begin_array(j);
			for (size_t k = 0; k < nd->nr_distance; k++)
				json_i64(j, nd->distance[k]);
			json_end_array(j);
		}
		json_key(j, "hugepages");
		json_begin_array(j);
		for (size_t k = 0; k < nd->nr_hp; k++) {
			const struct hugepage_pool *hp = &nd->hp[k];

			json_begin_object(j);
			json_kv_u64(j, "page_size_bytes", hp->size_kb * 1024);
			if (hp->have & 1)
				json_kv_u64(j, "total", hp->nr);
			if (hp->have & 2)
				json_kv_u64(j, "free", hp->free);
			if (hp->have & 4)
				json_kv_u64(j, "surplus", hp->surplus);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
}

void view_sysvm_json(struct json *j, const struct machine *m)
{
	const struct sysvm *vm = &m->vm;

	if (!m->in[IN_SYSVM].loaded)
		return;
	json_key(j, "vm_sysctls");
	json_begin_object(j);
	if (vm->have & SYSVM_MIN_FREE_KBYTES)
		json_kv_i64(j, "min_free_kbytes", vm->min_free_kbytes);
	if (vm->have & SYSVM_WATERMARK_SCALE_FACTOR)
		json_kv_i64(j, "watermark_scale_factor", vm->watermark_scale_factor);
	if (vm->have & SYSVM_LOWMEM_RESERVE_RATIO) {
		json_key(j, "lowmem_reserve_ratio");
		json_begin_array(j);
		for (unsigned k = 0; k < vm->nr_lowmem_reserve_ratio; k++)
			json_i64(j, vm->lowmem_reserve_ratio[k]);
		json_end_array(j);
	}
	if (vm->have & SYSVM_EXTFRAG_THRESHOLD)
		json_kv_i64(j, "extfrag_threshold", vm->extfrag_threshold);
	if (vm->have & SYSVM_COMPACTION_PROACTIVENESS)
		json_kv_i64(j, "compaction_proactiveness", vm->compaction_proactiveness);
	json_end_object(j);
}

void view_sysvm_line(const struct machine *m, char *out, size_t n)
{
	const struct sysvm *vm = &m->vm;
	size_t o = 0;

	out[0] = '\0';
	if (!m->in[IN_SYSVM].loaded)
		return;
	if (vm->have & SYSVM_MIN_FREE_KBYTES && o < n)
		o += (size_t)snprintf(out + o, n - o, " min_free_kbytes %lld,", (long long)vm->min_free_kbytes);
	if (vm->have & SYSVM_WATERMARK_SCALE_FACTOR && o < n)
		o += (size_t)snprintf(out + o, n - o, " watermark_scale_factor %lld,",
				      (long long)vm->watermark_scale_factor);
	if (vm->have & SYSVM_LOWMEM_RESERVE_RATIO && o < n) {
		o += (size_t)snprintf(out + o, n - o, " lowmem_reserve_ratio");
		for (unsigned k = 0; k < vm->nr_lowmem_reserve_ratio && o < n; k++)
			o += (size_t)snprintf(out + o, n - o, " %lld", (long long)vm->lowmem_reserve_ratio[k]);
		if (o < n)
			o += (size_t)snprintf(out + o, n - o, ",");
	}
	if (vm->have & SYSVM_EXTFRAG_THRESHOLD && o < n)
		o += (size_t)snprintf(out + o, n - o, " extfrag_threshold %lld,", (long long)vm->extfrag_threshold);
	if (vm->have & SYSVM_COMPACTION_PROACTIVENESS && o < n)
		o += (size_t)snprintf(out + o, n - o, " compaction_proactiveness %lld,",
				      (long long)vm->compaction_proactiveness);
	if (o > 0 && o < n && out[o - 1] == ',')
		out[o - 1] = '\0';
}

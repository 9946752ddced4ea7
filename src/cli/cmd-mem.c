/*
 * cmd-mem.c - "fragscope mem": /proc/meminfo as a free(1)-like summary,
 * then every field the kernel printed, optionally explained.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "../model/meminfo-doc.h"

struct table *view_mem_summary_table(const struct mem_summary *s)
{
	struct table *t = table_new("memory");
	int c_type, c_total, c_used, c_free, c_shared, c_bc, c_avail;

	if (!t)
		return NULL;
	c_type = table_add_column(t, "TYPE", TABLE_STR, 0, "Mem or Swap");
	c_total = table_add_column(t, "TOTAL", TABLE_BYTES, TABLE_RIGHT, "MemTotal, SwapTotal");
	c_used = table_add_column(t, "USED", TABLE_BYTES, TABLE_RIGHT,
				  "MemTotal - MemAvailable (older kernels: minus free, buffers, cache)");
	c_free = table_add_column(t, "FREE", TABLE_BYTES, TABLE_RIGHT, "MemFree, SwapFree");
	c_shared = table_add_column(t, "SHARED", TABLE_BYTES, TABLE_RIGHT, "Shmem");
	c_bc = table_add_column(t, "BUFFCACHE", TABLE_BYTES, TABLE_RIGHT, "Buffers + Cached + SReclaimable");
	c_avail = table_add_column(t, "AVAILABLE", TABLE_BYTES, TABLE_RIGHT, "MemAvailable");
	if (c_avail < 0 || table_new_row(t) < 0)
		goto fail;
	table_set_str(t, c_type, "Mem:");
	if (s->have & MS_TOTAL)
		table_set_u64(t, c_total, s->total);
	if (s->have & MS_USED)
		table_set_u64(t, c_used, s->used);
	if (s->have & MS_FREE)
		table_set_u64(t, c_free, s->free);
	if (s->have & MS_SHARED)
		table_set_u64(t, c_shared, s->shared);
	if (s->have & MS_BUFF_CACHE)
		table_set_u64(t, c_bc, s->buff_cache);
	if (s->have & MS_AVAILABLE)
		table_set_u64(t, c_avail, s->available);
	if (s->have & MS_SWAP) {
		if (table_new_row(t) < 0)
			goto fail;
		table_set_str(t, c_type, "Swap:");
		table_set_u64(t, c_total, s->swap_total);
		table_set_u64(t, c_used, s->swap_used);
		table_set_u64(t, c_free, s->swap_free);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

void view_mem_summary_json(struct json *j, const struct mem_summary *s)
{
	json_key(j, "memory");
	json_begin_object(j);
	if (s->have & MS_TOTAL)
		json_kv_u64(j, "total_bytes", s->total);
	if (s->have & MS_USED) {
		json_kv_u64(j, "used_bytes", s->used);
		json_kv_string(j, "used_rule", s->used_rule);
	}
	if (s->have & MS_FREE)
		json_kv_u64(j, "free_bytes", s->free);
	if (s->have & MS_SHARED)
		json_kv_u64(j, "shared_bytes", s->shared);
	if (s->have & MS_BUFF_CACHE)
		json_kv_u64(j, "buff_cache_bytes", s->buff_cache);
	if (s->have & MS_AVAILABLE)
		json_kv_u64(j, "available_bytes", s->available);
	if (s->have & MS_SLAB)
		json_kv_u64(j, "slab_bytes", s->slab);
	if (s->have & MS_SWAP) {
		json_kv_u64(j, "swap_total_bytes", s->swap_total);
		json_kv_u64(j, "swap_used_bytes", s->swap_used);
		json_kv_u64(j, "swap_free_bytes", s->swap_free);
	}
	json_end_object(j);
}

static struct table *fields_table(const struct meminfo *mi, bool explain)
{
	struct table *t = table_new("fields");
	int c_name, c_size, c_value, c_unit, c_desc;

	if (!t)
		return NULL;
	c_name = table_add_column(t, "FIELD", TABLE_STR, 0, "field name as the kernel prints it");
	c_size = table_add_column(t, "SIZE", TABLE_BYTES, TABLE_RIGHT, "value in bytes (kB fields)");
	c_value = table_add_column(t, "VALUE", TABLE_U64, TABLE_RIGHT, "value as printed");
	c_unit = table_add_column(t, "UNIT", TABLE_STR, 0, "unit as printed (kB, or none for counts)");
	c_desc = table_add_column(t, "DESCRIPTION", TABLE_STR, explain ? 0 : TABLE_HIDDEN,
				  "what the field means (--explain)");
	if (c_desc < 0)
		goto fail;
	for (size_t i = 0; i < mi->n; i++) {
		const struct meminfo_field *f = &mi->f[i];
		uint64_t bytes;
		const char *doc = meminfo_explain(f->name);

		if (table_new_row(t) < 0)
			goto fail;
		table_set_str(t, c_name, f->name);
		if (f->kb && !__builtin_mul_overflow(f->value, 1024, &bytes))
			table_set_u64(t, c_size, bytes);
		table_set_u64(t, c_value, f->value);
		table_set_str(t, c_unit, f->kb ? "kB" : "");
		table_set_str(t, c_desc, doc ? doc : "(not described: unknown to this version)");
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

static void fields_json(struct json *j, const struct meminfo *mi, bool explain)
{
	/* kB fields in bytes, unitless fields (HugePages_*) as counts; the
	 * first occurrence wins if a kernel ever printed a name twice. */
	for (int pass = 0; pass < 2; pass++) {
		json_key(j, pass == 0 ? "fields_bytes" : "fields_counts");
		json_begin_object(j);
		for (size_t i = 0; i < mi->n; i++) {
			const struct meminfo_field *f = &mi->f[i];
			uint64_t bytes = 0;

			if (f->kb != (pass == 0) || meminfo_find(mi, f->name) != f)
				continue;
			if (f->kb && __builtin_mul_overflow(f->value, 1024, &bytes))
				continue;
			json_kv_u64(j, f->name, f->kb ? bytes : f->value);
		}
		json_end_object(j);
	}
	json_key(j, "field_order");
	json_begin_array(j);
	for (size_t i = 0; i < mi->n; i++)
		json_string(j, mi->f[i].name);
	json_end_array(j);
	if (explain) {
		json_key(j, "descriptions");
		json_begin_object(j);
		for (size_t i = 0; i < mi->n; i++) {
			const char *doc = meminfo_explain(mi->f[i].name);

			if (doc && meminfo_find(mi, mi->f[i].name) == &mi->f[i])
				json_kv_string(j, mi->f[i].name, doc);
		}
		json_end_object(j);
	}
	if (mi->legacy_header)
		json_kv_bool(j, "legacy_header_skipped", true);
}

int cmd_mem(struct options *o)
{
	const unsigned mask = IN_BIT(IN_MEMINFO);
	struct source *src = NULL;
	struct machine m;
	struct mem_summary s;
	int rc, r;

	rc = cli_load(o, mask, mask, &src, &m);
	if (!src)
		return rc;
	if (!m.in[IN_MEMINFO].loaded)
		goto out;
	mem_summary_compute(&m.meminfo, &s);

	if (o->json) {
		struct json *j = cli_json_begin(o, &m, "mem");

		if (!j) {
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		view_mem_summary_json(j, &s);
		fields_json(j, &m.meminfo, o->explain);
		cli_json_end(j, &m, mask);
	} else {
		struct table *t[2] = { view_mem_summary_table(&s), fields_table(&m.meminfo, o->explain) };
		const char *titles[2] = { NULL, NULL };

		if (!t[0] || !t[1]) {
			table_free(t[0]);
			table_free(t[1]);
			cli_error("out of memory");
			rc = EXIT_INPUT;
			goto out;
		}
		r = cli_select_columns(o, t, 2);
		if (r) {
			table_free(t[0]);
			table_free(t[1]);
			if (r > 0)
				rc = r;
			goto out;
		}
		view_print_tables(o, t, titles, 2);
	}
out:
	machine_free(&m);
	source_free(src);
	return rc;
}

/*
 * cmd-report.c - "fragscope" with no command: the one-screen report.
 * Memory summary, per node and zone the free memory and free blocks per
 * order, and the compaction and direct-reclaim counters since boot.
 * Later capabilities (indices, allocation outlook, top slab caches) add
 * sections here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "../render/escape.h"
#include "../render/units.h"

/* vmstat counters the report shows: compaction and allocation stalls. */
static bool report_counter(const char *name)
{
	static const char *const prefixes[] = { "compact_", "allocstall", "kcompactd_" };
	static const char *const names[] = { "pgmigrate_success", "pgmigrate_fail",
					     "thp_fault_fallback", "thp_collapse_alloc_failed" };

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static struct table *counter_table(const struct kvlist *vm)
{
	struct table *t = table_new("counters");
	int c_name, c_value;

	if (!t)
		return NULL;
	c_name = table_add_column(t, "COUNTER", TABLE_STR, 0, "vmstat counter (since boot)");
	c_value = table_add_column(t, "VALUE", TABLE_U64, TABLE_RIGHT, "its value");
	if (c_value < 0)
		goto fail;
	for (size_t i = 0; i < vm->n; i++) {
		if (!report_counter(vm->items[i].name))
			continue;
		if (table_new_row(t) < 0)
			goto fail;
		table_set_str(t, c_name, vm->items[i].name);
		table_set_u64(t, c_value, vm->items[i].value);
		if ((strcmp(vm->items[i].name, "compact_fail") == 0 ||
		     strncmp(vm->items[i].name, "allocstall", 10) == 0) && vm->items[i].value)
			table_set_color(t, c_value, TABLE_COLOR_WARN);
	}
	return t;
fail:
	table_free(t);
	return NULL;
}

/*
 * On mainline kernels MemFree equals the zones' free pages (give or take
 * per-CPU drift).  Kernels that initialise memory lazily count the memory
 * not yet initialised in MemTotal/MemFree only (reference/kernel.md §0).
 * Say so rather than leave two totals that silently disagree.  Returns the
 * excess in bytes, 0 when the two agree within 5 %.
 */
static uint64_t memfree_excess(const struct machine *m, const struct mem_summary *s)
{
	uint64_t zone_free = 0;

	if (!(s->have & MS_FREE) || !m->in[IN_ZONEINFO].loaded)
		return 0;
	for (size_t i = 0; i < m->zi.n; i++)
		if (m->zi.z[i].have & ZI_PAGES_FREE)
			zone_free += m->zi.z[i].pages_free * m->page_size;
	if (s->free <= zone_free + zone_free / 20)
		return 0;
	return s->free - zone_free;
}

static const char memfree_note[] =
	"MemFree exceeds the free pages of all zones by more than 5%: the files were read at "
	"different instants (in a capture they may be far apart), or the kernel initialises "
	"memory lazily (deferred init) and counts the not-yet-initialised memory only in "
	"MemTotal and MemFree";

int cmd_report(struct options *o)
{
	const unsigned mask = IN_BIT(IN_MEMINFO) | IN_BIT(IN_VMSTAT) | IN_BIT(IN_BUDDYINFO) |
			      IN_BIT(IN_ZONEINFO) | IN_BIT(IN_PAGETYPEINFO) | IN_BIT(IN_NODES);
	struct zone_view *zv = NULL;
	struct source *src = NULL;
	struct mem_summary s;
	struct machine m;
	size_t nz = 0;
	int rc, r;

	/* Everything is optional, but with none of it there is no report. */
	rc = cli_load(o, mask, 0, &src, &m);
	if (!src)
		return rc;
	if (!m.in[IN_MEMINFO].loaded && !m.in[IN_BUDDYINFO].loaded && !m.in[IN_ZONEINFO].loaded) {
		cli_error("nothing to report: none of meminfo, buddyinfo, zoneinfo could be read under '%s'",
			  source_root(src));
		cli_status(&rc, EXIT_INPUT);
		goto out;
	}
	memset(&s, 0, sizeof(s));
	if (m.in[IN_MEMINFO].loaded)
		mem_summary_compute(&m.meminfo, &s);
	r = cli_zones(&m, &zv, &nz);
	if (r) {
		cli_status(&rc, r);
		goto out;
	}

	if (o->json) {
		struct json *j = cli_json_begin(o, &m, "report");

		if (!j) {
			cli_status(&rc, EXIT_INPUT);
			goto out;
		}
		if (m.in[IN_MEMINFO].loaded)
			view_mem_summary_json(j, &s);
		view_zones_json(j, &m, zv, nz);
		view_nodes_json(j, &m);
		json_key(j, "notes");
		json_begin_array(j);
		if (memfree_excess(&m, &s)) {
			json_begin_object(j);
			json_kv_string(j, "note", memfree_note);
			json_kv_u64(j, "memfree_excess_bytes", memfree_excess(&m, &s));
			json_end_object(j);
		}
		json_end_array(j);
		if (m.in[IN_VMSTAT].loaded) {
			json_key(j, "counters");
			json_begin_object(j);
			for (size_t i = 0; i < m.vmstat.n; i++)
				if (report_counter(m.vmstat.items[i].name))
					json_kv_u64(j, m.vmstat.items[i].name, m.vmstat.items[i].value);
			json_end_object(j);
		}
		cli_json_end(j, &m, mask);
	} else {
		char ps[UNITS_BUFSZ], zt[96];
		struct table *t[4] = {
			m.in[IN_MEMINFO].loaded ? view_mem_summary_table(&s) : NULL,
			view_zone_orders_table(&m, zv, nz),
			view_node_table(&m),
			m.in[IN_VMSTAT].loaded ? counter_table(&m.vmstat) : NULL,
		};
		const char *titles[4] = { "Memory:", zt, "NUMA nodes:",
					  "Compaction and direct reclaim since boot:" };

		snprintf(zt, sizeof(zt), "Free blocks per order (block = 2^order pages of %s):",
			 units_bytes(m.page_size, ps));
		r = cli_select_columns(o, t, 4);
		if (r) {
			for (int i = 0; i < 4; i++)
				table_free(t[i]);
			if (r > 0)
				rc = r;
			goto out;
		}
		if (!o->raw && !o->noheadings) {
			struct buf rel = BUF_INIT, root = BUF_INIT;

			/* Both strings come from outside: escape them for the terminal. */
			escape_text(m.kernel_release, strlen(m.kernel_release), &rel);
			escape_text(source_root(src), strlen(source_root(src)), &root);
			printf("fragscope report: %s%s, %s%s, page size %s%s\n",
			       m.kernel_release[0] ? "Linux " : "kernel unknown",
			       rel.data ? rel.data : "", m.live ? "live" : "root ",
			       m.live ? "" : root.data ? root.data : "", ps,
			       m.page_size_src == PAGE_SIZE_INFERRED ? " (inferred)" :
			       m.page_size_src == PAGE_SIZE_ASSUMED ? " (assumed)" : "");
			putchar('\n');
			buf_free(&rel);
			buf_free(&root);
		}
		view_print_tables(o, t, titles, 4);
		if (!o->raw && !o->noheadings && memfree_excess(&m, &s)) {
			char ex[UNITS_BUFSZ];

			printf("\nNote: MemFree exceeds the zones' free pages by %s. Either the files were\n"
			       "read at different instants, or the kernel initialises memory lazily (deferred\n"
			       "init) and counts the not-yet-initialised memory only in MemTotal and MemFree.\n"
			       "The zone figures are what the page allocator can hand out now.\n",
			       units_bytes(memfree_excess(&m, &s), ex));
		}
	}
out:
	free(zv);
	machine_free(&m);
	source_free(src);
	return rc;
}

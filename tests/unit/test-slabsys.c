/*
 * test-slabsys.c - /sys/kernel/slab: the attribute parsers
 * (parse-slabsys.c) by hand, and loading the x86_64-6.18-slab fixture root
 * through machine_load_opts() at each detail level (load-slab.c), alone
 * and merged with /proc/slabinfo.  Hand-made roots in a temporary
 * directory cover what a real capture cannot: link target forms,
 * dangling links, CONFIG_SLUB_STATS and unknown files, a malformed file,
 * and a file that cannot be read (EACCES, as user nobody when run as
 * root).  Expected values were read with cat from the fixture files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/slab.h"
#include "parse/load.h"
#include "parse/parse.h"

/* ---- attribute parsers ------------------------------------------------ */

static int counter(const char *s, struct slab_counter *c, struct parse_error *perr)
{
	return slabsys_counter_parse(s, strlen(s), "f", c, perr);
}

static void test_counter_forms(void **state)
{
	struct parse_error perr = { 0 };
	struct slab_counter c = { 0 };

	(void)state;
	/* kernel.md 4.3: kmalloc-192's objects on a one-node machine. */
	assert_int_equal(counter("10437 N0=10437\n", &c, &perr), 0);
	assert_int_equal(c.total, 10437);
	assert_int_equal(c.nr_node, 1);
	assert_int_equal(c.node[0], 10437);
	slab_counter_free(&c);
	/* Not NUMA, or every node zero: the total alone. */
	assert_int_equal(counter("0\n", &c, &perr), 0);
	assert_int_equal(c.total, 0);
	assert_int_equal(c.nr_node, 0);
	assert_null(c.node);
	/* Nodes in any order, gaps are zero, no final newline, blanks. */
	assert_int_equal(counter("  10442 N3=5 N0=10437  ", &c, &perr), 0);
	assert_int_equal(c.total, 10442);
	assert_int_equal(c.nr_node, 4);
	assert_int_equal(c.node[0], 10437);
	assert_int_equal(c.node[1], 0);
	assert_int_equal(c.node[2], 0);
	assert_int_equal(c.node[3], 5);
	slab_counter_free(&c);
	/* Blank lines around the value; the largest node id; u64 max. */
	assert_int_equal(counter("\n18446744073709551615 N1023=1\n\n", &c, &perr), 0);
	assert_int_equal(c.total, UINT64_MAX);
	assert_int_equal(c.nr_node, 1024);
	assert_int_equal(c.node[1023], 1);
	slab_counter_free(&c);
}

static void test_counter_errors(void **state)
{
	static const struct {
		const char *in;
		int rc;
		unsigned line;
		const char *what;
	} bad[] = {
		{ "", -EINVAL, 0, "empty file" },
		{ "\n \n", -EINVAL, 0, "empty file" },
		{ "abc\n", -EINVAL, 1, "total: not a number: 'abc'" },
		{ "-1\n", -EINVAL, 1, "total: not a number: '-1'" },
		{ "18446744073709551616\n", -ERANGE, 1, "total: number too large: '18446744073709551616'" },
		{ "12 N0=7 N0=5\n", -EINVAL, 1, "node 0 listed twice: 'N0=5'" },
		{ "\n\n12 N1024=1\n", -ERANGE, 3, "node id too large: 'N1024=1'" },
		{ "12 N0=x\n", -EINVAL, 1, "node value: not a number: 'N0=x'" },
		{ "12 N0=99999999999999999999\n", -ERANGE, 1,
		  "node value: number too large: 'N0=99999999999999999999'" },
		{ "12 C0=1\n", -EINVAL, 1, "expected 'N<id>=<value>', found 'C0=1'" },
		{ "12 N=1\n", -EINVAL, 1, "node id not a number: 'N=1'" },
		{ "12 N0\n", -EINVAL, 1, "expected 'N<id>=<value>', found 'N0'" },
		{ "12\n13\n", -EINVAL, 2, "unexpected second line" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct parse_error perr = { 0 };
		struct slab_counter c = { 77, (uint64_t *)(uintptr_t)1, 5 };

		assert_int_equal(counter(bad[i].in, &c, &perr), bad[i].rc);
		assert_string_equal(perr.file, "f");
		assert_int_equal(perr.line, bad[i].line);
		assert_string_equal(perr.what, bad[i].what);
		/* Untouched on failure. */
		assert_int_equal(c.total, 77);
		assert_ptr_equal(c.node, (uint64_t *)(uintptr_t)1);
		assert_int_equal(c.nr_node, 5);
	}
}

static int cpu_partial(const char *s, uint64_t *o, uint64_t *sl, struct parse_error *perr)
{
	return slabsys_cpu_partial_parse(s, strlen(s), "f", o, sl, perr);
}

static void test_cpu_partial(void **state)
{
	static const struct {
		const char *in;
		int rc;
		unsigned line;
		const char *what;
	} bad[] = {
		{ "", -EINVAL, 0, "empty file" },
		{ "94\n", -EINVAL, 1, "total: expected 'objects(slabs)', found '94'" },
		{ "94(9\n", -EINVAL, 1, "total: expected 'objects(slabs)', found '94(9'" },
		{ "(9)\n", -EINVAL, 1, "total: expected 'objects(slabs)', found '(9)'" },
		{ "(19)\n", -EINVAL, 1, "total: not a number: '(19)'" },
		{ "94(x)\n", -EINVAL, 1, "total: not a number: '94(x)'" },
		{ "94(99999999999999999999)\n", -ERANGE, 1,
		  "total: number too large: '94(99999999999999999999)'" },
		{ "94(9) C0=73\n", -EINVAL, 1, "CPU value: expected 'objects(slabs)', found '73'" },
		{ "94(9) C0=73(7) C0=21(2)\n", -EINVAL, 1, "CPU 0 listed twice: 'C0=21(2)'" },
		{ "94(9) C65536=1(1)\n", -ERANGE, 1, "CPU id too large: 'C65536=1(1)'" },
		{ "94(9) N0=1(1)\n", -EINVAL, 1, "expected 'C<id>=<value>', found 'N0=1(1)'" },
		{ "\n94(9)\nC0=1(1)\n", -EINVAL, 3, "unexpected second line" },
	};
	struct parse_error perr = { 0 };
	uint64_t o = 0, s = 0;

	(void)state;
	/* kernel.md 4.3 and this fixture's kmalloc-192. */
	assert_int_equal(cpu_partial("94(9) C0=73(7) C1=21(2)\n", &o, &s, &perr), 0);
	assert_int_equal(o, 94);
	assert_int_equal(s, 9);
	assert_int_equal(cpu_partial("0(0)\n", &o, &s, &perr), 0);
	assert_int_equal(o, 0);
	assert_int_equal(s, 0);
	assert_int_equal(cpu_partial("168(16) C1=73(7) C0=94(9)", &o, &s, &perr), 0);
	assert_int_equal(o, 168);
	assert_int_equal(s, 16);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = 5;
		s = 6;
		memset(&perr, 0, sizeof(perr));
		assert_int_equal(cpu_partial(bad[i].in, &o, &s, &perr), bad[i].rc);
		assert_int_equal(perr.line, bad[i].line);
		assert_string_equal(perr.what, bad[i].what);
		assert_int_equal(o, 5);
		assert_int_equal(s, 6);
	}
}

static int ctor(const char *in, char **s, struct parse_error *perr)
{
	return slabsys_ctor_parse(in, strlen(in), "f", s, perr);
}

static void test_flag_and_ctor(void **state)
{
	struct parse_error perr = { 0 };
	bool f = false;
	char *s = (char *)"keep";

	(void)state;
	assert_int_equal(slabsys_flag_parse("1\n", 2, "f", &f, &perr), 0);
	assert_true(f);
	assert_int_equal(slabsys_flag_parse("0", 1, "f", &f, &perr), 0);
	assert_false(f);
	f = true;
	assert_int_equal(slabsys_flag_parse("\n2\n", 3, "f", &f, &perr), -EINVAL);
	assert_int_equal(perr.line, 2);
	assert_string_equal(perr.what, "expected 0 or 1, found 2");
	assert_true(f);
	assert_int_equal(slabsys_flag_parse("", 0, "f", &f, &perr), -EINVAL);
	assert_string_equal(perr.what, "empty file");

	/* No constructor: the kernel prints nothing at all. */
	assert_int_equal(slabsys_ctor_parse("", 0, "f", &s, &perr), 0);
	assert_null(s);
	assert_int_equal(ctor("radix_tree_node_ctor+0x0/0x50\n", &s, &perr), 0);
	assert_string_equal(s, "radix_tree_node_ctor+0x0/0x50");
	free(s);
	/* A module's symbol has a blank in it (%pS). */
	assert_int_equal(ctor(" xfs_fs_inode_init_once+0x0/0x80 [xfs] \n", &s, &perr), 0);
	assert_string_equal(s, "xfs_fs_inode_init_once+0x0/0x80 [xfs]");
	free(s);
	s = (char *)"keep";
	assert_int_equal(slabsys_ctor_parse("a\nb\n", 4, "f", &s, &perr), -EINVAL);
	assert_int_equal(perr.line, 2);
	assert_int_equal(slabsys_ctor_parse("a\0b\n", 4, "f", &s, &perr), -EINVAL);
	assert_string_equal(perr.what, "NUL byte in the constructor name");
	assert_string_equal(s, "keep");
}

static int attr(const char *name, const char *s, struct slab_cache *c, struct parse_error *perr)
{
	return slabsys_attr_parse(name, s, strlen(s), "f", c, perr);
}

static void test_attr_dispatch(void **state)
{
	struct parse_error perr = { 0 };
	struct slab_cache c, before;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(slabsys_attr_class("object_size"), SLABSYS_KNOWN);
	assert_int_equal(slabsys_attr_class("slabs_cpu_partial"), SLABSYS_KNOWN);
	assert_int_equal(slabsys_attr_class("shrink"), SLABSYS_CONTROL);
	assert_int_equal(slabsys_attr_class("validate"), SLABSYS_CONTROL);
	assert_int_equal(slabsys_attr_class("alloc_fastpath"), SLABSYS_UNKNOWN);
	assert_int_equal(slabsys_attr_class(""), SLABSYS_UNKNOWN);

	assert_int_equal(attr("object_size", "192\n", &c, &perr), 0);
	assert_int_equal(attr("order", "3\n", &c, &perr), 0);
	assert_int_equal(attr("slabs", "937 N0=937\n", &c, &perr), 0);
	assert_int_equal(attr("slabs_cpu_partial", "168(16) C0=94(9) C1=73(7)\n", &c, &perr), 0);
	assert_int_equal(attr("reclaim_account", "1\n", &c, &perr), 0);
	assert_int_equal(attr("poison", "0\n", &c, &perr), 0);
	assert_int_equal(attr("ctor", "init_once+0x0/0x20\n", &c, &perr), 0);
	assert_int_equal(c.object_size, 192);
	assert_int_equal(c.order, 3);
	assert_int_equal(c.slabs.total, 937);
	assert_int_equal(c.slabs.node[0], 937);
	assert_int_equal(c.cpu_partial_objs, 168);
	assert_int_equal(c.cpu_partial_slabs, 16);
	assert_int_equal(c.flags, SF_RECLAIM_ACCOUNT);
	assert_int_equal(c.flags_read, SF_RECLAIM_ACCOUNT | SF_POISON);
	assert_string_equal(c.ctor, "init_once+0x0/0x20");
	assert_int_equal(c.sys, SYS_OBJECT_SIZE | SYS_ORDER | SYS_SLABS | SYS_SLABS_CPU_PARTIAL |
			 SYS_FLAGS | SYS_CTOR);
	/* A flag file read again as 0 clears the bit. */
	assert_int_equal(attr("reclaim_account", "0\n", &c, &perr), 0);
	assert_int_equal(c.flags, 0);

	/* CONFIG_SLUB_STATS and newer files: the first number, leniently. */
	assert_int_equal(attr("alloc_fastpath", "1234 C0=1000 C1=234\n", &c, &perr), 0);
	assert_int_equal(attr("some_new_file", "hello 5\n", &c, &perr), 0);
	assert_int_equal(attr("another_new_file", "99999999999999999999\n", &c, &perr), 0);
	assert_int_equal(attr("empty_new_file", "", &c, &perr), 0);
	assert_int_equal(attr("shrink", "", &c, &perr), 0);
	assert_int_equal(attr("validate", "junk", &c, &perr), 0);
	assert_int_equal(c.stats.n, 1);
	assert_string_equal(c.stats.items[0].name, "alloc_fastpath");
	assert_int_equal(c.stats.items[0].value, 1234);
	assert_true(c.sys & SYS_STATS);

	/* Range checks: failures leave the cache as it was. */
	memcpy(&before, &c, sizeof(c));
	assert_int_equal(attr("order", "32\n", &c, &perr), -ERANGE);
	assert_string_equal(perr.what, "order out of range: 32");
	assert_int_equal(attr("object_size", "4294967296\n", &c, &perr), -ERANGE);
	assert_int_equal(perr.line, 1);
	assert_int_equal(attr("slabs", "1 N0=281474976710657\n", &c, &perr), -ERANGE);
	assert_string_equal(perr.what, "slabs: more slabs than pages can exist");
	assert_int_equal(attr("partial", "281474976710657\n", &c, &perr), -ERANGE);
	assert_int_equal(attr("poison", "yes\n", &c, &perr), -EINVAL);
	assert_int_equal(attr("slabs", "937 N0=937 N0=1\n", &c, &perr), -EINVAL);
	assert_int_equal(attr("aliases", "1 2\n", &c, &perr), -EINVAL);
	assert_string_equal(perr.what, "expected one number, found more: '2'");
	assert_memory_equal(&c, &before, sizeof(c));
	/* objects counts are not page counts: no page bound. */
	assert_int_equal(attr("objects", "281474976710657\n", &c, &perr), 0);
	slab_cache_free(&c);
}

/* ---- loading the fixture root ----------------------------------------- */

static void load(const char *root, unsigned mask, enum slab_detail d, struct machine *m)
{
	struct load_opts o = { .slab_detail = d };
	struct source *src;

	assert_int_equal(source_open(root, &src), 0);
	assert_int_equal(machine_load_opts(src, mask, &o, m), 0);
	source_free(src);
}

static void load_fixture(unsigned mask, enum slab_detail d, struct machine *m)
{
	load(FIXTURES "/roots/x86_64-6.18-slab", mask, d, m);
}

static const struct slab_cache *find(const struct machine *m, const char *name)
{
	const struct slab_cache *c = slabinfo_find(&m->slab, name);

	assert_non_null(c);
	return c;
}

#define BOTH (IN_BIT(IN_SLABINFO) | IN_BIT(IN_SLABSYS))

/* sysfs alone: one cache per directory, named after it, aliases from the links. */
static void test_sysfs_alone(void **state)
{
	const struct slab_cache *c;
	struct machine m;

	(void)state;
	load_fixture(IN_BIT(IN_SLABSYS), SLAB_DETAIL_BASIC, &m);
	assert_true(m.in[IN_SLABSYS].loaded);
	assert_false(m.in[IN_SLABINFO].attempted);
	assert_int_equal(m.slab.n, 19);
	assert_int_equal(m.slab.version_major, 0);
	/* Sorted by directory name: the unique ids first. */
	assert_string_equal(m.slab.c[0].name, ":0000064");
	assert_string_equal(m.slab.c[18].name, "task_struct");

	c = find(&m, ":0000064");
	assert_int_equal(c->have, SC_SYSFS);
	assert_int_equal(c->nr_alias_names, 7);
	assert_string_equal(c->alias_names[0], "dmaengine-unmap-2");
	assert_string_equal(c->alias_names[1], "fanotify_path_event");
	assert_string_equal(c->alias_names[6], "xfs_defer_pending");
	c = find(&m, ":A-0000192");
	assert_int_equal(c->nr_alias_names, 2);
	assert_string_equal(c->alias_names[0], "cred");
	assert_string_equal(c->alias_names[1], "pid");
	/* BASIC without slabinfo: object_size, partial, reclaim_account,
	 * slabs, order -- except reclaim_account, which ":A-" spells. */
	assert_int_equal(c->sys, SYS_OBJECT_SIZE | SYS_PARTIAL | SYS_FLAGS | SYS_SLABS | SYS_ORDER);
	assert_int_equal(c->object_size, 184);
	assert_int_equal(c->partial.total, 3);
	assert_int_equal(c->slabs.total, 16);
	assert_int_equal(c->slabs.nr_node, 1);
	assert_int_equal(c->slabs.node[0], 16);
	assert_int_equal(c->order, 0);
	assert_int_equal(c->flags_read, SF_RECLAIM_ACCOUNT);
	assert_int_equal(c->flags, 0);
	c = find(&m, ":a-0000104");
	assert_int_equal(c->flags, SF_RECLAIM_ACCOUNT);
	assert_int_equal(c->partial.total, 219);
	c = find(&m, "kmalloc-192");
	assert_int_equal(c->nr_alias_names, 0);
	assert_int_equal(c->slabs.total, 937);
	assert_int_equal(c->flags_read, SF_RECLAIM_ACCOUNT);
	assert_int_equal(c->flags, 0);
	c = find(&m, "task_struct");
	assert_int_equal(c->order, 3);
	assert_int_equal(c->object_size, 5840);
	assert_int_equal(c->partial.total, 11);
	/* Not read at BASIC. */
	assert_false(c->sys & (SYS_OBJECTS | SYS_SLAB_SIZE | SYS_CTOR | SYS_ALIASES));
	machine_free(&m);
}

/* Both inputs at BASIC: merged into slabinfo's 235 caches. */
static void test_merged_basic(void **state)
{
	const struct slab_cache *c;
	struct machine m;
	size_t with_sysfs = 0;

	(void)state;
	load_fixture(BOTH, SLAB_DETAIL_BASIC, &m);
	assert_true(m.in[IN_SLABINFO].loaded);
	assert_true(m.in[IN_SLABSYS].loaded);
	assert_int_equal(m.slab.n, 235);
	for (size_t i = 0; i < m.slab.n; i++)
		with_sysfs += (m.slab.c[i].have & SC_SYSFS) != 0;
	assert_int_equal(with_sysfs, 19);

	/* A merged cache under its slabinfo name. */
	c = find(&m, "pid");
	assert_int_equal(c->have, SC_SLABINFO | SC_SYSFS);
	assert_string_equal(c->sys_name, ":A-0000192");
	assert_int_equal(c->nr_alias_names, 1);
	assert_string_equal(c->alias_names[0], "cred");
	assert_int_equal(c->num_slabs, 16);
	assert_int_equal(c->objsize, 192);
	assert_int_equal(c->object_size, 184);
	assert_int_equal(c->partial.total, 3);
	/* slabinfo has order and slabs: not read again. */
	assert_int_equal(c->sys, SYS_OBJECT_SIZE | SYS_PARTIAL | SYS_FLAGS);
	c = find(&m, "dmaengine-unmap-2");
	assert_string_equal(c->sys_name, ":0000064");
	assert_int_equal(c->nr_alias_names, 6);
	c = find(&m, "dentry");
	assert_int_equal(c->flags, SF_RECLAIM_ACCOUNT);
	assert_int_equal(c->partial.total, 61);
	assert_int_equal(c->num_slabs, 18914);
	/* Empty in slabinfo: partial is 0 and no file is read (the flag
	 * comes from the ':aA-' directory name). */
	c = find(&m, "pidfs_xattr_cache");
	assert_string_equal(c->sys_name, ":aA-0000016");
	assert_int_equal(c->sys, SYS_PARTIAL | SYS_FLAGS);
	assert_int_equal(c->flags, SF_RECLAIM_ACCOUNT);
	assert_int_equal(c->partial.total, 0);
	assert_int_equal(c->object_size, 0);
	c = find(&m, "dma-kmalloc-512");
	assert_int_equal(c->sys, SYS_PARTIAL);
	/* No directory in this trimmed capture. */
	c = find(&m, "vm_area_struct");
	assert_int_equal(c->have, SC_SLABINFO);
	assert_int_equal(c->sys, 0);
	machine_free(&m);
}

static void test_nodes(void **state)
{
	const struct slab_cache *c;
	struct machine m;

	(void)state;
	load_fixture(BOTH, SLAB_DETAIL_NODES, &m);
	c = find(&m, "kmalloc-192");
	assert_int_equal(c->sys, SYS_OBJECT_SIZE | SYS_PARTIAL | SYS_FLAGS | SYS_SLABS | SYS_OBJECTS |
			 SYS_TOTAL_OBJECTS | SYS_OBJECTS_PARTIAL | SYS_CPU_SLABS);
	assert_int_equal(c->objects.total, 19661);
	assert_int_equal(c->objects.nr_node, 1);
	assert_int_equal(c->objects.node[0], 19661);
	assert_int_equal(c->total_objects.total, 19677);
	assert_int_equal(c->total_objects.node[0], 19677);
	assert_int_equal(c->slabs.node[0], 937);
	assert_int_equal(c->partial.node[0], 4);
	assert_int_equal(c->objects_partial.total, 68);
	assert_int_equal(c->cpu_slabs.total, 18);
	assert_int_equal(c->cpu_slabs.node[0], 18);
	/* The same numbers as slabinfo (one capture pass). */
	assert_int_equal(c->active_objs, 19661);
	assert_int_equal(c->num_objs, 19677);
	assert_int_equal(c->num_slabs, 937);
	c = find(&m, "eventpoll_epi");
	assert_int_equal(c->objects_partial.total, 0);
	assert_int_equal(c->objects_partial.nr_node, 0);
	assert_null(c->objects_partial.node);
	/* Empty in slabinfo: every counter 0, no file read (not even the
	 * reclaim_account flag, which this directory name does not spell). */
	c = find(&m, "kmalloc-rcl-64");
	assert_true(c->sys & SYS_OBJECTS);
	assert_int_equal(c->objects.total, 0);
	assert_int_equal(c->slabs.total, 0);
	assert_false(c->sys & SYS_OBJECT_SIZE);
	assert_int_equal(c->flags, 0);
	machine_free(&m);

	/* sysfs alone: order read too. */
	load_fixture(IN_BIT(IN_SLABSYS), SLAB_DETAIL_NODES, &m);
	c = find(&m, ":A-0000128");
	assert_int_equal(c->sys, SYS_OBJECT_SIZE | SYS_PARTIAL | SYS_FLAGS | SYS_SLABS | SYS_ORDER |
			 SYS_OBJECTS | SYS_TOTAL_OBJECTS | SYS_OBJECTS_PARTIAL | SYS_CPU_SLABS);
	assert_int_equal(c->objects.total, 224);
	assert_int_equal(c->nr_alias_names, 5);
	machine_free(&m);
}

/* Selects kmalloc-192 by its name and :A-0000192 by its alias "pid". */
static bool select_two(const struct slab_cache *c, void *arg)
{
	unsigned *calls = arg;

	(*calls)++;
	if (strcmp(c->name, "kmalloc-192") == 0)
		return true;
	for (size_t i = 0; i < c->nr_alias_names; i++)
		if (strcmp(c->alias_names[i], "pid") == 0)
			return true;
	return false;
}

/* load_opts.slab_select: the other caches read no sysfs file at all, and
 * keep /proc/slabinfo's figures. */
static void test_select(void **state)
{
	unsigned calls = 0;
	struct load_opts o = { .slab_detail = SLAB_DETAIL_FULL, .slab_select = select_two,
			       .slab_select_arg = &calls };
	const struct slab_cache *c;
	struct source *src;
	struct machine m;

	(void)state;
	assert_int_equal(source_open(FIXTURES "/roots/x86_64-6.18-slab", &src), 0);
	assert_int_equal(machine_load_opts(src, BOTH, &o, &m), 0);
	source_free(src);
	assert_true(m.in[IN_SLABSYS].loaded);
	assert_true(calls >= 19);           /* once per cache directory */
	c = find(&m, "kmalloc-192");
	assert_true(c->sys & SYS_OBJECT_SIZE);
	assert_true(c->sys & SYS_SLAB_SIZE);
	c = find(&m, "pid");
	assert_true(c->sys & SYS_SLAB_SIZE);
	assert_int_equal(c->aliases, 1);
	c = find(&m, "dentry");
	assert_false(c->sys & (SYS_OBJECT_SIZE | SYS_SLABS | SYS_OBJECTS | SYS_SLAB_SIZE));
	assert_int_equal(slab_active_objs(c), c->active_objs);
	machine_free(&m);
}

static void test_full(void **state)
{
	const unsigned all = SYS_OBJECT_SIZE | SYS_SLAB_SIZE | SYS_ALIGN | SYS_OBJS_PER_SLAB | SYS_ORDER |
			     SYS_OBJECTS | SYS_TOTAL_OBJECTS | SYS_SLABS | SYS_PARTIAL | SYS_OBJECTS_PARTIAL |
			     SYS_CPU_SLABS | SYS_CPU_PARTIAL | SYS_SLABS_CPU_PARTIAL | SYS_ALIASES | SYS_FLAGS |
			     SYS_MIN_PARTIAL | SYS_USERSIZE | SYS_CTOR | SYS_SHEAF_CAPACITY;
	const struct slab_cache *c;
	struct machine m;

	(void)state;
	load_fixture(BOTH, SLAB_DETAIL_FULL, &m);
	c = find(&m, "kmalloc-192");
	/* Every attribute of 6.18; no CONFIG_SLUB_STATS on this kernel. */
	assert_int_equal(c->sys, all);
	assert_int_equal(c->stats.n, 0);
	assert_int_equal(c->object_size, 192);
	assert_int_equal(c->slab_size, 192);
	assert_int_equal(c->align, 64);
	assert_int_equal(c->objs_per_slab, 21);
	assert_int_equal(c->order, 0);
	assert_int_equal(c->cpu_partial, 120);
	assert_int_equal(c->min_partial, 5);
	assert_int_equal(c->aliases, 0);
	assert_int_equal(c->usersize, 192);
	assert_int_equal(c->sheaf_capacity, 0);
	assert_int_equal(c->cpu_partial_objs, 168);
	assert_int_equal(c->cpu_partial_slabs, 16);
	assert_int_equal(c->flags_read, 0x1ff);
	assert_int_equal(c->flags, 0);
	assert_null(c->ctor);

	c = find(&m, "pid");
	assert_int_equal(c->sys, all);
	assert_int_equal(c->aliases, 1);
	assert_int_equal(c->flags, SF_HWCACHE_ALIGN);
	assert_int_equal(c->cpu_partial_objs, 115);
	assert_int_equal(c->cpu_partial_slabs, 11);
	c = find(&m, "radix_tree_node");
	assert_string_equal(c->ctor, "radix_tree_node_ctor+0x0/0x50");
	assert_int_equal(c->flags, SF_RECLAIM_ACCOUNT);
	assert_int_equal(c->slab_size, 584);
	assert_int_equal(c->order, 1);
	c = find(&m, "anon_vma");
	assert_string_equal(c->ctor, "anon_vma_ctor+0x0/0x50");
	assert_int_equal(c->flags, SF_DESTROY_BY_RCU);
	c = find(&m, "dma-kmalloc-512");
	assert_int_equal(c->flags, SF_CACHE_DMA);
	assert_int_equal(c->align, 512);
	c = find(&m, "bdev_cache");
	assert_int_equal(c->flags, SF_RECLAIM_ACCOUNT | SF_HWCACHE_ALIGN);
	assert_string_equal(c->ctor, "init_once+0x0/0x20");
	c = find(&m, "task_struct");
	assert_int_equal(c->usersize, 2448);
	assert_int_equal(c->min_partial, 6);
	assert_int_equal(c->cpu_partial, 6);
	c = find(&m, "dmaengine-unmap-2");
	assert_int_equal(c->aliases, 6);
	/* FULL reads even what slabinfo has, and empty caches' counters. */
	c = find(&m, "pidfs_xattr_cache");
	assert_int_equal(c->sys, all);
	assert_int_equal(c->objs_per_slab, 256);
	machine_free(&m);
}

/* Where sys/kernel/slab is missing: recorded, the rest still loads. */
static void test_missing(void **state)
{
	struct machine m;

	(void)state;
	load(FIXTURES "/roots/x86_64-6.18", BOTH, SLAB_DETAIL_BASIC, &m);
	assert_true(m.in[IN_SLABINFO].loaded);
	assert_true(m.in[IN_SLABSYS].attempted);
	assert_false(m.in[IN_SLABSYS].loaded);
	assert_int_equal(m.in[IN_SLABSYS].err, -ENOENT);
	assert_false(m.in[IN_SLABSYS].parse_error);
	assert_non_null(strstr(m.in[IN_SLABSYS].path, "x86_64-6.18/sys/kernel/slab"));
	assert_int_equal(m.slab.n, 235);
	assert_int_equal(m.slab.c[0].sys, 0);
	machine_free(&m);

	load(FIXTURES "/roots/empty", IN_BIT(IN_SLABSYS), SLAB_DETAIL_FULL, &m);
	assert_int_equal(m.in[IN_SLABSYS].err, -ENOENT);
	assert_int_equal(m.slab.n, 0);
	machine_free(&m);
	assert_string_equal(input_name(IN_SLABINFO), "slabinfo");
	assert_string_equal(input_relpath(IN_SLABINFO), "proc/slabinfo");
	assert_string_equal(input_name(IN_SLABSYS), "slab sysfs");
	assert_string_equal(input_relpath(IN_SLABSYS), "sys/kernel/slab");
}

/* ---- hand-made roots ---------------------------------------------------- */

struct tmproot {
	char dir[64];
};

static void put(const char *root, const char *rel, const char *content, mode_t mode)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static void mkdirs(const char *root, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void link_to(const char *root, const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

static void rm_tree(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* A root with sys/kernel/slab/{c1,:a-0000032} and the given files in c1. */
static void tmproot_new(struct tmproot *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/fragscope-slabsys-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	assert_int_equal(chmod(t->dir, 0755), 0);
	mkdirs(t->dir, "sys");
	mkdirs(t->dir, "sys/kernel");
	mkdirs(t->dir, "sys/kernel/slab");
	mkdirs(t->dir, "sys/kernel/slab/c1");
	mkdirs(t->dir, "sys/kernel/slab/:a-0000032");
	put(t->dir, "sys/kernel/slab/c1/object_size", "24\n", 0644);
	put(t->dir, "sys/kernel/slab/c1/partial", "2 N0=1 N1=1\n", 0644);
	put(t->dir, "sys/kernel/slab/c1/reclaim_account", "0\n", 0644);
	put(t->dir, "sys/kernel/slab/c1/slabs", "9 N0=4 N1=5\n", 0644);
	put(t->dir, "sys/kernel/slab/c1/order", "0\n", 0644);
	put(t->dir, "sys/kernel/slab/:a-0000032/object_size", "30\n", 0644);
	put(t->dir, "sys/kernel/slab/:a-0000032/partial", "0\n", 0644);
	put(t->dir, "sys/kernel/slab/:a-0000032/slabs", "0\n", 0644);
	put(t->dir, "sys/kernel/slab/:a-0000032/order", "0\n", 0644);
}

static void test_handmade(void **state)
{
	const struct slab_cache *c;
	struct tmproot t;
	struct machine m;

	(void)state;
	tmproot_new(&t);
	/* Link forms: the bare name (6.x), a path, and junk. */
	link_to(t.dir, ":a-0000032", "sys/kernel/slab/x_name");
	link_to(t.dir, "../slab/:a-0000032/", "sys/kernel/slab/y_path");
	link_to(t.dir, ":a-0000099", "sys/kernel/slab/z_dangling");
	link_to(t.dir, "c1", "sys/kernel/slab/w_named");
	put(t.dir, "sys/kernel/slab/stray_file", "1\n", 0644);
	/* FULL: stats, an unknown file, a control, a subdirectory. */
	put(t.dir, "sys/kernel/slab/c1/alloc_fastpath", "1234 C0=1000 C1=234\n", 0644);
	put(t.dir, "sys/kernel/slab/c1/free_fastpath", "17\n", 0644);
	put(t.dir, "sys/kernel/slab/c1/future_thing", "on\n", 0644);
	put(t.dir, "sys/kernel/slab/c1/shrink", "not read\n", 0644);
	put(t.dir, "sys/kernel/slab/c1/ctor", "", 0644);
	mkdirs(t.dir, "sys/kernel/slab/c1/cgroup");

	load(t.dir, IN_BIT(IN_SLABSYS), SLAB_DETAIL_BASIC, &m);
	assert_true(m.in[IN_SLABSYS].loaded);
	assert_int_equal(m.slab.n, 2);
	c = find(&m, ":a-0000032");
	assert_int_equal(c->nr_alias_names, 2);
	assert_string_equal(c->alias_names[0], "x_name");
	assert_string_equal(c->alias_names[1], "y_path");
	assert_int_equal(c->flags, SF_RECLAIM_ACCOUNT);
	c = find(&m, "c1");
	assert_int_equal(c->nr_alias_names, 1);
	assert_string_equal(c->alias_names[0], "w_named");
	assert_int_equal(c->slabs.nr_node, 2);
	assert_int_equal(c->slabs.node[1], 5);
	assert_int_equal(c->partial.node[0], 1);
	assert_int_equal(c->stats.n, 0);
	machine_free(&m);

	/* With /proc/slabinfo: its line gives c1's slabs and order, so they
	 * are not read; the cache it does not list still gets them. */
	mkdirs(t.dir, "proc");
	put(t.dir, "proc/slabinfo",
	    "slabinfo - version: 2.1\n"
	    "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
	    " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs>"
	    " <sharedavail>\n"
	    "c1                    30     36     24  170    1 : tunables    0    0    0 : slabdata"
	    "      9      9      0\n", 0644);
	load(t.dir, BOTH, SLAB_DETAIL_BASIC, &m);
	assert_true(m.in[IN_SLABINFO].loaded);
	assert_true(m.in[IN_SLABSYS].loaded);
	assert_int_equal(m.slab.n, 2);
	c = find(&m, "c1");
	assert_int_equal(c->have, SC_SLABINFO | SC_SYSFS);
	assert_int_equal(c->sys, SYS_OBJECT_SIZE | SYS_PARTIAL | SYS_FLAGS);
	c = find(&m, ":a-0000032");
	assert_int_equal(c->have, SC_SYSFS);
	assert_int_equal(c->sys, SYS_OBJECT_SIZE | SYS_PARTIAL | SYS_FLAGS | SYS_SLABS | SYS_ORDER);
	machine_free(&m);

	load(t.dir, IN_BIT(IN_SLABSYS), SLAB_DETAIL_FULL, &m);
	assert_true(m.in[IN_SLABSYS].loaded);
	c = find(&m, "c1");
	assert_true(c->sys & SYS_STATS);
	assert_true(c->sys & SYS_CTOR);
	assert_null(c->ctor);
	assert_int_equal(c->stats.n, 2);
	assert_string_equal(c->stats.items[0].name, "alloc_fastpath");
	assert_int_equal(c->stats.items[0].value, 1234);
	assert_string_equal(c->stats.items[1].name, "free_fastpath");
	assert_int_equal(c->stats.items[1].value, 17);
	/* Files a 4.x kernel would not have are just absent. */
	assert_false(c->sys & (SYS_SLAB_SIZE | SYS_SHEAF_CAPACITY));
	machine_free(&m);

	/* A malformed known file fails the input with its path and line. */
	put(t.dir, "sys/kernel/slab/c1/partial", "\n2 N0=1 N0=1\n", 0644);
	load(t.dir, IN_BIT(IN_SLABSYS), SLAB_DETAIL_BASIC, &m);
	assert_false(m.in[IN_SLABSYS].loaded);
	assert_true(m.in[IN_SLABSYS].parse_error);
	assert_int_equal(m.in[IN_SLABSYS].err, -EINVAL);
	assert_int_equal(m.in[IN_SLABSYS].perr.line, 2);
	assert_string_equal(m.in[IN_SLABSYS].perr.what, "node 0 listed twice: 'N0=1'");
	assert_ptr_equal(m.in[IN_SLABSYS].perr.file, m.in[IN_SLABSYS].path);
	assert_non_null(strstr(m.in[IN_SLABSYS].path, "/sys/kernel/slab/c1/partial"));
	assert_int_equal(m.slab.n, 0);
	machine_free(&m);
	/* A malformed unknown file at FULL is not an error. */
	put(t.dir, "sys/kernel/slab/c1/partial", "2\n", 0644);
	put(t.dir, "sys/kernel/slab/c1/future_thing", "1 2 3 N0=x\n", 0644);
	load(t.dir, IN_BIT(IN_SLABSYS), SLAB_DETAIL_FULL, &m);
	assert_true(m.in[IN_SLABSYS].loaded);
	c = find(&m, "c1");
	assert_int_equal(c->stats.n, 3);
	assert_string_equal(c->stats.items[2].name, "future_thing");
	machine_free(&m);
	rm_tree(t.dir);
}

/* The directory-relative source calls the loader uses, under a root. */
static void test_source_at(void **state)
{
	struct source_entry *e = NULL;
	struct buf b = BUF_INIT;
	struct tmproot t;
	struct source *src;
	char target[64];
	size_t n = 0;
	int dfd, r;

	(void)state;
	tmproot_new(&t);
	link_to(t.dir, "/etc/hostname", "sys/kernel/slab/c1/abs_link");
	link_to(t.dir, "../../../../../../etc/hostname", "sys/kernel/slab/c1/up_link");
	link_to(t.dir, "order", "sys/kernel/slab/c1/in_link");
	link_to(t.dir, ":a-0000032", "sys/kernel/slab/x_name");
	assert_int_equal(source_open(t.dir, &src), 0);
	dfd = source_openat(src, "sys/kernel/slab", O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);

	assert_int_equal(source_read_at(src, dfd, "c1/partial", &b), 0);
	assert_int_equal(b.len, 12);
	assert_memory_equal(b.data, "2 N0=1 N1=1\n", 12);
	assert_int_equal(source_read_at(src, dfd, "c1/nothing", &b), -ENOENT);
	/* Only plain relative paths. */
	assert_int_equal(source_read_at(src, dfd, "../slab/c1/order", &b), -EINVAL);
	assert_int_equal(source_read_at(src, dfd, "c1/./order", &b), -EINVAL);
	assert_int_equal(source_read_at(src, dfd, "/c1/order", &b), -EINVAL);
	assert_int_equal(source_read_at(src, dfd, "c1//order", &b), -EINVAL);
	assert_int_equal(source_read_at(src, dfd, "", &b), -EINVAL);
	/* Nothing outside dirfd: -EXDEV with openat2, -ELOOP without. */
	r = source_read_at(src, dfd, "c1/abs_link", &b);
	assert_true(r == -EXDEV || r == -ELOOP);
	r = source_read_at(src, dfd, "c1/up_link", &b);
	assert_true(r == -EXDEV || r == -ELOOP);
	r = source_read_at(src, dfd, "c1/in_link", &b);
	assert_true(r == 0 || r == -ELOOP);

	assert_int_equal(source_readlink_at(src, dfd, "x_name", target, sizeof(target)), 10);
	assert_string_equal(target, ":a-0000032");
	assert_int_equal(source_readlink_at(src, dfd, "x_name", target, 10), -ENAMETOOLONG);
	assert_int_equal(source_readlink_at(src, dfd, "c1", target, sizeof(target)), -EINVAL);

	assert_int_equal(source_list_at(src, dfd, &e, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(e[0].name, ":a-0000032");
	assert_int_equal(e[0].type, DT_DIR);
	assert_string_equal(e[1].name, "c1");
	assert_string_equal(e[2].name, "x_name");
	assert_int_equal(e[2].type, DT_LNK);
	source_entries_free(e, n);
	/* dirfd stays usable, and listing it again sees everything. */
	assert_int_equal(source_list_at(src, dfd, &e, &n), 0);
	assert_int_equal(n, 3);
	source_entries_free(e, n);

	close(dfd);
	buf_free(&b);
	source_free(src);
	rm_tree(t.dir);
}

/*
 * An unreadable attribute (sysfs files are 0400 root) fails the input
 * once, as -EACCES with the file's path.  Root reads any file, so when
 * run as root the load runs in a child that became user nobody; its
 * verdict comes back as the exit status.
 */
static int eacces_child(const char *root)
{
	struct load_opts o = { .slab_detail = SLAB_DETAIL_BASIC };
	struct source *src;
	struct machine m;
	int bad = 0;

	if (source_open(root, &src) < 0)
		return 10;
	if (machine_load_opts(src, IN_BIT(IN_SLABSYS), &o, &m) < 0)
		return 11;
	bad |= m.in[IN_SLABSYS].loaded ? 1 : 0;
	bad |= m.in[IN_SLABSYS].err != -EACCES ? 2 : 0;
	bad |= m.in[IN_SLABSYS].parse_error ? 4 : 0;
	bad |= !strstr(m.in[IN_SLABSYS].path, "/sys/kernel/slab/:a-0000032/object_size") ? 8 : 0;
	bad |= m.slab.n != 0 ? 16 : 0;
	machine_free(&m);
	source_free(src);
	return bad;
}

static void test_eacces(void **state)
{
	struct tmproot t;
	int status;
	pid_t pid;

	(void)state;
	tmproot_new(&t);
	/* 0000: the owner cannot read it either (when not root). */
	put(t.dir, "sys/kernel/slab/:a-0000032/object_size", "30\n", 0000);
	put(t.dir, "sys/kernel/slab/c1/object_size", "24\n", 0000);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(12);
		_exit(eacces_child(t.dir));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	rm_tree(t.dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_forms),
		cmocka_unit_test(test_counter_errors),
		cmocka_unit_test(test_cpu_partial),
		cmocka_unit_test(test_flag_and_ctor),
		cmocka_unit_test(test_attr_dispatch),
		cmocka_unit_test(test_sysfs_alone),
		cmocka_unit_test(test_merged_basic),
		cmocka_unit_test(test_nodes),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_handmade),
		cmocka_unit_test(test_source_at),
		cmocka_unit_test(test_eacces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

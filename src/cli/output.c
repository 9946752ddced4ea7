/*
 * output.c - diagnostics and exit status.  Messages follow git's rules:
 * "fragscope: <what failed>: <why>", lowercase, no trailing period, the
 * subject in quotes; malformed input is reported as "file:line: problem".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../model/zones.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("fragscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("fragscope: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_status(int *rc, int code)
{
	if (code > *rc)
		*rc = code;
}

const char *cli_input_reason(const struct input_status *st)
{
	if (st->parse_error)
		return st->perr.what;
	switch (st->err) {
	case -ENOENT:
		return "not found";
	case -EACCES:
	case -EPERM:
		return "permission denied";
	default:
		return strerror(-st->err);
	}
}

const char *cli_input_hint(const struct machine *m, enum input_id id, const struct input_status *st)
{
	if (st->parse_error)
		return NULL;
	if ((st->err == -EACCES || st->err == -EPERM) && geteuid() != 0)
		return "needs root";
	if (st->err == -ENOENT && !m->live)
		return "not in this snapshot";
	if (st->err == -ENOENT) {
		switch (id) {
		case IN_PAGETYPEINFO:
			return "kernel older than 2.6.24 or /proc not mounted";
		case IN_NODES:
			return "sysfs not mounted, or a kernel without NUMA sysfs";
		case IN_SLABINFO:
			return "kernel without CONFIG_SLUB_DEBUG, or /proc not mounted";
		case IN_SLABSYS:
			return "not a SLUB kernel (SLAB before 6.8), or sysfs not mounted";
		default:
			return NULL;
		}
	}
	return NULL;
}

static bool is_perm(int err)
{
	return err == -EACCES || err == -EPERM;
}

int cli_check_inputs(const struct machine *m, unsigned mask, unsigned required)
{
	int rc = EXIT_OK;

	for (int id = 0; id < IN__COUNT; id++) {
		const struct input_status *st = &m->in[id];
		const char *hint;

		if (!(mask & IN_BIT(id)) || !st->attempted || st->loaded)
			continue;
		hint = cli_input_hint(m, (enum input_id)id, st);
		if (st->parse_error) {
			if (st->perr.line)
				cli_error("%s:%u: %s", st->path, st->perr.line, st->perr.what);
			else
				cli_error("%s: %s", st->path, st->perr.what);
			cli_status(&rc, EXIT_INPUT);
		} else if (required & IN_BIT(id)) {
			cli_error("cannot read '%s': %s%s%s%s", st->path, cli_input_reason(st),
				  hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
			cli_status(&rc, is_perm(st->err) ? EXIT_PERM : EXIT_INPUT);
		} else {
			bool hint_only = hint && st->err == -ENOENT;

			fprintf(stderr, "fragscope: '%s' is unavailable (%s%s%s): %s not shown\n",
				st->path, hint_only ? "" : cli_input_reason(st),
				hint && !hint_only ? ", " : "", hint ? hint : "",
				input_name((enum input_id)id));
		}
	}
	return rc;
}

void cli_json_unavailable(struct json *j, const struct machine *m, unsigned mask)
{
	json_key(j, "unavailable");
	json_begin_array(j);
	for (int id = 0; id < IN__COUNT; id++) {
		const struct input_status *st = &m->in[id];
		const char *hint;

		if (!(mask & IN_BIT(id)) || !st->attempted || st->loaded)
			continue;
		hint = cli_input_hint(m, (enum input_id)id, st);
		json_begin_object(j);
		json_kv_string(j, "input", input_name((enum input_id)id));
		json_kv_string(j, "path", st->path);
		json_kv_string(j, "error", st->parse_error ? "malformed" :
				 is_perm(st->err) ? "permission denied" :
				 st->err == -ENOENT ? "not found" : "unreadable");
		json_kv_string(j, "reason", cli_input_reason(st));
		if (st->parse_error)
			json_kv_u64(j, "line", st->perr.line);
		if (hint)
			json_kv_string(j, "hint", hint);
		json_end_object(j);
	}
	json_end_array(j);
}

void cli_json_head(struct json *j, const struct options *o, const struct machine *m,
		   const char *command)
{
	json_kv_u64(j, "schema_version", 1);
	json_kv_string(j, "command", command);
	json_key(j, "source");
	json_begin_object(j);
	json_kv_string(j, "root", o->root ? o->root : "/");
	json_kv_bool(j, "live", m->live);
	json_kv_string(j, "kernel_release", m->kernel_release[0] ? m->kernel_release : NULL);
	json_kv_u64(j, "page_size_bytes", m->page_size);
	json_kv_string(j, "page_size_source", page_size_source_name(m->page_size_src));
	json_end_object(j);
}

struct json *cli_json_begin(const struct options *o, const struct machine *m, const char *command)
{
	struct json *j = json_new(stdout, o->pretty);

	if (!j) {
		cli_error("out of memory");
		return NULL;
	}
	json_begin_object(j);
	cli_json_head(j, o, m, command);
	return j;
}

void cli_json_end(struct json *j, const struct machine *m, unsigned mask)
{
	cli_json_unavailable(j, m, mask);
	json_end_object(j);
	json_finish(j);
	json_free(j);
}

int cli_zones(const struct machine *m, struct zone_view **ret, size_t *ret_n)
{
	if (zones_collect(m->in[IN_BUDDYINFO].loaded ? &m->buddy : NULL,
			  m->in[IN_ZONEINFO].loaded ? &m->zi : NULL,
			  m->in[IN_PAGETYPEINFO].loaded ? &m->pt : NULL, ret, ret_n) < 0) {
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int cli_load(const struct options *o, unsigned mask, unsigned required,
	     struct source **ret_src, struct machine *m)
{
	return cli_load_opts(o, mask, required, NULL, ret_src, m);
}

/* Open the source and load mask; EXIT_OK, or an exit code after saying why. */
static int load_only(const struct options *o, unsigned mask, const struct load_opts *opts,
		     struct source **ret_src, struct machine *m)
{
	int rc;

	memset(m, 0, sizeof(*m));
	*ret_src = NULL;
	rc = cli_open_source(o, ret_src);
	if (rc)
		return rc;
	if (machine_load_opts(*ret_src, mask, opts, m) < 0) {
		cli_error("out of memory");
		machine_free(m);
		memset(m, 0, sizeof(*m));
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int cli_load_slab(const struct options *o, unsigned mask, const struct load_opts *lo,
		  struct source **ret_src, struct machine *m)
{
	return load_only(o, mask, lo, ret_src, m);
}

int cli_check_slab_inputs(const struct machine *m, unsigned mask)
{
	/* A SLAB kernel (tunables in /proc/slabinfo) has no /sys/kernel/slab:
	 * nothing is missing there, so do not say so. */
	if (m->slab.slab_allocator)
		mask &= ~IN_BIT(IN_SLABSYS);
	return cli_check_inputs(m, mask, 0);
}

int cli_load_opts(const struct options *o, unsigned mask, unsigned required,
		  const struct load_opts *opts, struct source **ret_src, struct machine *m)
{
	int rc = load_only(o, mask, opts, ret_src, m);

	if (rc)
		return rc;
	return cli_check_inputs(m, mask, required);
}

int cli_open_source(const struct options *o, struct source **ret)
{
	char why[512] = "";
	int r = source_open_why(o->root, ret, why, sizeof(why));

	if (r < 0) {
		cli_error("cannot open root '%s': %s", o->root, why[0] ? why : strerror(-r));
		return r == -EACCES || r == -EPERM ? EXIT_PERM : EXIT_INPUT;
	}
	return EXIT_OK;
}

struct table_opts cli_table_opts(const struct options *o)
{
	struct table_opts t = {
		.raw = o->raw,
		.noheadings = o->noheadings,
		.bytes = o->bytes,
		.color = o->color,
	};
	return t;
}

int cli_select_columns(const struct options *o, struct table **tables, size_t n)
{
	const char *p;

	if (!o->output)
		return EXIT_OK;
	if (strcmp(o->output, "help") == 0) {
		printf("Columns of '%s' (-o NAME,NAME,...; * = shown only when named):\n", o->cmd->name);
		for (size_t i = 0; i < n; i++) {
			if (!tables[i])
				continue;
			printf("%stable %s:\n", i ? "\n" : "", table_name(tables[i]));
			for (int c = 0; c < table_ncolumns(tables[i]); c++)
				printf("  %-15s%s %s\n", table_column_name(tables[i], c),
				       table_column_hidden(tables[i], c) ? "*" : " ",
				       table_column_help(tables[i], c));
		}
		return -1;
	}
	for (p = o->output; *p;) {
		size_t len = strcspn(p, ",");
		bool known = false;

		for (size_t i = 0; i < n; i++)
			if (tables[i] && table_knows(tables[i], p, len))
				known = true;
		if (!known && len) {
			fprintf(stderr, "fragscope: unknown column '%.*s'\n", (int)len, p);
			fputs("Try 'fragscope ", stderr);
			fputs(o->cmd->name, stderr);
			fputs(" -o help' for the list of columns.\n", stderr);
			return EXIT_USAGE;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	/* Print the tables that hold the most of the requested columns:
	 * "-o zone,freepages" is about the zone table, not a one-column
	 * excerpt of every table that happens to have ZONE. */
	int best = 0, *got = calloc(n ? n : 1, sizeof(*got));

	if (!got)
		return EXIT_INPUT;
	for (size_t i = 0; i < n; i++) {
		got[i] = tables[i] ? table_select(tables[i], o->output) : 0;
		if (got[i] > best)
			best = got[i];
	}
	for (size_t i = 0; i < n; i++) {
		if (tables[i] && got[i] < best) {
			table_free(tables[i]);
			tables[i] = NULL;
		}
	}
	free(got);
	return EXIT_OK;
}

int cli_finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return rc;
		fprintf(stderr, "fragscope: write error: %s\n", strerror(errno));
		return EXIT_OUTPUT;
	}
	return rc;
}

int cli_read_file(const char *path, size_t max, char **ret, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return -errno;
	for (;;) {
		size_t got;

		if (n == cap) {
			size_t nc = cap ? cap * 2 : 65536;
			char *nb;

			if (cap > max) {
				fclose(f);
				free(buf);
				return -EFBIG;
			}
			nb = realloc(buf, nc + 1);
			if (!nb) {
				fclose(f);
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap = nc;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f) || n > max) {
		int e = ferror(f) ? -EIO : -EFBIG;

		fclose(f);
		free(buf);
		return e;
	}
	fclose(f);
	*ret = buf;
	*len = n;
	return 0;
}

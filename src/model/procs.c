/*
 * procs.c - the process model (see procs.h): kinds of task, the rows of
 * the process table, the values taken from smaps_rollup, sorting and
 * totals.  No I/O.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "maps.h"
#include "procs.h"

void proc_status_free(struct proc_status *s)
{
	free(s->name);
	memset(s, 0, sizeof(*s));
}

enum proc_kind proc_status_kind(const struct proc_status *s)
{
	bool dead = (s->have & STATUS_STATE) && (s->state == 'Z' || s->state == 'X');

	if (s->have & STATUS_KTHREAD)
		return s->kthread ? PROC_KTHREAD : (s->have & STATUS_VM_RSS) ? PROC_USER : PROC_NO_MM;
	if (s->have & STATUS_VM_RSS)
		return PROC_USER;
	return dead ? PROC_NO_MM : PROC_KTHREAD;
}

const char *passwd_db_name(const struct passwd_db *db, uint32_t uid)
{
	for (size_t i = 0; i < db->n; i++)
		if (db->e[i].uid == uid)
			return db->e[i].name;
	return NULL;
}

void passwd_db_free(struct passwd_db *db)
{
	for (size_t i = 0; i < db->n; i++)
		free(db->e[i].name);
	free(db->e);
	memset(db, 0, sizeof(*db));
}

bool proc_row_rollup(const struct proc_row *r, enum proc_rollup_value v, uint64_t *ret_kb)
{
	if (!r->rollup || (unsigned)v >= PR_NR || !(r->rhave & (1u << v)))
		return false;
	*ret_kb = r->rv[v];
	return true;
}

bool proc_row_swap(const struct proc_row *r, uint64_t *ret_kb)
{
	if (proc_row_rollup(r, PR_SWAP, ret_kb))
		return true;
	if (r->rollup || !(r->have & STATUS_VM_SWAP))
		return false;
	*ret_kb = r->vm_swap_kb;
	return true;
}

void proc_row_free(struct proc_row *r)
{
	free(r->user);
	free(r->cmd);
	memset(r, 0, sizeof(*r));
}

/* sum + v in kB, saturating where the byte count would overflow. */
static uint64_t add_kb(uint64_t sum, uint64_t v)
{
	uint64_t r;

	if (__builtin_add_overflow(sum, v, &r) || r > UINT64_MAX / 1024)
		return UINT64_MAX / 1024;
	return r;
}

void proc_row_set_rollup(struct proc_row *r, const struct smaps_rollup *ro)
{
	static const struct { enum proc_rollup_value v; enum smaps_counter c; } map[] = {
		{ PR_RSS, SMAPS_RSS },
		{ PR_PSS, SMAPS_PSS },
		{ PR_PSS_ANON, SMAPS_PSS_ANON },
		{ PR_PSS_FILE, SMAPS_PSS_FILE },
		{ PR_PSS_SHMEM, SMAPS_PSS_SHMEM },
		{ PR_PSS_DIRTY, SMAPS_PSS_DIRTY },
		{ PR_SHARED_CLEAN, SMAPS_SHARED_CLEAN },
		{ PR_SHARED_DIRTY, SMAPS_SHARED_DIRTY },
		{ PR_PRIVATE_CLEAN, SMAPS_PRIVATE_CLEAN },
		{ PR_PRIVATE_DIRTY, SMAPS_PRIVATE_DIRTY },
		{ PR_SWAP, SMAPS_SWAP },
		{ PR_SWAP_PSS, SMAPS_SWAP_PSS },
		{ PR_SHARED_HUGETLB, SMAPS_SHARED_HUGETLB },
		{ PR_PRIVATE_HUGETLB, SMAPS_PRIVATE_HUGETLB },
	};
	uint64_t kb;

	r->rollup = true;
	r->rhave = 0;
	memset(r->rv, 0, sizeof(r->rv));
	if (ro->c.have == 0) {
		/* No mm: nothing mapped, so every value is truly 0. */
		r->rhave = (1u << PR_NR) - 1;
		return;
	}
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (smaps_rollup_counter(ro, map[i].c, &kb)) {
			r->rv[map[i].v] = kb;
			r->rhave |= 1u << map[i].v;
		}
	}
	if ((r->rhave & (1u << PR_PRIVATE_CLEAN)) && (r->rhave & (1u << PR_PRIVATE_DIRTY))) {
		r->rv[PR_USS] = add_kb(r->rv[PR_PRIVATE_CLEAN], r->rv[PR_PRIVATE_DIRTY]);
		r->rhave |= 1u << PR_USS;
	}
}

/* ---- sorting ---------------------------------------------------------- */

static const char *const sort_names[] = {
	[PROCS_SORT_PID] = "pid",
	[PROCS_SORT_USER] = "user",
	[PROCS_SORT_RSS] = "rss",
	[PROCS_SORT_PSS] = "pss",
	[PROCS_SORT_USS] = "uss",
	[PROCS_SORT_SWAP] = "swap",
	[PROCS_SORT_COMMAND] = "command",
};

int procs_sort_parse(const char *s, enum procs_sort_key *ret)
{
	for (size_t i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++) {
		if (strcasecmp(s, sort_names[i]) == 0) {
			*ret = (enum procs_sort_key)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *procs_sort_name(enum procs_sort_key k)
{
	return (unsigned)k < sizeof(sort_names) / sizeof(sort_names[0]) ? sort_names[k] : "?";
}

/* A size key of a row; false when the row does not have it. */
static bool size_of(const struct proc_row *r, enum procs_sort_key k, uint64_t *v)
{
	switch (k) {
	case PROCS_SORT_RSS:
		*v = r->vm_rss_kb;
		return r->have & STATUS_VM_RSS;
	case PROCS_SORT_PSS:
		return proc_row_rollup(r, PR_PSS, v);
	case PROCS_SORT_USS:
		return proc_row_rollup(r, PR_USS, v);
	case PROCS_SORT_SWAP:
		return proc_row_swap(r, v);
	default:
		return false;
	}
}

/* The user as the table shows it: the name, or the uid in decimal. */
static const char *user_text(const struct proc_row *r, char buf[16])
{
	if (r->user)
		return r->user;
	snprintf(buf, 16, "%u", (unsigned)r->uid);
	return buf;
}

/* qsort() has no context argument; the key is set for the one call. */
static enum procs_sort_key sort_key;

static int row_cmp(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;
	char bx[16], by[16];
	uint64_t vx = 0, vy = 0;
	bool hx, hy;
	int c = 0;

	switch (sort_key) {
	case PROCS_SORT_PID:
		break;
	case PROCS_SORT_USER:
		c = strcmp(user_text(x, bx), user_text(y, by));
		break;
	case PROCS_SORT_COMMAND:
		if (!x->cmd || !y->cmd)
			c = (x->cmd == NULL) - (y->cmd == NULL);
		else
			c = strcmp(x->cmd, y->cmd);
		break;
	default:
		hx = size_of(x, sort_key, &vx);
		hy = size_of(y, sort_key, &vy);
		if (hx != hy)
			c = hx ? -1 : 1;
		else if (vx != vy)
			c = vx > vy ? -1 : 1;
		break;
	}
	if (c)
		return c;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

void procs_sort(struct proc_row *rows, size_t n, enum procs_sort_key k)
{
	sort_key = k;
	if (n > 1)
		qsort(rows, n, sizeof(*rows), row_cmp);
}

void procs_total(const struct proc_row *rows, size_t n, struct procs_totals *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->rows = n;
	for (size_t i = 0; i < n; i++) {
		const struct proc_row *r = &rows[i];
		uint64_t v;

		if (r->have & STATUS_VM_RSS) {
			ret->rss_kb = add_kb(ret->rss_kb, r->vm_rss_kb);
			ret->rss_n++;
		}
		if (proc_row_rollup(r, PR_PSS, &v)) {
			ret->pss_kb = add_kb(ret->pss_kb, v);
			ret->pss_n++;
		}
		if (proc_row_rollup(r, PR_USS, &v)) {
			ret->uss_kb = add_kb(ret->uss_kb, v);
			ret->uss_n++;
		}
		if (proc_row_swap(r, &v)) {
			ret->swap_kb = add_kb(ret->swap_kb, v);
			ret->swap_n++;
		}
	}
}

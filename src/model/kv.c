/*
 * kv.c - ordered name/value list (see kv.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "../util/util.h"

int kvlist_add(struct kvlist *l, const char *name, size_t namelen, uint64_t value)
{
	char *copy;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct kv *p = realloc(l->items, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->items = p;
		l->cap = cap;
	}
	if (l->n < l->named) {
		copy = l->items[l->n].name;
		if (strnlen(copy, namelen + 1) == namelen && memcmp(copy, name, namelen) == 0) {
			l->items[l->n++].value = value;
			return 0;
		}
		/* Another name here now: the rest will not match either. */
		kvlist_trim(l);
	}
	copy = xstrndup(name, namelen);
	if (!copy)
		return -ENOMEM;
	l->items[l->n].name = copy;
	l->items[l->n].value = value;
	l->n++;
	l->named = l->n;
	return 0;
}

void kvlist_recycle(struct kvlist *l)
{
	if (l->named < l->n)
		l->named = l->n;
	l->n = 0;
}

void kvlist_trim(struct kvlist *l)
{
	for (size_t i = l->n; i < l->named; i++)
		free(l->items[i].name);
	l->named = l->n;
}

const struct kv *kvlist_find(const struct kvlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	return NULL;
}

bool kvlist_get(const struct kvlist *l, const char *name, uint64_t *ret)
{
	const struct kv *kv = kvlist_find(l, name);

	if (!kv)
		return false;
	*ret = kv->value;
	return true;
}

void kvlist_free(struct kvlist *l)
{
	kvlist_recycle(l);
	kvlist_trim(l);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

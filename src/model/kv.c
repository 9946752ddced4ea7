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
	copy = xstrndup(name, namelen);
	if (!copy)
		return -ENOMEM;
	l->items[l->n].name = copy;
	l->items[l->n].value = value;
	l->n++;
	return 0;
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
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].name);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

/*
 * A snapshot written by `pipc ls -J`: kind, name and inode of each object,
 * so that gc --since can tell what appeared after it. Every other field is
 * checked as JSON and ignored; nothing depends on one object per line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct entry {
	struct pipc_snap_obj o;
	unsigned	 seen;		/* 1 type, 2 name, 4 inode */
};

/* "\"type\" is not shm, sem or mq", from the kind table. */
static const char *
not_a_kind(void)
{
	static char why[128];
	int t;

	if (why[0] != '\0')
		return why;
	strlcpy(why, "\"type\" is not ", sizeof(why));
	for (t = 0; t < PIPC_NTYPES; t++) {
		if (t > 0)
			strlcat(why, t + 1 == PIPC_NTYPES ? " or " : ", ",
			    sizeof(why));
		strlcat(why, pipc_type_name((enum pipc_type)t), sizeof(why));
	}
	return why;
}

static int
object_member(struct pipc_json *r, const char *key, void *arg)
{
	struct entry *e = arg;
	unsigned long long u;

	if (strcmp(key, "type") == 0) {
		if (e->seen & 1)
			return pipc_json_fail(r, "\"type\" given twice");
		if (pipc_json_string(r) == -1)
			return -1;
		if (pipc_type_parse(r->str, &e->o.type) == -1)
			return pipc_json_fail(r, not_a_kind());
		e->seen |= 1;
	} else if (strcmp(key, "name") == 0) {
		if (e->seen & 2)
			return pipc_json_fail(r, "\"name\" given twice");
		if (pipc_json_string(r) == -1)
			return -1;
		/* A decoded \u0000 would cut the name short: refuse it. */
		if (r->str[0] != '/' || r->str[1] == '\0' ||
		    strlen(r->str) != r->len)
			return pipc_json_fail(r, "\"name\" is not \"/NAME\"");
		if ((e->o.name = strdup(r->str + 1)) == NULL)
			return pipc_json_fail(r, "out of memory");
		e->seen |= 2;
	} else if (strcmp(key, "inode") == 0) {
		if (e->seen & 4)
			return pipc_json_fail(r, "\"inode\" given twice");
		if (pipc_json_uint(r, &u) == -1)
			return -1;
		if (u == 0 || (unsigned long long)(ino_t)u != u)
			return pipc_json_fail(r, "\"inode\" out of range");
		e->o.ino = (ino_t)u;
		e->seen |= 4;
	} else
		return pipc_json_value(r);
	return 0;
}

static int
object(struct pipc_json *r, void *arg)
{
	struct pipc_snapshot *s = arg;
	struct pipc_snap_obj *v;
	struct entry e;
	size_t cap;

	memset(&e, 0, sizeof(e));
	if (pipc_json_object(r, object_member, &e) == -1) {
		free(e.o.name);
		return -1;
	}
	if (e.seen != 7) {
		free(e.o.name);
		return pipc_json_fail(r,
		    "an object lacks \"type\", \"name\" or \"inode\"");
	}
	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 2 : 64;
		if ((v = reallocarray(s->v, cap, sizeof(*v))) == NULL) {
			free(e.o.name);
			return pipc_json_fail(r, "out of memory");
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = e.o;
	return 0;
}

static int
top_member(struct pipc_json *r, const char *key, void *arg)
{
	struct pipc_snapshot *s = arg;

	if (strcmp(key, "objects") != 0)
		return pipc_json_value(r);
	if (s->found)
		return pipc_json_fail(r, "\"objects\" given twice");
	s->found = 1;
	return pipc_json_array(r, object, s);
}

static int
cmp_snap(const void *a, const void *b)
{
	const struct pipc_snap_obj *x = a, *y = b;

	if (x->type != y->type)
		return (int)x->type - (int)y->type;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Read the len bytes at buf as a `pipc ls -J` document into s. Returns -1
 * with errno EINVAL, *why saying what is wrong and *off at which byte.
 */
int
pipc_snapshot_parse(struct pipc_snapshot *s, const char *buf, size_t len,
    const char **why, size_t *off)
{
	struct pipc_json r;
	int rv;

	memset(s, 0, sizeof(*s));
	pipc_json_init(&r, buf, len);
	rv = pipc_json_object(&r, top_member, s);
	if (rv == 0 && !s->found)
		rv = pipc_json_fail(&r, "no \"objects\" array");
	if (pipc_json_finish(&r, rv) == -1) {
		*why = r.why;
		*off = (size_t)(r.p - r.start);
		pipc_snapshot_free(s);
		errno = EINVAL;
		return -1;
	}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_snap);
	return 0;
}

/* Was the object of kind t with this name and inode in the snapshot? */
int
pipc_snapshot_has(const struct pipc_snapshot *s, enum pipc_type t,
    const char *name, ino_t ino)
{
	struct pipc_snap_obj key;

	key.type = t;
	key.ino = ino;
	key.name = (char *)name;
	return s->n > 0 && bsearch(&key, s->v, s->n, sizeof(*s->v),
	    cmp_snap) != NULL;
}

void
pipc_snapshot_free(struct pipc_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

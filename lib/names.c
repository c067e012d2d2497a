/* Object kinds, states and the rules a name must follow. */
#include <string.h>

#include "internal.h"

static const char *const states[PIPC_NSTATES] = {
	"in-use", "orphan", "stale-lock", "corrupt", "deleted", "foreign",
	"unknown"
};

const char *
pipc_type_name(enum pipc_type t)
{
	return pipc_kind(t)->name;
}

int
pipc_type_parse(const char *s, enum pipc_type *t)
{
	int i;

	for (i = 0; i < PIPC_NTYPES; i++)
		if (strcmp(s, pipc_kind((enum pipc_type)i)->name) == 0) {
			*t = (enum pipc_type)i;
			return 0;
		}
	return -1;
}

const char *
pipc_state_name(enum pipc_state s)
{
	return states[s];
}

/*
 * Split a kind prefix ("shm:", "sem:", "mq:") off arg: *types becomes that
 * kind and *rest what follows. Without a prefix, *types is left alone.
 */
int
pipc_name_split(const char *arg, unsigned *typemask, const char **rest)
{
	const char *colon, *kind;
	int t;

	*rest = arg;
	if ((colon = strchr(arg, ':')) == NULL)
		return 0;
	for (t = 0; t < PIPC_NTYPES; t++) {
		kind = pipc_kind((enum pipc_type)t)->name;
		if (strlen(kind) == (size_t)(colon - arg) &&
		    memcmp(arg, kind, (size_t)(colon - arg)) == 0) {
			*typemask = PIPC_TYPE_BIT(t);
			*rest = colon + 1;
			return 1;
		}
	}
	return 0;
}

/*
 * Check a name given as "/name" or "name" for an object of kind t. Returns
 * the bare name (inside arg), or NULL with *why saying which rule it broke.
 *
 * shm_open("/sem.x") makes /dev/shm/sem.x, the very file sem_open("/x")
 * uses for the semaphore x: glibc, the scanner and every reader can only
 * take it for that semaphore. So no name's file may begin with the prefix
 * of another kind that lives beside it (pipc_name_taken).
 */
const char *
pipc_name_check(const char *arg, enum pipc_type t, const char **why)
{
	const struct pipc_kind *k = pipc_kind(t);
	const char *name = arg[0] == '/' ? arg + 1 : arg, *rest;
	int other;

	if (*name == '\0')
		*why = "a name cannot be empty";
	else if (strchr(name, '/') != NULL)
		*why = "a name holds no '/' but the leading one";
	else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		*why = "a name cannot be '.' or '..'";
	else if (strlen(name) > NAME_MAX - strlen(k->prefix))
		*why = k->too_long != NULL ? k->too_long :
		    "a name is longer than 255 bytes (NAME_MAX)";
	else if ((other = pipc_name_taken(name, t, &rest)) != -1)
		*why = pipc_kind((enum pipc_type)other)->taken;
	else
		return name;
	return NULL;
}

/* Does kind o's prefix make a file name of kind k another kind's? */
static int
takes(const struct pipc_kind *o, const struct pipc_kind *k)
{
	size_t n = strlen(k->prefix);

	return o != k && o->dir == k->dir && strlen(o->prefix) > n &&
	    strncmp(o->prefix, k->prefix, n) == 0;
}

/*
 * Is the file of name (bare) as an object of kind t one that begins with
 * the prefix of another kind of its directory? That kind, with *rest the
 * name it would have there ("x" of the shm name "sem.x"), or -1. The whole
 * prefix decides, as glibc's sem_open sees it: even "sem." alone is taken.
 */
int
pipc_name_taken(const char *name, enum pipc_type t, const char **rest)
{
	const struct pipc_kind *k = pipc_kind(t), *o;
	size_t n = strlen(k->prefix), on;
	int i;

	for (i = 0; i < PIPC_NTYPES; i++) {
		o = pipc_kind((enum pipc_type)i);
		if (!takes(o, k))
			continue;
		on = strlen(o->prefix);
		if (strncmp(name, o->prefix + n, on - n) == 0) {
			*rest = name + on - n;
			return i;
		}
	}
	return -1;
}

/*
 * Of the kinds in mask (not empty), the one with the fewest rules on names:
 * the shortest prefix, and then no other kind's prefix to avoid. A name
 * that fits none of them is told the rule of that kind that it broke.
 */
enum pipc_type
pipc_name_loosest(unsigned mask)
{
	size_t cost, best = (size_t)-1;
	int t, i, pick = 0;

	for (t = 0; t < PIPC_NTYPES; t++) {
		if (!(mask & PIPC_TYPE_BIT(t)))
			continue;
		cost = strlen(pipc_kind((enum pipc_type)t)->prefix) * 2;
		for (i = 0; i < PIPC_NTYPES; i++)
			if (takes(pipc_kind((enum pipc_type)i),
			    pipc_kind((enum pipc_type)t))) {
				cost++;
				break;
			}
		if (cost < best) {
			best = cost;
			pick = t;
		}
	}
	return (enum pipc_type)pick;
}

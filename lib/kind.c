/* The kinds of object: the table that every loop over kinds reads. */
#include <string.h>

#include "internal.h"

/* Each row is in its kind's own file; a kind without one here is none. */
static const struct pipc_kind *const kinds[PIPC_NTYPES] = {
	[PIPC_SHM] = &pipc_kind_shm,
	[PIPC_SEM] = &pipc_kind_sem,
	[PIPC_MQ] = &pipc_kind_mq,
};

const struct pipc_kind *
pipc_kind(enum pipc_type t)
{
	return kinds[t];
}

/*
 * The kind of the entry file in the directory dir (an offsetof(struct
 * pipc_dirs, ...)), or -1 when no kind lives there: the first kind there
 * that claims it, else the one that takes the rest.
 */
int
pipc_kind_claim(size_t dir, const char *file)
{
	int t, rest = -1;

	for (t = 0; t < PIPC_NTYPES; t++) {
		if (kinds[t]->dir != dir)
			continue;
		if (kinds[t]->claim == NULL)
			rest = t;
		else if (kinds[t]->claim(file))
			return t;
	}
	return rest;
}

/* The kinds that live in the directory dir, as a type mask. */
unsigned
pipc_kinds_at(size_t dir)
{
	unsigned mask = 0;
	int t;

	for (t = 0; t < PIPC_NTYPES; t++)
		if (kinds[t]->dir == dir)
			mask |= PIPC_TYPE_BIT(t);
	return mask;
}

/* The kind of object that command cmd's operand names, or -1 (rm, ls). */
int
pipc_kind_of_command(const char *cmd)
{
	const char *const *c;
	int t;

	for (t = 0; t < PIPC_NTYPES; t++)
		for (c = kinds[t]->cmds; *c != NULL; c++)
			if (strcmp(*c, cmd) == 0)
				return t;
	return -1;
}

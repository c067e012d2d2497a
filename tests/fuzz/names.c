/*
 * Fuzz the name rules: pipc_name_split, pipc_name_check, pipc_name_taken,
 * pipc_sem_tempname.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static void
check(const char *arg, enum pipc_type t)
{
	const char *name, *why = NULL;
	size_t max = NAME_MAX - (t == PIPC_SEM ? 4 : 0);

	if ((name = pipc_name_check(arg, t, &why)) == NULL) {
		if (why == NULL || *why == '\0')
			abort();
		return;
	}
	/* What passes must be safe to join to a directory as one file. */
	if (name != arg && name != arg + 1)
		abort();
	if (*name == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    strlen(name) > max)
		abort();
	/* Its file would be the semaphore's: glibc's sem_open, not shm. */
	if (t == PIPC_SHM && strncmp(name, "sem.", 4) == 0)
		abort();
}

/* The kinds differ only by those two rules: length and "sem.". */
static void
agree(const char *arg)
{
	const char *why, *name;
	int shm, sem, mq;

	shm = pipc_name_check(arg, PIPC_SHM, &why) != NULL;
	sem = pipc_name_check(arg, PIPC_SEM, &why) != NULL;
	mq = (name = pipc_name_check(arg, PIPC_MQ, &why)) != NULL;
	if ((shm || sem) && !mq)
		abort();
	if (mq && !shm && strncmp(name, "sem.", 4) != 0)
		abort();
	if (mq && !sem && strlen(name) <= NAME_MAX - 4)
		abort();
}

/* Only a shm name's file can be another kind's: "sem.x", the semaphore x. */
static void
taken(const char *name)
{
	const char *rest = NULL;
	int t;

	t = pipc_name_taken(name, PIPC_SHM, &rest);
	if (strncmp(name, "sem.", 4) == 0 ?
	    t != PIPC_SEM || rest != name + 4 : t != -1)
		abort();
	if (pipc_name_taken(name, PIPC_SEM, &rest) != -1 ||
	    pipc_name_taken(name, PIPC_MQ, &rest) != -1)
		abort();
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *rest;
	unsigned mask = 0;
	char *s;
	int t;

	/* The command line cannot hold a NUL: cut there, as argv would. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (pipc_name_split(s, &mask, &rest) == 1) {
		if (mask == 0 || (mask & (mask - 1)) != 0 ||
		    (mask & ~PIPC_ALL_TYPES) != 0 || rest[-1] != ':' ||
		    rest - s > 4)
			abort();
	} else if (rest != s || mask != 0)
		abort();
	for (t = 0; t < PIPC_NTYPES; t++)
		check(rest, (enum pipc_type)t);
	agree(rest);
	taken(rest);
	if (pipc_sem_tempname(rest) && strlen(rest) != 6)
		abort();
	free(s);
	return 0;
}

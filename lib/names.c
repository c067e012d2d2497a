/* Object kinds, states and the rules a name must follow. */
#include <string.h>

#include "pipc.h"

static const char *const types[PIPC_NTYPES] = { "shm", "sem", "mq" };
static const char *const states[PIPC_NSTATES] = {
	"in-use", "orphan", "stale-lock", "corrupt", "foreign", "unknown"
};

const char *
pipc_type_name(enum pipc_type t)
{
	return types[t];
}

int
pipc_type_parse(const char *s, enum pipc_type *t)
{
	int i;

	for (i = 0; i < PIPC_NTYPES; i++)
		if (strcmp(s, types[i]) == 0) {
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
 * Split a "shm:", "sem:" or "mq:" prefix off arg: *types becomes that kind
 * and *rest what follows. Without a prefix, *types is left alone.
 */
int
pipc_name_split(const char *arg, unsigned *typemask, const char **rest)
{
	const char *colon;
	enum pipc_type t;
	char kind[4];
	size_t n;

	*rest = arg;
	if ((colon = strchr(arg, ':')) == NULL || (n = colon - arg) > 3)
		return 0;
	memcpy(kind, arg, n);
	kind[n] = '\0';
	if (pipc_type_parse(kind, &t) == -1)
		return 0;
	*typemask = PIPC_TYPE_BIT(t);
	*rest = colon + 1;
	return 1;
}

/*
 * Check a name given as "/name" or "name" for an object of kind t. Returns
 * the bare name (inside arg), or NULL with *why saying which rule it broke.
 *
 * shm_open("/sem.x") makes /dev/shm/sem.x, the very file sem_open("/x")
 * uses for the semaphore x: glibc, the scanner and every reader can only
 * take it for that semaphore. So no shared memory name begins "sem.".
 */
const char *
pipc_name_check(const char *arg, enum pipc_type t, const char **why)
{
	const char *name = arg[0] == '/' ? arg + 1 : arg;
	size_t max = NAME_MAX - (t == PIPC_SEM ? 4 : 0);

	if (*name == '\0')
		*why = "a name cannot be empty";
	else if (strchr(name, '/') != NULL)
		*why = "a name holds no '/' but the leading one";
	else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		*why = "a name cannot be '.' or '..'";
	else if (strlen(name) > max)
		*why = t == PIPC_SEM ?
		    "a semaphore name is longer than 251 bytes (NAME_MAX "
		    "less the 4 of \"sem.\")" :
		    "a name is longer than 255 bytes (NAME_MAX)";
	else if (t == PIPC_SHM && strncmp(name, "sem.", 4) == 0)
		*why = "a shared memory name cannot begin with \"sem.\": "
		    "sem.NAME is the file of the semaphore NAME";
	else
		return name;
	return NULL;
}

/*
 * glibc's sem_open builds a semaphore as "sem.XXXXXX", six random letters
 * and digits, before linking it to its name. Words like "mutex1" look the
 * same; asking for a lower-case letter and an upper-case letter or digit
 * spares most of them ("waited", "LOCKED") and misses few real leftovers.
 */
int
pipc_sem_tempname(const char *name)
{
	int lower = 0, other = 0;
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if (name[i] >= 'a' && name[i] <= 'z')
			lower = 1;
		else if ((name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9'))
			other = 1;
		else
			return 0;
	return i == 6 && lower && other;
}

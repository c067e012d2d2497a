/*
 * Fuzz the creator patterns: pipc_creator_of against a matcher of its
 * own (backtracking, where creator.c takes digit runs greedily), for every
 * kind. The first byte of the input picks the kind, the rest is the name.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static int
in_run(char p, unsigned char c)
{
	if (p == '#')
		return c >= '0' && c <= '9';
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Whether s is of p, trying every length of every run. */
static int
naive(const char *p, const char *s)
{
	size_t n;

	if (*p == '\0')
		return *s == '\0';
	if (*p == '*')
		return *s != '\0' && p[1] == '\0';
	if (*p == '#' || *p == '@') {
		for (n = 0; in_run(*p, (unsigned char)s[n]); n++)
			if (naive(p + 1, s + n + 1))
				return 1;
		return 0;
	}
	return *s == *p && naive(p + 1, s + 1);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const struct pipc_creator *c, *want = NULL;
	const char *name;
	enum pipc_type t;
	char *s;
	size_t i;

	if (size == 0)
		return 0;
	t = (enum pipc_type)(data[0] % PIPC_NTYPES);
	/* A file name cannot hold a NUL: cut there. */
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	name = *s == '/' ? s + 1 : s;
	for (i = 0; i < pipc_ncreators && want == NULL; i++)
		if ((pipc_creators[i].kinds & PIPC_TYPE_BIT(t)) &&
		    naive(pipc_creators[i].pattern, name))
			want = &pipc_creators[i];
	c = pipc_creator_of(t, s);
	if (c != want)
		abort();
	if (c != NULL && (pipc_keep_name(c->keep) == NULL ||
	    c->program == NULL || c->source == NULL))
		abort();
	free(s);
	return 0;
}

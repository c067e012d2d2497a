/*
 * A command's option rows made into what each reader needs: getopt_long's
 * strings, the -h text, the synopsis and the lists `pipc __complete` gives
 * the shell completions.
 */
#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define MAXROWS	48

/* The letter of a row that has one: an alias is only another long name. */
static int
letter(const struct opt *o)
{
	return o->val < 0x100 && !(o->flags & O_ALIAS) ? o->val : 0;
}

/*
 * getopt_long on c's rows. The strings are made at the first call: a
 * process runs one command, so they are made once.
 */
int
getopt_cmd(const struct cmd *c, int argc, char **argv)
{
	static struct option longopts[MAXROWS + 1];
	static char shortopts[MAXROWS * 2 + 2];
	static const struct cmd *made;
	const struct opt *o;
	size_t nl = 0, ns = 0;

	if (made != c) {
		if (c->inorder)
			shortopts[ns++] = '+';
		for (o = c->opts; o->val != 0; o++) {
			if (nl == MAXROWS)
				errx(1, "%s: more than %d options", c->name,
				    MAXROWS);
			if (o->name != NULL)
				longopts[nl++] = (struct option){ o->name,
				    o->arg != NULL ? required_argument :
				    no_argument, NULL, o->val };
			if (letter(o)) {
				shortopts[ns++] = (char)o->val;
				if (o->arg != NULL)
					shortopts[ns++] = ':';
			}
		}
		longopts[nl] = (struct option){ NULL, 0, NULL, 0 };
		shortopts[ns] = '\0';
		made = c;
	}
	return getopt_long(argc, argv, shortopts, longopts, NULL);
}

/* Flags as usage bundles them, "-bJnpr0": letters in order, digits last. */
static int
bundle_order(const void *a, const void *b)
{
	int x = *(const char *)a, y = *(const char *)b;
	int kx = isdigit(x) ? 1000 + x : tolower(x) * 2 + !!isupper(x);
	int ky = isdigit(y) ? 1000 + y : tolower(y) * 2 + !!isupper(y);

	return kx - ky;
}

/* How usage spells a row: its letter if it has one, with its argument. */
static size_t
spell(char *buf, size_t size, const struct opt *o)
{
	if (letter(o))
		return (size_t)snprintf(buf, size, "-%c%s%s", o->val,
		    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
	return (size_t)snprintf(buf, size, "--%s%s%s", o->name,
	    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
}

static int
bundled(const struct opt *o)
{
	return letter(o) && o->arg == NULL && O_GROUPOF(o->flags) == 0 &&
	    !(o->flags & O_NOSYN);
}

/*
 * "[-bJnv] [--check] [-t TYPE]... [--user USER | --all-users] OPERANDS":
 * the flags without argument in one bracket, then each other option in
 * the order of the rows, options that exclude each other in one bracket
 * where the first of them stands.
 */
const char *
synopsis(const struct cmd *c)
{
	static char buf[1024];
	const struct opt *o, *p;
	char flags[MAXROWS + 1];
	size_t n = 0, nf = 0;
	unsigned g;

	for (o = c->opts; o->val != 0; o++)
		if (bundled(o) && nf < MAXROWS)
			flags[nf++] = (char)o->val;
	qsort(flags, nf, 1, bundle_order);
	flags[nf] = '\0';
	if (nf > 0)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "[-%s] ",
		    flags);
	for (o = c->opts; o->val != 0 && n < sizeof(buf); o++) {
		if (bundled(o) || (o->flags & (O_NOSYN | O_ALIAS)))
			continue;
		if ((g = O_GROUPOF(o->flags)) == 0) {
			buf[n++] = '[';
			n += spell(buf + n, sizeof(buf) - n, o);
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "]%s ",
			    o->flags & O_MANY ? "..." : "");
			continue;
		}
		for (p = c->opts; p != o && O_GROUPOF(p->flags) != g; p++)
			continue;
		if (p != o)	/* shown with the first of its group */
			continue;
		for (; p->val != 0 && n < sizeof(buf); p++)
			if (O_GROUPOF(p->flags) == g &&
			    !(p->flags & O_ALIAS)) {
				n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				    "%s", p == o ? "[" : " | ");
				n += spell(buf + n, sizeof(buf) - n, p);
			}
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "] ");
	}
	if (n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, "%s", c->operands);
	else
		n = sizeof(buf) - 1;
	/* No operands: no space after the last option. */
	if (c->operands[0] == '\0' && n > 0 && buf[n - 1] == ' ')
		buf[n - 1] = '\0';
	return buf;
}

/*
 * "  -t, --type TYPE       only ...": the help in a column of its own,
 * on the next line when the option's spelling does not leave it room.
 */
void
print_options(const struct opt *rows)
{
	const struct opt *o;
	const char *h, *nl;
	int n;

	for (o = rows; o->val != 0; o++) {
		if (letter(o))
			n = printf("  -%c%s", o->val, o->name ? ", " : "");
		else
			n = printf("      ");
		if (o->name != NULL)
			n += printf("--%s", o->name);
		if (o->arg != NULL)
			n += printf(" %s", o->arg);
		if (n > 22)
			printf("\n%24s", "");
		else
			printf("%*s", 24 - n, "");
		for (h = with_kinds(o->help); (nl = strchr(h, '\n')) != NULL; h = nl + 1)
			printf("%.*s\n%24s", (int)(nl - h), h, "");
		printf("%s\n", h);
	}
}

/* What a row's argument is, as the completions ask: see cmd.h's ARG_*. */
static const char *
arg_kind(const struct opt *o)
{
	static const char *const kinds[] = {
		"value", "kind", "column", "dir", "file", "user"
	};

	return kinds[(o->flags & ARG_MASK) >> 8];
}

/* Every spelling, one a line, then a TAB and what its argument is. */
void
complete_options(const struct opt *rows)
{
	const struct opt *o;

	for (o = rows; o->val != 0; o++) {
		if (o->name != NULL)
			printf("--%s%s%s\n", o->name, o->arg ? "\t" : "",
			    o->arg ? arg_kind(o) : "");
		if (letter(o))
			printf("-%c%s%s\n", o->val, o->arg ? "\t" : "",
			    o->arg ? arg_kind(o) : "");
	}
}

/* The row a whole word names: "-t", "--type" or "--type=..."; or NULL. */
const struct opt *
find_option(const struct opt *rows, const char *s)
{
	const struct opt *o;
	size_t n;

	if (s[0] != '-')
		return NULL;
	for (o = rows; o->val != 0; o++) {
		if (s[1] != '-' && letter(o) == s[1] && s[1] != '\0' &&
		    s[2] == '\0')
			return o;
		if (s[1] == '-' && o->name != NULL &&
		    strncmp(s + 2, o->name, n = strlen(o->name)) == 0 &&
		    (s[2 + n] == '\0' || (s[2 + n] == '=' && o->arg)))
			return o;
	}
	return NULL;
}

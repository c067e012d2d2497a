/* pipc: dispatch to a subcommand by argv[1] or by a pipc-NAME argv[0]. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* Sorted by name; exact names only, so a new command never breaks scripts. */
static const struct cmd *const cmds[] = {
	&cmd_atomics,
	&cmd_create,
	&cmd_gc,
	&cmd_lock,
	&cmd_ls,
	&cmd_map,
	&cmd_recv,
	&cmd_rm,
	&cmd_send,
	&cmd_unlock,
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

static void	list_usage(FILE *);
static int	complete(int, char **);

static const struct cmd *
find(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i]->name, name) == 0)
			return cmds[i];
	return NULL;
}

static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[64], prev, tmp;

	if (lb >= 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = d[j];
			d[j] = prev + (a[i - 1] != b[j - 1]);
			if (d[j - 1] + 1 < d[j])
				d[j] = d[j - 1] + 1;
			if (tmp + 1 < d[j])
				d[j] = tmp + 1;
			prev = tmp;
		}
	}
	return d[lb];
}

static void __attribute__((noreturn))
unknown(const char *name)
{
	size_t i, best = 0, bestd = (size_t)-1, dd;

	for (i = 0; i < NCMDS; i++)
		if ((dd = distance(name, cmds[i]->name)) < bestd) {
			bestd = dd;
			best = i;
		}
	if (bestd <= 2 || strncmp(name, cmds[best]->name, strlen(name)) == 0)
		warnx("unknown command '%s'; did you mean '%s'?", shown(name),
		    cmds[best]->name);
	else
		warnx("unknown command '%s'; 'pipc help' lists them",
		    shown(name));
	exit(2);
}

static void
list_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: pipc [--version] [help [COMMAND]] COMMAND [ARGS]\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(fp, "       pipc %s %s\n", cmds[i]->name,
		    cmds[i]->synopsis);
}

static int
run(const struct cmd *c, int argc, char **argv)
{
	static char name[32];

	/* getopt's own messages then say "pipc ls: ...", as err(3)'s do. */
	if (strncmp(argv[0], "pipc", 4) != 0) {
		snprintf(name, sizeof(name), "pipc %s", c->name);
		argv[0] = name;
	}
	return finish_stdout(c->fn(argc, argv));
}

int
main(int argc, char **argv)
{
	const char *base, *p;
	const struct cmd *c;

	pipc_dirs_default(&dirs);
	base = (p = strrchr(argv[0], '/')) != NULL ? p + 1 : argv[0];
	if (strncmp(base, "pipc-", 5) == 0) {
		if ((c = find(base + 5)) == NULL)
			unknown(base + 5);
		return run(c, argc, argv);
	}
	if (argc < 2) {
		list_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("pipc %s\n", PIPC_VERSION);
		return finish_stdout(0);
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc > 2) {
			if ((c = find(argv[2])) == NULL)
				unknown(argv[2]);
			help(c);
		}
		list_usage(stdout);
		printf("\n'pipc help COMMAND' or 'pipc COMMAND -h' for its "
		    "options; man pipc for the rest.\n");
		return finish_stdout(0);
	}
	if (strcmp(argv[1], "__complete") == 0)
		return finish_stdout(complete(argc - 2, argv + 2));
	if (argv[1][0] == '-') {
		warnx("unknown option '%s' before the command",
		    shown(argv[1]));
		list_usage(stderr);
		return 2;
	}
	if ((c = find(argv[1])) == NULL)
		unknown(argv[1]);
	return run(c, argc - 1, argv + 1);
}

/*
 * The shell completions ask the binary, so they cannot drift from it:
 *   __complete commands | options CMD | columns | objects [TYPE]
 */
static int
complete(int argc, char **argv)
{
	const struct option *o;
	const struct cmd *c;
	const char *s;
	size_t i;

	if (argc >= 1 && strcmp(argv[0], "commands") == 0) {
		for (i = 0; i < NCMDS; i++)
			printf("%s\n", cmds[i]->name);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[0], "options") == 0) {
		if ((c = find(argv[1])) == NULL)
			return 1;
		for (o = c->longopts; o != NULL && o->name != NULL; o++)
			printf("--%s\n", o->name);
		for (s = c->shortopts; *s != '\0'; s++)
			if (*s != ':' && *s != '+')
				printf("-%c\n", *s);
		return 0;
	}
	if (argc >= 1 && strcmp(argv[0], "columns") == 0)
		return ls_complete_columns();
	if (argc >= 1 && strcmp(argv[0], "objects") == 0)
		return ls_complete_objects(argc > 1 ? argv[1] : NULL);
	warnx("__complete: commands | options CMD | columns | objects [TYPE]");
	return 2;
}

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
	&cmd_df,
	&cmd_gc,
	&cmd_inspect,
	&cmd_lock,
	&cmd_ls,
	&cmd_map,
	&cmd_metrics,
	&cmd_recv,
	&cmd_rm,
	&cmd_send,
	&cmd_unlock,
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

/* What pipc itself takes before a command. */
static const struct opt top_opts[] = {
	{ 'V', "version", NULL, "print the version", 0 },
	HELP_OPT,
	END_OPTS
};

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
		    synopsis(cmds[i]));
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
	const struct opt *o = NULL;
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
	if (argv[1][0] == '-')
		o = find_option(top_opts, argv[1]);
	if (o != NULL && o->val == 'V') {
		printf("pipc %s\n", PIPC_VERSION);
		return finish_stdout(0);
	}
	if (strcmp(argv[1], "help") == 0 || (o != NULL && o->val == 'h')) {
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

/* __complete objects [KIND] [OPTION...]: the options are --shm-dir and
 * the like, as the command line being completed gives them. */
static int
complete_objects(int argc, char **argv)
{
	static const struct opt rows[] = { COMMON_OPTS, END_OPTS };
	static const struct cmd c = { "__complete objects", NULL, rows, "",
	    OPND_NONE, 0 };
	const char *kind = NULL;
	int ch;

	if (argc > 0 && argv[0][0] != '-') {
		kind = argv[0];
		argc--;
		argv++;
	}
	opterr = 0;
	optind = 0;
	/* getopt starts at argv[1]. */
	while ((ch = getopt_cmd(&c, argc + 1, argv - 1)) != -1)
		if (ch == OPT_SHM_DIR || ch == OPT_MQUEUE_DIR)
			common_option(&c, ch, optarg);
	return ls_complete_objects(kind);
}

/*
 * The shell completions ask the binary for every list, so they cannot
 * drift from it and name no command, option or kind themselves:
 *   commands | links | kinds | columns | options [CMD] | operand CMD |
 *   objects [KIND] [OPTION...]
 */
static int
complete(int argc, char **argv)
{
	const struct cmd *c = NULL;
	const char *what = argc > 0 ? argv[0] : "";
	size_t i;
	int k;

	if (argc > 1 && strcmp(what, "objects") != 0 &&
	    (c = find(argv[1])) == NULL && strcmp(argv[1], "help") != 0)
		return 1;
	if (strcmp(what, "commands") == 0 || strcmp(what, "links") == 0) {
		for (i = 0; i < NCMDS; i++)
			printf("%s%s\n", what[0] == 'l' ? "pipc-" : "",
			    cmds[i]->name);
	} else if (strcmp(what, "kinds") == 0) {
		for (k = 0; k < PIPC_NTYPES; k++)
			printf("%s\n", pipc_type_name((enum pipc_type)k));
	} else if (strcmp(what, "columns") == 0)
		return ls_complete_columns();
	else if (strcmp(what, "options") == 0)
		complete_options(c != NULL ? c->opts : top_opts);
	else if (strcmp(what, "operand") == 0 && argc > 1) {
		/* object [KIND], kind, command or none */
		if (c == NULL)
			printf("command\n");
		else if (c->operand == OPND_KIND)
			printf("kind\n");
		else if (c->operand == OPND_OBJECT &&
		    (k = pipc_kind_of_command(c->name)) >= 0)
			printf("object %s\n", pipc_type_name((enum pipc_type)k));
		else
			printf("%s\n", c->operand == OPND_OBJECT ? "object" :
			    "none");
	} else if (strcmp(what, "objects") == 0)
		return complete_objects(argc - 1, argv + 1);
	else {
		warnx("__complete: commands | links | kinds | columns | "
		    "options [CMD] | operand CMD | objects [KIND] [OPTION...]");
		return 2;
	}
	return 0;
}

/* rm: remove named objects, and never anything that is not one. */
#include <err.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

enum { OPT_ALL = OPT_COMMON_LAST };

static const struct opt opts[] = {
	{ 't', "type", "TYPE", "only %K (repeatable)",
	    O_MANY | ARG_KIND },
	{ 'f', "force", NULL, "a name or pattern that matches nothing is no error",
	    0 },
	{ 'n', "dry-run", NULL, "show what would be removed; remove nothing", 0 },
	{ 'v', "verbose", NULL, "say what was removed", 0 },
	{ OPT_ALL, "all", NULL, "remove every object of the kinds -t gives",
	    O_NOSYN },
	COMMON_OPTS,
	END_OPTS
};

static int rm_main(int, char **);

const struct cmd cmd_rm = {
	"rm", rm_main, opts,
	"NAME|PATTERN... | [-nv] --all -t TYPE...",
	OPND_OBJECT, 0
};

struct rm {
	struct pipc_list l;
	char		*done;
	int		 dfd[PIPC_NTYPES];
	int		 force, dry, verbose;
	size_t		 count;
};

/* They keep the old object; whoever opens the name next makes another. */
static void
warn_holders(const struct pipc_list *l, const struct pipc_obj *o)
{
	char buf[1024], comm[80], one[100];
	size_t i;

	if (o->nhold == 0) {
		warnx("%s: still held, says the kernel, by a process not seen "
		    "here (another user's or another PID namespace's): it "
		    "keeps it; new openers get a new object",
		    obj_label(o->type, o->name));
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < o->nhold; i++) {
		pipc_escape_text(comm, sizeof(comm),
		    l->procs[o->hold[i]].comm, 0);
		snprintf(one, sizeof(one), "%s%d(%s)", i ? ", " : "",
		    (int)l->procs[o->hold[i]].pid, comm);
		if (strlcat(buf, one, sizeof(buf)) >= sizeof(buf) - 4) {
			strlcpy(buf + sizeof(buf) - 5, "...", 4);
			break;
		}
	}
	warnx("%s: still held by %s: they keep it; new openers get a new "
	    "object", obj_label(o->type, o->name), buf);
}

/* Remove object i of the list, or say what it would do. */
static int
remove_one(struct rm *r, size_t i)
{
	struct pipc_obj *o = &r->l.v[i];
	const char *label = obj_label(o->type, o->name);
	int *dfd = &r->dfd[o->type];

	r->done[i] = 1;
	if (o->nhold > 0 || o->kernel == PIPC_HELD_YES)
		warn_holders(&r->l, o);
	if (r->dry) {
		printf("would remove %s\n", label);
		r->count++;
		return 0;
	}
	if (*dfd == -1 && (*dfd = open_dir(o->type)) == -1)
		return 1;
	if (pipc_remove(*dfd, o->file, &o->st) == -1) {
		if (errno == ENOENT && r->force)
			return 0;
		if (errno == ESTALE)
			warnx("%s: changed since it was listed; not removed",
			    label);
		else
			warn("%s", label);
		return 1;
	}
	if (r->verbose)
		printf("removed %s\n", label);
	r->count++;
	return 0;
}

static int
not_found(const struct rm *r, const char *arg)
{
	if (r->force)
		return 0;
	warnx("%s: no such object", obj_label(-1, arg));
	return 1;
}

/* A name: exactly one object of the kinds in mask, or an error. */
static int
rm_name(struct rm *r, const char *name, unsigned mask)
{
	char kinds[PIPC_NTYPES * (NAME_MAX * 4 + 16)];
	size_t i, hit = 0, nhit = 0, k = 0;

	for (i = 0; i < r->l.n; i++)
		if ((mask & PIPC_TYPE_BIT(r->l.v[i].type)) &&
		    strcmp(r->l.v[i].name, name) == 0) {
			hit = i;
			nhit++;
		}
	if (nhit == 0)
		return not_found(r, name);
	if (nhit > 1) {
		kinds[0] = '\0';
		for (i = 0; i < r->l.n; i++)
			if ((mask & PIPC_TYPE_BIT(r->l.v[i].type)) &&
			    strcmp(r->l.v[i].name, name) == 0) {
				if (k++ > 0)
					strlcat(kinds, k == nhit ? " and " :
					    ", ", sizeof(kinds));
				strlcat(kinds, obj_label(r->l.v[i].type, name),
				    sizeof(kinds));
			}
		warnx("%s: exists as %s; say which with -t or a prefix",
		    obj_label(-1, name), kinds);
		return 1;
	}
	if (r->done[hit])
		return 0;
	if (r->l.v[hit].foreign) {
		warnx("%s: not an IPC object: %s; not removed",
		    obj_label(r->l.v[hit].type, name),
		    pipc_file_what(r->l.v[hit].st.st_mode));
		return 1;
	}
	return remove_one(r, hit);
}

/* A pattern: every object it matches; entries that are no object never. */
static int
rm_pattern(struct rm *r, const char *pat, unsigned mask)
{
	size_t i;
	int rv = 0, hit = 0;

	for (i = 0; i < r->l.n; i++)
		if ((mask & PIPC_TYPE_BIT(r->l.v[i].type)) &&
		    !r->l.v[i].foreign &&
		    fnmatch(pat, r->l.v[i].name, 0) == 0) {
			hit = 1;
			if (!r->done[i])
				rv |= remove_one(r, i);
		}
	return hit ? rv : not_found(r, pat);
}

static int
rm_all(struct rm *r, unsigned types)
{
	size_t i, foreign = 0;
	int rv = 0;

	for (i = 0; i < r->l.n; i++) {
		if (!(types & PIPC_TYPE_BIT(r->l.v[i].type)))
			continue;
		if (r->l.v[i].foreign)
			foreign++;
		else
			rv |= remove_one(r, i);
	}
	if (foreign > 0)
		warnx("left alone %zu %s", foreign, foreign == 1 ?
		    "entry that is not an IPC object" :
		    "entries that are not IPC objects");
	printf("%s %zu object%s\n", r->dry ? "would remove" : "removed",
	    r->count, r->count == 1 ? "" : "s");
	return rv;
}

static int
rm_main(int argc, char **argv)
{
	struct rm r;
	enum pipc_type t;
	const char *name;
	unsigned types = 0, need = 0, mask;
	int ch, all = 0, rv = 0, a;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt_cmd(&cmd_rm, argc, argv)) != -1) {
		switch (ch) {
		case 'f': r.force = 1; break;
		case 'n': r.dry = 1; break;
		case 't': types |= type_arg(optarg); break;
		case 'v': r.verbose = 1; break;
		case OPT_ALL: all = 1; break;
		default:
			common_option(&cmd_rm, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (all && types == 0)
		errx(2, "--all needs -t TYPE: say which kind to empty");
	if (all && argc > 0)
		errx(2, "--all takes no NAME: it removes every object of the "
		    "kinds -t gives");
	if (!all && argc == 0)
		usage(&cmd_rm);
	if (types == 0)
		types = PIPC_ALL_TYPES;
	for (a = 0; a < argc; a++) {
		object_operand(argv[a], types, &mask);
		need |= mask;
	}
	if (all)
		need = types;

	if (pipc_scan(&r.l, &dirs, need | PIPC_SCAN_HELD) == -1) {
		warn("%s", r.l.scan_path);
		rv = 1;
	}
	if (r.l.mq_missing && need == PIPC_TYPE_BIT(PIPC_MQ)) {
		warn_no_mqueue(NULL);
		rv = 1;
	}
	pipc_list_sort(&r.l);
	/* Holders only make warnings: if /proc fails, the kernel's say. */
	pipc_holders(&r.l);
	pipc_classify(&r.l);
	if ((r.done = calloc(r.l.n + 1, 1)) == NULL)
		err(1, NULL);
	for (t = 0; t < PIPC_NTYPES; t++)
		r.dfd[t] = -1;

	if (all)
		rv |= rm_all(&r, types);
	for (a = 0; a < argc; a++) {
		name = object_operand(argv[a], types, &mask);
		rv |= strpbrk(name, "*?[") != NULL ?
		    rm_pattern(&r, name, mask) : rm_name(&r, name, mask);
	}
	for (t = 0; t < PIPC_NTYPES; t++)
		if (r.dfd[t] != -1)
			close(r.dfd[t]);
	free(r.done);
	pipc_list_free(&r.l);
	return rv;
}

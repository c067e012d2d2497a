/* ls: list POSIX IPC objects, their holders and their state. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "removeipc.h"
#include "util_ls.h"
#include "util_places.h"

enum {
	OPT_ORPHANS = OPT_COMMON_LAST, OPT_STALE, OPT_DELETED,
	OPT_IGNORE_REMOVEIPC
};

static const struct opt opts[] = {
	{ 't', "type", "TYPE", "only %K objects (repeatable)",
	    O_MANY | ARG_KIND },
	{ 'p', "pids", NULL, "add the PIDS column: who holds each object", 0 },
	{ OPT_ORPHANS, "orphans", NULL, "only objects nobody holds", 0 },
	{ OPT_STALE, "stale", NULL, "only stale locks", 0 },
	{ OPT_DELETED, "deleted", NULL,
	    "also objects whose name was removed while still held", 0 },
	OPT_ALL_NS,
	OPT_NS,
	{ 'o', "output", "[+]LIST", "these columns; +LIST adds to the default",
	    ARG_COLUMN },
	{ 'H', "list-columns", NULL, "list the columns and exit", O_NOSYN },
	{ 'b', "bytes", NULL, "sizes in bytes", 0 },
	{ 'J', "json", NULL, "JSON, every field", 0 },
	{ 'n', "noheadings", NULL, "no heading line", 0 },
	{ 'r', "raw", NULL, "no alignment, spaces escaped", 0 },
	{ '0', "null", NULL, "only names, each ended by NUL", 0 },
	{ OPT_IGNORE_REMOVEIPC, "ignore-removeipc", NULL, "no warning of "
	    "objects logind's RemoveIPC= removes", O_NOSYN },
	COMMON_OPTS,
	END_OPTS
};

static int ls_main(int, char **);

const struct cmd cmd_ls = {
	"ls", ls_main, opts,
	"[PATTERN...]",
	OPND_OBJECT, 0
};

/*
 * The columns in their places, which are not their order in the table
 * (the JSON's); returns how many.
 */
static size_t
columns(const struct field **v)
{
	size_t i, n = 0;
	int place;

	for (place = 1; place <= (int)ls_nfields; place++)
		for (i = 0; i < ls_nfields; i++)
			if (ls_fields[i].place == place)
				v[n++] = &ls_fields[i];
	return n;
}

/* The column of that heading, in any case; NULL if there is none. */
static const struct field *
column(const char *heading)
{
	size_t i;

	for (i = 0; i < ls_nfields; i++)
		if (ls_fields[i].heading != NULL &&
		    strcasecmp(heading, ls_fields[i].heading) == 0)
			return &ls_fields[i];
	return NULL;
}

/* The list takes each column twice, no more. */
static int
add_column(struct opts *op, const struct field *f)
{
	const struct field *v[LS_COLS_MAX];

	if (op->ncols == 2 * columns(v)) {
		warnx("too many columns");
		return -1;
	}
	op->cols[op->ncols++] = f;
	return 0;
}

/* Column f first, before the others. */
static void
add_first(struct opts *op, const struct field *f)
{
	if (add_column(op, f) == -1)
		exit(2);
	memmove(op->cols + 1, op->cols, (op->ncols - 1) * sizeof(*op->cols));
	op->cols[0] = f;
}

/* What ls shows without -o, and what -o +LIST adds to. */
static void
add_defaults(struct opts *op)
{
	const struct field *v[LS_COLS_MAX];
	size_t i, n = columns(v);

	for (i = 0; i < n; i++)
		if (v[i]->flags & F_DEFAULT)
			op->cols[op->ncols++] = v[i];
}

static int
parse_columns(struct opts *op, const char *list)
{
	const struct field *f;
	char *copy, *s, *tok;
	int rv = 0;

	op->ncols = 0;
	op->chosen = *list != '+';
	if (*list == '+') {
		list++;
		add_defaults(op);
	}
	if ((copy = strdup(list)) == NULL)
		err(1, NULL);
	for (s = copy; rv == 0 && (tok = strsep(&s, ",")) != NULL; ) {
		if ((f = column(tok)) != NULL)
			rv = add_column(op, f);
		else {
			warnx("unknown column '%s'; 'pipc ls -H' lists them",
			    shown(tok));
			rv = -1;
		}
	}
	free(copy);
	return rv;
}

static void
opts_init(struct opts *op)
{
	memset(op, 0, sizeof(*op));
	add_defaults(op);
}

static void
list_columns(void)
{
	const struct field *v[LS_COLS_MAX];
	size_t i, n = columns(v);

	for (i = 0; i < n; i++)
		printf("%-8s %s\n", v[i]->heading, with_kinds(v[i]->help));
}

/*
 * Which objects to show: the kinds asked for, matching a PATTERN if any
 * (each may carry a kind prefix), passing --orphans/--stale. Returns how
 * many PATTERNs matched nothing.
 */
static int
select_objects(const struct pipc_list *l, const struct opts *op,
    int argc, char **argv, char *show)
{
	char *hit;
	size_t i;
	int a, bad = 0;

	if ((hit = calloc(argc + 1, 1)) == NULL)
		err(1, NULL);
	for (i = 0; i < l->n; i++) {
		const struct pipc_obj *o = &l->v[i];

		show[i] = argc == 0;
		for (a = 0; a < argc; a++)
			if (pattern_match(argv[a], o, NULL))
				show[i] = hit[a] = 1;
		/* A stale mutex inside shared memory may be held (by the
		 * processes waiting on it): no orphan then. */
		if ((op->orphans && ((o->state != PIPC_ORPHAN &&
		    o->state != PIPC_STALE_LOCK) ||
		    o->held == PIPC_HELD_YES)) ||
		    (op->stale && o->state != PIPC_STALE_LOCK))
			show[i] = 0;
	}
	for (a = 0; a < argc; a++)
		if (!hit[a]) {
			warnx("%s: no such object", shown(argv[a]));
			bad++;
		}
	free(hit);
	return bad;
}

/* Say why objects are unknown, once, and only where some are. */
static void
warn_unread(const struct pipc_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].state == PIPC_UNKNOWN)
			break;
	if (i < l->n)
		warn_unseen(l, "are 'unknown'");
}

/* The listing, once the options are read: ls's, and create's result. */
static int
list(struct opts *op, unsigned types, int argc, char **argv)
{
	const struct field *pids = column("PIDS");
	struct pipc_list l;
	char *show;
	size_t i;
	unsigned flags;
	int rv = 0, holders;

	/* -p adds PIDS to whatever -o chose, before or after it. */
	for (i = 0; op->pids && i < op->ncols && op->cols[i] != pids; i++)
		continue;
	if (op->pids && i == op->ncols && add_column(op, pids) == -1)
		return 2;
	types = pattern_types(types, argc, argv);
	holders = op->json || op->orphans || op->stale || op->deleted;
	for (i = 0; i < op->ncols && !op->null; i++)
		holders |= (op->cols[i]->flags & F_HOLDERS) != 0;

	flags = (holders ? PIPC_SCAN_HELD : 0) |
	    (op->deleted ? PIPC_SCAN_DELETED : 0);
	if (places.active)
		rv = places_scan(&l, types, flags | PIPC_SCAN_NSPID,
		    "not listed");
	else {
		if (pipc_scan(&l, &dirs, types | flags) == -1) {
			warn("%s", l.scan_path);
			rv = 1;
		}
		if (l.mq_missing && (types & PIPC_TYPE_BIT(PIPC_MQ))) {
			warn_no_mqueue("queues not listed");
			if (types == PIPC_TYPE_BIT(PIPC_MQ))
				rv = 1;
		}
	}
	if (holders) {
		if (pipc_holders(&l) == -1) {
			warn("/proc");
			l.incomplete = 1;
			rv = 1;
		}
		pipc_classify(&l);
		warn_unread(&l);
	}
	pipc_list_sort(&l);
	if ((show = malloc(l.n + 1)) == NULL)
		err(1, NULL);
	if (select_objects(&l, op, argc, argv, show) > 0)
		rv = 1;
	if (holders && !op->no_removeipc)
		removeipc_warn(&l, show);
	if (op->null) {
		for (i = 0; i < l.n; i++)
			/* A deleted object's name is no longer its. */
			if (show[i] && !l.v[i].deleted)
				printf("/%s%c", l.v[i].name, '\0');
	} else if (op->json)
		ls_print_json(&l, show);
	else
		ls_print_table(&l, op, show);
	free(show);
	pipc_list_free(&l);
	return rv;
}

static int
ls_main(int argc, char **argv)
{
	struct opts op;
	unsigned types = 0;
	pid_t target = 0;
	int ch, all = 0;

	opts_init(&op);
	while ((ch = getopt_cmd(&cmd_ls, argc, argv)) != -1) {
		switch (ch) {
		case 'b': op.bytes = 1; break;
		case 'H': list_columns(); return 0;
		case 'J': op.json = 1; break;
		case 'n': op.noheadings = 1; break;
		case 'o':
			if (parse_columns(&op, optarg) == -1)
				return 2;
			break;
		case 'p': op.pids = 1; break;
		case 'r': op.raw = 1; break;
		case 't': types |= type_arg(optarg); break;
		case '0': op.null = 1; break;
		case OPT_ORPHANS: op.orphans = 1; break;
		case OPT_STALE: op.stale = 1; break;
		case OPT_DELETED: op.deleted = 1; break;
		case OPT_IGNORE_REMOVEIPC: op.no_removeipc = 1; break;
		case 'A': all = 1; break;
		case 'N': target = pid_arg(optarg); break;
		default:
			common_option(&cmd_ls, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (all && target != 0) {
		warnx("-A and -N exclude each other");
		usage(&cmd_ls);
	}
	if (all || target != 0) {
		places_find(target);
		/* Which container: the first column, unless -o chose. */
		if (!op.chosen)
			add_first(&op, column("CONTAINER"));
	}
	return list(&op, types, argc, argv);
}

/*
 * What create shows of the object it made: ls's line or JSON for that
 * kind and name alone, as a pattern that matches the name literally.
 */
int
ls_show(enum pipc_type t, const char *name, int json)
{
	struct opts op;
	char *pat, *p;
	const char *s;
	int rv;

	opts_init(&op);
	op.json = json;
	op.no_removeipc = 1;	/* create's object: ls tells the rest */
	if ((pat = malloc(strlen(name) * 2 + 5)) == NULL)
		err(1, NULL);
	p = pat + sprintf(pat, "%s:", pipc_type_name(t));
	for (s = name; *s != '\0'; s++) {
		*p++ = '\\';
		*p++ = *s;
	}
	*p = '\0';
	rv = list(&op, 0, 1, &pat);
	free(pat);
	return rv;
}

int
ls_complete_columns(void)
{
	const struct field *v[LS_COLS_MAX];
	size_t i, n = columns(v);

	for (i = 0; i < n; i++)
		printf("%s\n", v[i]->heading);
	return 0;
}

int
ls_complete_objects(const char *type)
{
	struct pipc_list l;
	enum pipc_type t;
	size_t i;

	if (type != NULL && pipc_type_parse(type, &t) == -1)
		return 2;
	pipc_scan(&l, &dirs, type != NULL ? PIPC_TYPE_BIT(t) : PIPC_ALL_TYPES);
	pipc_list_sort(&l);
	for (i = 0; i < l.n; i++)
		if (!l.v[i].foreign && strpbrk(l.v[i].name, "\n\t ") == NULL)
			printf("/%s\n", l.v[i].name);
	pipc_list_free(&l);
	return 0;
}

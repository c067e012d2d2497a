/* df: how full each shared-memory store is, before ENOSPC or SIGBUS. */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util_places.h"

static const struct opt opts[] = {
	OPT_ALL_NS,
	OPT_NS,
	{ 'b', "bytes", NULL, "sizes in bytes", 0 },
	{ 'J', "json", NULL, "JSON", 0 },
	{ 'n', "noheadings", NULL, "no heading line", 0 },
	{ 'r', "raw", NULL, "no alignment", 0 },
	COMMON_OPTS,
	END_OPTS
};

static int df_main(int, char **);

const struct cmd cmd_df = {
	"df", df_main, opts,
	"",
	OPND_NONE, 0
};

/* One store: what statvfs says of it, and how it is known. */
struct store {
	const char	*label;		/* NULL without -A, -N */
	const char	*id;		/* MAJOR:MINOR */
	const char	*path;
	size_t		 nprocs;
	int		 ok;
	struct statvfs	 sv;
};

static const char *const heads[] = {
	"CONTAINER", "STORE", "SIZE", "USED", "AVAIL", "USE%", "FILES",
	"IFREE", "PROCS", "PATH"
};
#define NCOLS	(sizeof(heads) / sizeof(heads[0]))

/* Bytes used as df counts them: all but the free blocks. */
static unsigned long long
used(const struct statvfs *sv)
{
	return (unsigned long long)(sv->f_blocks - sv->f_bfree) * sv->f_frsize;
}

/* A number into a cell, human unless bytes. */
static void
num(char *cell, long long v, int bytes)
{
	char buf[DECIMAL_MAX];

	strcpy(cell, size_shown(buf, v, bytes));
}

/* Its cells, in heads' order. */
static void
cells(const struct store *s, int bytes, char c[NCOLS][DECIMAL_MAX + 4096])
{
	const struct statvfs *sv = &s->sv;
	unsigned long long size = (unsigned long long)sv->f_blocks *
	    sv->f_frsize;
	size_t i;

	snprintf(c[0], sizeof(c[0]), "%s", s->label != NULL ? s->label : "");
	snprintf(c[1], sizeof(c[1]), "%s", s->id);
	if (!s->ok) {
		for (i = 2; i < 8; i++)
			strcpy(c[i], "?");
	} else {
		num(c[2], (long long)size, bytes);
		num(c[3], (long long)used(sv), bytes);
		num(c[4], (long long)(sv->f_bavail * sv->f_frsize), bytes);
		/* size 0: a tmpfs mounted without a limit */
		if (size == 0)
			strcpy(c[5], "-");
		else
			snprintf(c[5], sizeof(c[5]), "%llu%%",
			    (used(sv) * 100 + size - 1) / size);
		num(c[6], (long long)sv->f_files, 1);
		num(c[7], (long long)sv->f_ffree, 1);
	}
	num(c[8], (long long)s->nprocs, 1);
	snprintf(c[9], sizeof(c[9]), "%s", shown(s->path));
}

static void
print_json(const struct store *v, size_t n)
{
	struct json j;
	size_t i;

	json_begin(&j, JSON_COMPACT);
	json_object(&j, NULL);
	json_array(&j, "stores", 1);
	for (i = 0; i < n; i++) {
		json_object(&j, NULL);
		if (v[i].label != NULL)
			json_str(&j, "container", v[i].label);
		json_str(&j, "store", v[i].id);
		json_str(&j, "path", v[i].path);
		if (!v[i].ok) {
			json_null(&j, "size");
		} else {
			json_uint(&j, "size", (unsigned long long)
			    v[i].sv.f_blocks * v[i].sv.f_frsize);
			json_uint(&j, "used", used(&v[i].sv));
			json_uint(&j, "avail", (unsigned long long)
			    v[i].sv.f_bavail * v[i].sv.f_frsize);
			json_uint(&j, "files", v[i].sv.f_files);
			json_uint(&j, "files_free", v[i].sv.f_ffree);
		}
		if (v[i].label != NULL)
			json_uint(&j, "processes", v[i].nprocs);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	putchar('\n');
}

/* Without -A and -N, no CONTAINER and no PROCS: one store, ours. */
static int
shown_col(const struct store *v, size_t k)
{
	return v[0].label != NULL || (k != 0 && k != 8);
}

static void
print_table(const struct store *v, size_t n, int bytes, int noheadings,
    int raw)
{
	static char c[NCOLS][DECIMAL_MAX + 4096];
	size_t w[NCOLS], i, k;
	const char *s, *sep;

	for (k = 0; k < NCOLS; k++)
		w[k] = noheadings ? 0 : strlen(heads[k]);
	for (i = 0; i < n; i++) {
		cells(&v[i], bytes, c);
		for (k = 0; k < NCOLS; k++)
			if (strlen(c[k]) > w[k])
				w[k] = strlen(c[k]);
	}
	for (i = noheadings ? 1 : 0; i <= n; i++) {
		if (i > 0)
			cells(&v[i - 1], bytes, c);
		for (k = 0, sep = ""; k < NCOLS; k++) {
			if (!shown_col(v, k))
				continue;
			s = i == 0 ? heads[k] : c[k];
			if (raw || k == NCOLS - 1)
				printf("%s%s", sep, s);
			else if (k >= 2 && k <= 8)	/* numbers */
				printf("%s%*s", sep, (int)w[k], s);
			else
				printf("%s%-*s", sep, (int)w[k], s);
			sep = " ";
		}
		putchar('\n');
	}
}

static int
df_main(int argc, char **argv)
{
	struct store *v;
	const struct place *p;
	size_t i, n = 0;
	pid_t target = 0;
	int ch, all = 0, bytes = 0, json = 0, noheadings = 0, raw = 0, rv = 0;
	int fd;
	struct stat st;
	char id[32] = "?";

	while ((ch = getopt_cmd(&cmd_df, argc, argv)) != -1) {
		switch (ch) {
		case 'A': all = 1; break;
		case 'N': target = pid_arg(optarg); break;
		case 'b': bytes = 1; break;
		case 'J': json = 1; break;
		case 'n': noheadings = 1; break;
		case 'r': raw = 1; break;
		default:
			common_option(&cmd_df, ch, optarg);
		}
	}
	if (optind < argc) {
		warnx("unexpected operand '%s'", shown(argv[optind]));
		usage(&cmd_df);
	}
	if (all && target != 0) {
		warnx("-A and -N exclude each other");
		usage(&cmd_df);
	}
	if (all || target != 0)
		places_find(target);
	if ((v = calloc(places.n + 1, sizeof(*v))) == NULL)
		err(1, NULL);
	if (!places.active) {
		if (stat(dirs.shm, &st) == 0)
			snprintf(id, sizeof(id), "%u:%u", major(st.st_dev),
			    minor(st.st_dev));
		v[0].id = id;
		v[0].path = dirs.shm;
		if ((v[0].ok = statvfs(dirs.shm, &v[0].sv) == 0) == 0) {
			warn("%s", shown(dirs.shm));
			rv = 1;
		}
		n = 1;
	}
	for (i = 0; i < places.n; i++) {
		p = &places.v[i];
		if (p->store == NULL)
			continue;
		v[n].label = p->label;
		v[n].id = p->id;
		v[n].path = p->shown;
		v[n].nprocs = p->store->nprocs;
		fd = p->store->fd;
		if ((v[n].ok = fd != -1 && fstatvfs(fd, &v[n].sv) == 0) == 0) {
			warnx("store %s (%s): cannot be read", p->id, p->label);
			rv = 1;
		}
		n++;
	}
	if (places.active && places_warn(~PIPC_TYPE_BIT(PIPC_MQ),
	    "not shown") > 0 && target != 0)
		rv = 1;
	if (json)
		print_json(v, n);
	else if (n > 0)
		print_table(v, n, bytes, noheadings, raw);
	free(v);
	return finish_stdout(rv);
}

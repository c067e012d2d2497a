/* metrics: the host's IPC objects in the Prometheus text format. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "removeipc.h"
#include "util_places.h"

/* What node_exporter's textfile collector reads: *.prom, nothing else. */
#define PROM_FILE	"pipc.prom"
#define PROM_MODE	0644	/* node_exporter runs as another user */

enum { OPT_TEXTFILE = OPT_COMMON_LAST };

static const struct opt opts[] = {
	{ 't', "type", "TYPE", "only shm, sem or mq objects (repeatable)",
	    O_MANY | ARG_KIND },
	OPT_ALL_NS,
	OPT_NS,
	{ OPT_TEXTFILE, "textfile", "DIR", "write DIR/pipc.prom, whole or not at "
	    "all, for\nnode_exporter's textfile collector", ARG_DIR },
	COMMON_OPTS,
	END_OPTS
};

static int metrics_main(int, char **);

const struct cmd cmd_metrics = {
	"metrics", metrics_main, opts,
	"",
	OPND_NONE, 0
};

/* What the scan reads; each can fail alone, and says so in a label. */
enum source { SRC_SHM, SRC_MQUEUE, SRC_PROC, NSOURCES };
static const char *const source_names[NSOURCES] = { "shm", "mqueue", "proc" };

/* The sums of one place (-A, -N), or of the one store and directory. */
enum { SUM_N, SUM_SIZE, SUM_ALLOC, NSUMS };
struct sums {
	unsigned long long v[NSUMS][PIPC_NTYPES][PIPC_NSTATES];
};

/* Every number the text holds: sums, never one series per object. */
struct tally {
	struct sums	*per;		/* one per place, or one */
	unsigned long long unseen[PIPC_NTYPES];
	int		 read[NSOURCES];	/* was it asked for */
	int		 failed[NSOURCES];
	int		 mq_available;
	int		 store;			/* statvfs answered */
	struct statvfs	 sv;
	size_t		 unread;
	size_t		 unread_places;	/* -A, -N: stores, namespaces */
	double		 seconds;
	struct removeipc_tally removeipc;
};

/* Held, says the kernel, by a process /proc did not show (as ls's). */
static int
unseen(const struct pipc_obj *o)
{
	return o->held == PIPC_HELD_YES && o->nhold == 0 &&
	    (o->by & PIPC_BY_KERNEL);
}

/*
 * One scan, as ls does it with its STATE column, summed. Returns the exit
 * status: 1 when a part of it could not be read (the sums are then of
 * what was), 0 otherwise.
 */
static int
scan(struct tally *t, unsigned types)
{
	struct pipc_list l;
	struct timespec t0, t1;
	const struct pipc_obj *o;
	struct sums *sum;
	size_t i, unknown = 0;
	int rv = 0, fd;

	memset(t, 0, sizeof(*t));
	if ((t->per = calloc(places.n + 1, sizeof(*t->per))) == NULL)
		err(1, NULL);
	t->read[SRC_SHM] = (types & (PIPC_TYPE_BIT(PIPC_SHM) |
	    PIPC_TYPE_BIT(PIPC_SEM))) != 0;
	t->read[SRC_MQUEUE] = (types & PIPC_TYPE_BIT(PIPC_MQ)) != 0;
	t->read[SRC_PROC] = 1;
	removeipc_tally_init(&t->removeipc);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (places.active) {
		/* A store or namespace unread is said, and counted. */
		rv = places_scan(&l, types, PIPC_SCAN_HELD | PIPC_SCAN_DELETED,
		    "not counted");
		t->unread_places = places_unread(types);
	} else if (pipc_scan(&l, &dirs, types | PIPC_SCAN_HELD |
	    PIPC_SCAN_DELETED) == -1) {
		warn("%s", shown(l.scan_path));
		rv = 1;
		/*
		 * Only the first failure is kept, and the shm directory is
		 * read first: whether the queue directory failed too, an open
		 * tells (an error halfway through its listing goes unseen).
		 */
		if (l.scan_path != dirs.shm)
			t->failed[SRC_MQUEUE] = 1;
		else {
			t->failed[SRC_SHM] = 1;
			if (t->read[SRC_MQUEUE] && !l.mq_missing) {
				if ((fd = open(dirs.mq, O_RDONLY | O_DIRECTORY |
				    O_CLOEXEC)) != -1)
					close(fd);
				else {
					warn("%s", shown(dirs.mq));
					t->failed[SRC_MQUEUE] = 1;
				}
			}
		}
	}
	t->mq_available = t->read[SRC_MQUEUE] && !l.mq_missing &&
	    !t->failed[SRC_MQUEUE];
	/* Queues alone, and none to read: nothing was done. */
	if (l.mq_missing && types == PIPC_TYPE_BIT(PIPC_MQ)) {
		warn_no_mqueue("queues not counted");
		rv = 1;
	}
	if (pipc_holders(&l) == -1) {
		warn("/proc");
		l.incomplete = 1;
		t->failed[SRC_PROC] = 1;
		rv = 1;
	}
	pipc_classify(&l);
	t->unread = l.nunread;
	for (i = 0; i < l.n; i++) {
		o = &l.v[i];
		sum = &t->per[places.active ? o->where : 0];
		sum->v[SUM_N][o->type][o->state]++;
		sum->v[SUM_SIZE][o->type][o->state] +=
		    (unsigned long long)o->st.st_size;
		sum->v[SUM_ALLOC][o->type][o->state] +=
		    (unsigned long long)o->st.st_blocks * 512;
		t->unseen[o->type] += unseen(o);
		unknown += o->state == PIPC_UNKNOWN;
		removeipc_tally_add(&t->removeipc, o);
	}
	if (unknown > 0)
		warn_unseen(&l, "are 'unknown'");
	pipc_list_free(&l);
	if (t->read[SRC_SHM] && !places.active) {
		if (statvfs(dirs.shm, &t->sv) == 0)
			t->store = 1;
		else if (!t->failed[SRC_SHM]) {
			warn("%s", shown(dirs.shm));
			t->failed[SRC_SHM] = 1;
			rv = 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	t->seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return rv;
}

static void
family(FILE *fp, const char *name, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/*
 * A label's value: a path, printed as pipc prints names (control bytes,
 * backslashes and invalid UTF-8 as \xHH, so the value is UTF-8), then with
 * the format's own escapes for '\' and '"'.
 */
static void
label_value(FILE *fp, const char *s)
{
	size_t n = pipc_escape_text(NULL, 0, s, 0) + 1;
	char *buf, *p;

	if ((buf = malloc(n)) == NULL)
		err(1, NULL);
	pipc_escape_text(buf, n, s, 0);
	for (p = buf; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"')
			putc('\\', fp);
		putc(*p, fp);
	}
	free(buf);
}

/* A place's labels after others (-A, -N): container and store. */
static void
place_labels(FILE *fp, size_t i)
{
	if (!places.active)
		return;
	fputs(",container=\"", fp);
	label_value(fp, places.v[i].label);
	fputs("\",store=\"", fp);
	label_value(fp, places.v[i].id);
	putc('"', fp);
}

/* Does place i (or the one store and directory) hold kind k? */
static int
place_has(size_t i, int k)
{
	return !places.active || (places.v[i].ns != NULL) == (k == PIPC_MQ);
}

/*
 * NAME{kind="...",state="..."} for every kind read and every state, and
 * with -A or -N for every place: which is a SUM_*.
 */
static void
matrix(FILE *fp, const char *name, const char *help, unsigned types,
    const struct tally *t, int which)
{
	size_t i, n = places.active ? places.n : 1;
	int k, s;

	family(fp, name, help);
	for (i = 0; i < n; i++) {
		for (k = 0; k < PIPC_NTYPES; k++) {
			if (!(types & PIPC_TYPE_BIT(k)) || !place_has(i, k))
				continue;
			for (s = 0; s < PIPC_NSTATES; s++) {
				fprintf(fp, "%s{kind=\"%s\",state=\"%s\"", name,
				    pipc_type_name((enum pipc_type)k),
				    pipc_state_name((enum pipc_state)s));
				place_labels(fp, i);
				fprintf(fp, "} %llu\n", t->per[i].v[which][k][s]);
			}
		}
	}
}

/* The store metrics of every store -A or -N found. */
static void
place_stores(FILE *fp)
{
	static const struct {
		const char *name, *help;
	} m[] = {
		{ "pipc_store_size_bytes", "Size of the shared memory store's "
		    "file system." },
		{ "pipc_store_used_bytes", "Bytes used in the shared memory "
		    "store, by every file, named or not." },
		{ "pipc_store_free_bytes", "Bytes free in the shared memory "
		    "store for an unprivileged user." },
		{ "pipc_store_files", "Inodes the shared memory store can "
		    "hold." },
		{ "pipc_store_files_free", "Inodes free in the shared memory "
		    "store." },
	};
	struct statvfs *sv;
	unsigned long long v;
	size_t i, j;

	if ((sv = calloc(places.n + 1, sizeof(*sv))) == NULL)
		err(1, NULL);
	for (i = 0; i < places.n; i++)
		if (places.v[i].store == NULL || places.v[i].store->fd == -1 ||
		    fstatvfs(places.v[i].store->fd, &sv[i]) == -1)
			sv[i].f_frsize = 0;	/* not measured: left out */
	for (j = 0; j < sizeof(m) / sizeof(m[0]); j++) {
		family(fp, m[j].name, m[j].help);
		for (i = 0; i < places.n; i++) {
			if (sv[i].f_frsize == 0)
				continue;
			v = j == 0 ? sv[i].f_blocks * sv[i].f_frsize :
			    j == 1 ? (sv[i].f_blocks - sv[i].f_bfree) *
			    sv[i].f_frsize :
			    j == 2 ? sv[i].f_bavail * sv[i].f_frsize :
			    j == 3 ? sv[i].f_files : sv[i].f_ffree;
			fprintf(fp, "%s{", m[j].name);
			/* no leading comma: container, store only */
			fputs("container=\"", fp);
			label_value(fp, places.v[i].label);
			fputs("\",store=\"", fp);
			label_value(fp, places.v[i].id);
			fprintf(fp, "\"} %llu\n", v);
		}
	}
	free(sv);
}

/* NAME{LABEL="VALUE"} N: one series of a store or directory. */
static void
one(FILE *fp, const char *name, const char *help, const char *label,
    const char *value, unsigned long long n)
{
	family(fp, name, help);
	fprintf(fp, "%s{%s=\"", name, label);
	label_value(fp, value);
	fprintf(fp, "\"} %llu\n", n);
}

static void
print_metrics(FILE *fp, const struct tally *t, unsigned types)
{
	const struct statvfs *sv = &t->sv;
	unsigned long long bs = sv->f_frsize;
	int k, s;

	matrix(fp, "pipc_objects", "POSIX IPC objects by kind and state.",
	    types, t, SUM_N);
	matrix(fp, "pipc_objects_bytes", "Sum of the objects' sizes (for a "
	    "queue, the bytes of its messages), by kind and state.", types,
	    t, SUM_SIZE);
	matrix(fp, "pipc_objects_allocated_bytes", "Memory the objects' pages "
	    "take in their store (st_blocks), by kind and state.", types,
	    t, SUM_ALLOC);
	family(fp, "pipc_objects_unseen_holder", "Objects in use, says the "
	    "kernel, by processes /proc does not show.");
	for (k = 0; k < PIPC_NTYPES; k++)
		if (types & PIPC_TYPE_BIT(k))
			fprintf(fp, "pipc_objects_unseen_holder{kind=\"%s\"} "
			    "%llu\n", pipc_type_name((enum pipc_type)k),
			    t->unseen[k]);
	if (t->store) {
		one(fp, "pipc_store_size_bytes", "Size of the shared memory "
		    "store's file system.", "store", dirs.shm,
		    bs * sv->f_blocks);
		one(fp, "pipc_store_used_bytes", "Bytes used in the shared "
		    "memory store, by every file, named or not.", "store",
		    dirs.shm, bs * (sv->f_blocks - sv->f_bfree));
		one(fp, "pipc_store_free_bytes", "Bytes free in the shared "
		    "memory store for an unprivileged user.", "store",
		    dirs.shm, bs * sv->f_bavail);
		one(fp, "pipc_store_files", "Inodes the shared memory store "
		    "can hold.", "store", dirs.shm, sv->f_files);
		one(fp, "pipc_store_files_free", "Inodes free in the shared "
		    "memory store.", "store", dirs.shm, sv->f_ffree);
	}
	if (places.active && t->read[SRC_SHM])
		place_stores(fp);
	if (places.active) {
		family(fp, "pipc_namespaces_unread", "Stores and IPC namespaces "
		    "found but not read: their objects are not counted.");
		fprintf(fp, "pipc_namespaces_unread %zu\n", t->unread_places);
		family(fp, "pipc_namespaces_scan_duration_seconds", "How long "
		    "finding the stores and IPC namespaces took.");
		fprintf(fp, "pipc_namespaces_scan_duration_seconds %.6f\n",
		    places.seconds);
	} else if (t->read[SRC_MQUEUE])
		one(fp, "pipc_mqueue_available", "1 if the queue directory is "
		    "an mqueue file system and was read, else 0.", "dir",
		    dirs.mq, t->mq_available);
	removeipc_metrics(fp, &t->removeipc, types);
	family(fp, "pipc_scan_errors", "1 if this source could not be read "
	    "in full: the sums then count what was read.");
	for (s = 0; s < NSOURCES; s++)
		if (t->read[s])
			fprintf(fp, "pipc_scan_errors{source=\"%s\"} %d\n",
			    source_names[s], t->failed[s]);
	family(fp, "pipc_scan_unreadable_processes", "Processes whose maps "
	    "or fds could not be read: objects nobody else is seen to hold "
	    "are unknown.");
	fprintf(fp, "pipc_scan_unreadable_processes %zu\n", t->unread);
	family(fp, "pipc_scan_duration_seconds", "How long the scan took.");
	fprintf(fp, "pipc_scan_duration_seconds %.6f\n", t->seconds);
}

/*
 * DIR/pipc.prom, whole or not at all: node_exporter may read the file at
 * any moment, so the text goes to a new file whose name does not end in
 * .prom, is synced, and is renamed over the old one, which any failure
 * leaves as it was. Signals are held off from the create to the rename or
 * the unlink, so that an interrupt leaves no temporary file behind.
 */
static int
write_textfile(int dfd, const char *dir, const char *text, size_t len)
{
	char tmp[32];
	const char *what = NULL;
	sigset_t old;
	size_t off;
	ssize_t n;
	int fd, i, e = 0;

	pipc_hold_signals(&old);
	for (i = 0, fd = -1; fd == -1 && i < 100; i++) {
		snprintf(tmp, sizeof(tmp), "." PROM_FILE ".%08x",
		    (unsigned)arc4random());
		if ((fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, PROM_MODE)) == -1 &&
		    errno != EEXIST)
			break;
	}
	if (fd == -1) {
		e = errno;
		what = "cannot create a temporary file";
		goto out;
	}
	for (off = 0; off < len; off += (size_t)n)
		if ((n = write(fd, text + off, len - off)) == -1 &&
		    errno != EINTR) {
			what = "cannot write";
			break;
		} else if (n == -1)
			n = 0;
	if (what == NULL && fchmod(fd, PROM_MODE) == -1)
		what = "cannot set its mode";
	if (what == NULL && fsync(fd) == -1)
		what = "cannot sync";
	e = errno;
	if (close(fd) == -1 && what == NULL) {
		e = errno;
		what = "cannot write";
	}
	if (what == NULL && renameat(dfd, tmp, dfd, PROM_FILE) == -1) {
		e = errno;
		what = "cannot rename the temporary file over it";
	}
	if (what != NULL)
		unlinkat(dfd, tmp, 0);
	else
		fsync(dfd);	/* the rename itself, at best */
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (what == NULL)
		return 0;
	warnx("%s/%s: %s: %s; the old file is left as it was", shown(dir),
	    PROM_FILE, what, strerror(e));
	return -1;
}

static int
metrics_main(int argc, char **argv)
{
	const char *textfile = NULL;
	struct tally t;
	unsigned types = 0;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	pid_t target = 0;
	int ch, rv, dfd = -1, all = 0;

	while ((ch = getopt_cmd(&cmd_metrics, argc, argv)) != -1) {
		switch (ch) {
		case 'A': all = 1; break;
		case 'N': target = pid_arg(optarg); break;
		case 't': types |= type_arg(optarg); break;
		case OPT_TEXTFILE: textfile = optarg; break;
		default:
			common_option(&cmd_metrics, ch, optarg);
		}
	}
	if (optind != argc) {
		warnx("unexpected argument '%s'", shown(argv[optind]));
		usage(&cmd_metrics);
	}
	if (all && target != 0) {
		warnx("-A and -N exclude each other");
		usage(&cmd_metrics);
	}
	if (types == 0)
		types = PIPC_ALL_TYPES;
	/* A directory that is not there fails before any work. */
	if (textfile != NULL && (dfd = open(textfile,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		err(1, "--textfile %s", shown(textfile));

	if (all || target != 0)
		places_find(target);
	rv = scan(&t, types);
	if ((fp = open_memstream(&text, &len)) == NULL)
		err(1, NULL);
	print_metrics(fp, &t, types);
	if (fclose(fp) == EOF)
		err(1, NULL);
	if (textfile == NULL)
		fwrite(text, 1, len, stdout);
	else {
		if (write_textfile(dfd, textfile, text, len) == -1)
			rv = 1;
		close(dfd);
	}
	free(text);
	free(t.per);
	return rv;
}

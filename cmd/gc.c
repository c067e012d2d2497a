/* gc: remove what nobody holds (orphans, stale locks, leftovers), safely. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util_gc.h"
#include "util_places.h"

/* How long a process that opened a name just before the rename may take. */
#define SETTLE_MS	10
/* How long to wait for another gc on the same directory. */
#define GC_WAIT_MS	30000

enum {
	OPT_CHECK = OPT_COMMON_LAST, OPT_MIN_AGE, OPT_USER, OPT_ALL_USERS,
	OPT_SINCE, OPT_FORCE
};

static const struct opt opts[] = {
	{ 'n', "dry-run", NULL, "say what would be removed, remove nothing", 0 },
	{ OPT_CHECK, "check", NULL, "remove nothing; exit 4 if anything is to go",
	    0 },
	{ 't', "type", "TYPE", "only %K objects (repeatable)",
	    O_MANY | ARG_KIND },
	{ OPT_MIN_AGE, "min-age", "DUR", "only objects unchanged this long: 30s, "
	    "10m, 2h,\n1d (default 10m; 0 with --since)", 0 },
	{ OPT_USER, "user", "USER", "collect USER's objects instead of yours",
	    O_GROUP(1) | ARG_USER },
	{ OPT_ALL_USERS, "all-users", NULL, "collect every user's objects",
	    O_GROUP(1) },
	{ OPT_SINCE, "since", "SNAPSHOT",
	    "only objects not in SNAPSHOT, from 'pipc ls -J'",
	    ARG_FILE },
	{ OPT_FORCE, "force", NULL, "also objects whose holders cannot all be seen",
	    0 },
	OPT_ALL_NS,
	OPT_NS,
	{ 'v', "verbose", NULL, "also list what is kept, and why", 0 },
	{ 'J', "json", NULL, "JSON", 0 },
	{ 'b', "bytes", NULL, "sizes in bytes", 0 },
	COMMON_OPTS,
	END_OPTS
};

static int gc_main(int, char **);

const struct cmd cmd_gc = {
	"gc", gc_main, opts,
	"[PATTERN...]",
	OPND_OBJECT, 0
};

static void
read_since(struct opts *op, const char *file)
{
	const char *why;
	char *buf = NULL;
	size_t len = 0, cap = 0, off;
	ssize_t n;
	int fd, rv;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "%s", shown(file));
	do {
		if (cap - len < 65536 &&
		    (buf = realloc(buf, cap = cap * 2 + 65536)) == NULL)
			err(1, NULL);
		if ((n = read(fd, buf + len, cap - len)) == -1)
			err(1, "%s", shown(file));
		len += (size_t)n;
	} while (n > 0);
	close(fd);
	rv = pipc_snapshot_parse(&op->snap, buf, len, &why, &off);
	free(buf);
	if (rv == -1)
		errx(2, "%s: byte %zu: %s: not a 'pipc ls -J' snapshot",
		    shown(file), off, why);
	op->since = 1;
}

static int
matches(const struct pipc_obj *o, int argc, char **argv)
{
	const char *orig = pipc_gc_origin(o);
	int a;

	for (a = 0; a < argc; a++)
		if (pattern_match(argv[a], o, NULL) ||
		    (orig != NULL && pattern_match(argv[a], o, orig)))
			return 1;
	return argc == 0;
}

/* Age from the later of mtime and ctime: a just-written object is young. */
static int
young(const struct pipc_obj *o, time_t min_age, const struct timespec *now)
{
	const struct timespec *t = &o->st.st_mtim;

	if (o->st.st_ctim.tv_sec > t->tv_sec ||
	    (o->st.st_ctim.tv_sec == t->tv_sec &&
	    o->st.st_ctim.tv_nsec > t->tv_nsec))
		t = &o->st.st_ctim;
	return now->tv_sec - t->tv_sec < min_age ||
	    (now->tv_sec - t->tv_sec == min_age && now->tv_nsec < t->tv_nsec);
}

/*
 * Whether the rule of the program that made r's object keeps it
 * (pipc-gc(1), CREATORS). Whether a program runs is asked of /proc once a gc, and only
 * when an object of its would otherwise go.
 */
static int
creator_keeps(struct row *r)
{
	static signed char *runs;	/* per creator: 0 unasked, 1, 2 no, -1 */
	static pid_t *pids;
	size_t i;

	if (r->creator == NULL)
		return 0;
	switch (r->creator->keep) {
	case PIPC_KEEP_NEVER:
		r->runs = 0;
		return 1;
	case PIPC_KEEP_WHILE_RUNNING:
		break;
	default:
		return 0;
	}
	if (runs == NULL && ((runs = calloc(pipc_ncreators, 1)) == NULL ||
	    (pids = calloc(pipc_ncreators, sizeof(*pids))) == NULL))
		err(1, NULL);
	i = (size_t)(r->creator - pipc_creators);
	if (runs[i] == 0 && (runs[i] = (signed char)pipc_creator_running(
	    r->creator, &pids[i])) == 0)
		runs[i] = 2;
	r->runs = runs[i];
	r->pid = pids[i];
	return runs[i] != 2;
}

/* Judge one object: why it would go, and what gc does with it. */
static void
judge(const struct pipc_obj *o, const struct opts *op,
    const struct timespec *now, struct row *r)
{
	/* In use: mapped, open, or a lock whose recorded owner lives. */
	int held = o->held == PIPC_HELD_YES;
	/* A quarantine is of the name it had. */
	const char *orig = o->quarantine ? pipc_gc_origin(o) : NULL;

	r->creator = pipc_creator_of(o->type, orig != NULL ? orig : o->name);

	r->reason = o->temp ? "temp" : o->quarantine ? "quarantine" :
	    pipc_state_name(o->state);
	if (o->foreign)
		r->act = A_FOREIGN;
	else if (!op->all_users && o->st.st_uid != op->uid)
		r->act = A_USER;
	else if (held)
		r->act = o->quarantine ? A_RESTORE : A_HELD;
	else if (o->held == PIPC_HELD_UNKNOWN && !op->force)
		r->act = A_UNKNOWN;
	else if (!o->quarantine && young(o, op->min_age, now))
		r->act = A_YOUNG;
	/* A quarantine its creator keeps goes back under its name. */
	else if (creator_keeps(r))
		r->act = o->quarantine ? A_RESTORE : A_CREATOR;
	else
		r->act = A_COLLECT;
}

/*
 * One gc at a time on a directory: two at once would each take the
 * other's leases and quarantines for holders and keep everything. An
 * flock on the shared memory directory, which anyone may take, so it is
 * waited for only so long; after that gc goes on, as safely, alone or not.
 */
static int
exclusive(const char *dir, const char *shown_as)
{
	struct timespec slice = { 0, 10000000 };
	int fd, i;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	for (i = 0; flock(fd, LOCK_EX | LOCK_NB) == -1; i++) {
		if (errno != EWOULDBLOCK || i == GC_WAIT_MS / 10) {
			if (errno == EWOULDBLOCK)
				warnx("%s: another gc has held it for %d s: "
				    "going on beside it", shown_as,
				    GC_WAIT_MS / 1000);
			break;
		}
		nanosleep(&slice, NULL);
	}
	return fd;
}

static uid_t
user_arg(const char *s)
{
	struct passwd *pw;
	const char *e;
	long long id;

	if ((pw = getpwnam(s)) != NULL)
		return pw->pw_uid;
	id = strtonum(s, 0, UINT32_MAX - 1, &e);
	if (e != NULL) {
		warnx("unknown user '%s'", shown(s));
		exit(2);
	}
	return (uid_t)id;
}

/* Do it: every candidate and every held quarantine in one batch. */
static int
collect(struct pipc_list *l, struct row *rows, size_t n,
    const struct opts *op, struct pipc_gc **out)
{
	struct pipc_gc *v;
	struct pipc_dirs d;
	struct rlimit rl;
	size_t i, j, k = 0;
	uint32_t where;
	int rv = 0;

	/* A batch is as large as the files we may hold open (gc.c). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		err(1, NULL);
	for (i = 0; i < n; i++)
		if (rows[i].act == A_COLLECT || rows[i].act == A_RESTORE) {
			v[k].obj = rows[i].obj;
			v[k].restore = rows[i].act == A_RESTORE;
			rows[i].gc = &v[k++];
		}
	/* Place by place (-A, -N): the list is sorted by place. */
	for (i = 0; i < k; i = j) {
		where = l->v[v[i].obj].where;
		for (j = i + 1; j < k && l->v[v[j].obj].where == where; j++)
			continue;
		if (places.active)
			place_dirs(where, PIPC_ALL_TYPES, &d);
		if (pipc_gc_collect(l, places.active ? &d : &dirs, v + i, j - i,
		    op->force ? PIPC_GC_FORCE : 0, SETTLE_MS) == -1) {
			warn("/proc: cannot look for holders again; nothing "
			    "removed%s%s", places.active ? " in " : "",
			    places.active ? places.v[where].shown : "");
			rv = 1;
		}
	}
	*out = v;
	return rv;
}

static int
gc_main(int argc, char **argv)
{
	struct pipc_list l;
	struct pipc_gc *gcv = NULL;
	struct timespec now;
	struct tally t;
	struct opts op;
	struct row *rows;
	char name[4096], buf[256];
	const char *orig, *act;
	unsigned types = 0, want = 0;
	size_t i, n = 0, nlocks = 0;
	pid_t target = 0;
	int ch, rv = 0, min_age = 0, a, width = 0, all = 0, *locks;

	memset(&op, 0, sizeof(op));
	memset(&t, 0, sizeof(t));
	op.uid = geteuid();
	op.min_age = 600;
	while ((ch = getopt_cmd(&cmd_gc, argc, argv)) != -1) {
		switch (ch) {
		case 'b': op.bytes = 1; break;
		case 'J': op.json = 1; break;
		case 'n': op.dry = 1; break;
		case 'v': op.verbose = 1; break;
		case 't': types |= type_arg(optarg); break;
		case OPT_CHECK: op.check = 1; break;
		case OPT_FORCE: op.force = 1; break;
		case 'A': all = 1; break;
		case 'N': target = pid_arg(optarg); break;
		case OPT_ALL_USERS: op.all_users = 1; break;
		case OPT_USER:
			op.uid = user_arg(optarg);
			want = 1;
			break;
		case OPT_MIN_AGE:
			if (pipc_parse_duration(optarg, &op.min_age) == -1) {
				warnx("--min-age '%s': %s", shown(optarg),
				    errno == ERANGE ? "longer than ten years" :
				    "not a duration such as 30s, 10m, 2h, 1d");
				return 2;
			}
			min_age = 1;
			break;
		case OPT_SINCE:
			if (op.since) {
				warnx("--since given twice");
				return 2;
			}
			read_since(&op, optarg);
			break;
		default:
			common_option(&cmd_gc, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (want && op.all_users) {
		warnx("--user and --all-users exclude each other");
		usage(&cmd_gc);
	}
	/* The snapshot says what is new: that alone decides, unless asked. */
	if (op.since && !min_age)
		op.min_age = 0;
	types = pattern_types(types, argc, argv);

	if (all && target != 0) {
		warnx("-A and -N exclude each other");
		usage(&cmd_gc);
	}
	if (all || target != 0)
		places_find(target);
	if ((locks = calloc(places.n + 1, sizeof(*locks))) == NULL)
		err(1, NULL);
	if (!op.dry && !op.check && !places.active)
		locks[nlocks++] = exclusive(dirs.shm, dirs.shm);
	for (i = 0; !op.dry && !op.check && i < places.n; i++)
		if (places.v[i].store != NULL && places.v[i].path[0] != '\0')
			locks[nlocks++] = exclusive(places.v[i].path,
			    places.v[i].shown);
	if (places.active)
		rv = places_scan(&l, types, PIPC_SCAN_HELD, "not collected");
	else {
		if (pipc_scan(&l, &dirs, types | PIPC_SCAN_HELD) == -1) {
			/* Which one: the shm directory, unless it can be
			 * read. */
			warn("%s", l.scan_path);
			rv = 1;
		}
		if (l.mq_missing && types == PIPC_TYPE_BIT(PIPC_MQ)) {
			warn_no_mqueue(NULL);
			rv = 1;
		}
	}
	if (pipc_holders(&l) == -1) {
		warn("/proc: cannot look for holders; nothing removed");
		pipc_list_free(&l);
		return 1;
	}
	pipc_classify(&l);
	pipc_list_sort(&l);
	if ((rows = calloc(l.n + 1, sizeof(*rows))) == NULL)
		err(1, NULL);
	clock_gettime(CLOCK_REALTIME, &now);
	for (i = 0; i < l.n; i++) {
		const struct pipc_obj *o = &l.v[i];

		orig = pipc_gc_origin(o);
		if (!matches(o, argc, argv) || (op.since &&
		    pipc_snapshot_has(&op.snap, o->type, orig ? orig : o->name,
		    o->st.st_ino)))
			continue;
		rows[n].obj = i;
		judge(o, &op, &now, &rows[n++]);
	}
	if (!op.dry && !op.check && collect(&l, rows, n, &op, &gcv) != 0)
		rv = 1;
	for (i = 0; i < n && !op.json; i++)
		if (gc_shown(&rows[i], &op) &&
		    (a = (int)pipc_gc_label(name, sizeof(name),
		    &l.v[rows[i].obj], 0)) >
		    width)
			width = a;
	gc_print_begin(&op);
	for (i = 0; i < n; i++) {
		gc_count(&t, &rows[i], &l.v[rows[i].obj], &op);
		if (rows[i].gc != NULL && rows[i].gc->result == PIPC_GC_FAILED) {
			rv = 1;
			if (!op.json) {
				pipc_gc_label(name, sizeof(name),
				    &l.v[rows[i].obj], 0);
				warnx("%s: %s", name, strerror(rows[i].gc->err));
			}
		}
		act = gc_action(&rows[i], &op, buf, sizeof(buf));
		if (!gc_shown(&rows[i], &op))
			continue;
		gc_print_row(&l, &rows[i], &op, act, width);
	}
	gc_summary(&t, &op);
	gc_warn_unknown(&l, &t);
	/* Something to collect wins, but not over a failure to look. */
	if (op.check && t.removed > 0 && rv == 0)
		rv = 4;
	for (i = 0; i < nlocks; i++)
		if (locks[i] != -1)
			close(locks[i]);
	free(locks);
	free(gcv);
	free(rows);
	pipc_list_free(&l);
	pipc_snapshot_free(&op.snap);
	return rv;
}

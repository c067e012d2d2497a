/* inspect: everything pipc knows of objects, and what shared memory holds. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <unistd.h>

#include "util_ls.h"

static const struct opt opts[] = {
	{ 't', "type", "TYPE", "only %K (repeatable)", O_MANY | ARG_KIND },
	{ 'J', "json", NULL, "JSON", 0 },
	COMMON_OPTS,
	END_OPTS
};

static int inspect_main(int, char **);

const struct cmd cmd_inspect = {
	"inspect", inspect_main, opts,
	"NAME...",
	OPND_OBJECT, 0
};

/* What was read of one shared memory object, beside its list entry. */
struct seen {
	int		 read;		/* 1 recognised, 0 not, -1 unread */
	int		 err;		/* unread: why */
	struct pipc_contents c;
	const char	*why[PIPC_CONTENTS_LOCKS];	/* owner unknown: why */
};

static const char *const alive_words[] = {
	[PIPC_OWNER_DEAD] = "dead", [PIPC_OWNER_ALIVE] = "alive",
	[PIPC_OWNER_UNKNOWN] = "unknown"
};

/* The one object of the kinds in mask by that name, or -1 (said why). */
static long
find(const struct pipc_list *l, const char *name, unsigned mask)
{
	char kinds[PIPC_NTYPES * (NAME_MAX * 4 + 16)];
	size_t i, n = 0, k = 0;
	long hit = -1;

	for (i = 0; i < l->n; i++)
		if ((mask & PIPC_TYPE_BIT(l->v[i].type)) &&
		    strcmp(l->v[i].name, name) == 0 && n++ == 0)
			hit = (long)i;
	if (n == 0) {
		warnx("%s: no such object", obj_label(-1, name));
		return -1;
	}
	if (n == 1)
		return hit;
	kinds[0] = '\0';
	for (i = 0; i < l->n; i++)
		if ((mask & PIPC_TYPE_BIT(l->v[i].type)) &&
		    strcmp(l->v[i].name, name) == 0) {
			if (k++ > 0)
				strlcat(kinds, k == n ? " and " : ", ",
				    sizeof(kinds));
			strlcat(kinds, obj_label(l->v[i].type, name),
			    sizeof(kinds));
		}
	warnx("%s: exists as %s; say which with -t or a prefix",
	    obj_label(-1, name), kinds);
	return -1;
}

/* Open the file of shared memory object o: O_RDONLY, or O_RDWR to release
 * a mutex; the very file listed, or -1 with errno (ESTALE: another now). */
static int
open_obj(const struct pipc_obj *o, int rw)
{
	struct stat st;
	int dfd, fd, e;

	if ((dfd = pipc_dir_open(&dirs, o->type)) == -1)
		return -1;
	fd = openat(dfd, o->file, (rw ? O_RDWR : O_RDONLY) | O_NOFOLLOW |
	    O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	e = errno;
	close(dfd);
	if (fd == -1) {
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) == -1 || st.st_ino != o->st.st_ino ||
	    st.st_dev != o->st.st_dev || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	return fd;
}

/* Read what shared memory object o holds; judge its taken mutexes. */
static void
look(const struct pipc_list *l, struct pipc_obj *o, struct seen *s)
{
	size_t i;
	int fd;

	memset(s, 0, sizeof(*s));
	s->read = -1;
	if (o->type != PIPC_SHM || o->foreign || o->deleted)
		return;
	if ((fd = open_obj(o, 0)) == -1) {
		s->err = errno;
		return;
	}
	if ((s->read = pipc_contents_read(fd, (uint64_t)o->st.st_size,
	    &s->c)) == -1)
		s->err = errno;
	close(fd);
	for (i = 0; s->read == 1 && i < s->c.nmutex; i++)
		if (s->c.mutex[i].locked)
			pipc_pmutex_alive(l, o, &s->c.mutex[i], &s->why[i]);
}

/* What an operator should know first: the stuck mutex, the stuck lock. */
static size_t
notes(const struct pipc_obj *o, const struct seen *s, char v[][256],
    size_t max)
{
	const struct pipc_pmutex *m;
	size_t i, n = 0;

	for (i = 0; i < s->c.nmutex && n < max; i++) {
		m = &s->c.mutex[i];
		if (!m->locked || m->alive != PIPC_OWNER_DEAD)
			continue;
		snprintf(v[n++], sizeof(v[0]), "thread %d, which holds its "
		    "%s mutex, is dead: whoever takes that mutex waits for "
		    "ever; 'pipc unlock --force %s' releases it", (int)m->tid,
		    m->role, obj_label(o->type, o->name));
	}
	for (i = 0; i < s->c.nmutex && n < max; i++) {
		m = &s->c.mutex[i];
		if (m->robust && m->owner_died && n < max)
			snprintf(v[n++], sizeof(v[0]), "the owner of its robust "
			    "%s mutex died: the next to take it is told "
			    "(EOWNERDEAD) and must make it consistent",
			    m->role);
		if (m->robust && m->notrecoverable && n < max)
			snprintf(v[n++], sizeof(v[0]), "its robust %s mutex is "
			    "not recoverable: every lock fails "
			    "(ENOTRECOVERABLE)", m->role);
	}
	if (o->type == PIPC_SEM && o->facts && o->value == 0 &&
	    o->waiters > 0 && o->lock == NULL && n < max)
		snprintf(v[n++], sizeof(v[0]), "at 0 with %u waiter%s and no "
		    "owner record: the classic stuck named mutex (a "
		    "boost::interprocess::named_mutex whose holder died); "
		    "'pipc unlock --force %s' releases it once that holder "
		    "is known to be gone", (unsigned)o->waiters,
		    o->waiters == 1 ? "" : "s", obj_label(o->type, o->name));
	return n;
}

static void
print_cell(const char *heading, const char *cell, void *arg)
{
	char word[32];
	size_t i;

	(void)arg;
	for (i = 0; heading[i] != '\0' && i < sizeof(word) - 1; i++)
		word[i] = (char)(heading[i] >= 'A' && heading[i] <= 'Z' ?
		    heading[i] - 'A' + 'a' : heading[i]);
	word[i] = '\0';
	printf("  %s: %s\n", word, cell);
}

static void
print_mutex(const struct pipc_pmutex *m, const char *why)
{
	printf("    mutex %s at %llu: ", m->role, (unsigned long long)m->off);
	if (!m->locked)
		printf("free");
	else if (m->tid <= 0)
		printf("taken, owner not recorded");
	else
		printf("taken by thread %d, %s", (int)m->tid,
		    alive_words[m->alive]);
	if (m->locked && m->alive == PIPC_OWNER_ALIVE)
		printf(" (in PID %d)", (int)m->holder);
	if (why != NULL)
		printf(" (%s)", why);
	printf("; lock word 0x%x, owner %d, kind 0x%x%s%s%s\n",
	    (unsigned)m->lock, (int)m->owner, (unsigned)m->kind,
	    m->robust ? ", robust" : "",
	    m->owner_died ? ", owner died" : "",
	    m->notrecoverable ? ", not recoverable" : "");
}

static void
print_text(const struct pipc_list *l, const struct pipc_obj *o,
    const struct seen *s)
{
	char v[8][256];
	size_t i, n;

	printf("%s\n", obj_label(o->type, o->name));
	ls_object_cells(l, o, print_cell, NULL);
	if (o->type == PIPC_SHM && !o->foreign && !o->deleted) {
		if (s->read == -1)
			printf("  contents: not read: %s\n", strerror(s->err));
		else if (s->read == 0)
			printf("  contents: not recognised\n");
		else
			printf("  contents: %s (%s layout)\n", s->c.what,
			    s->c.layout);
	}
	for (i = 0; s->read == 1 && i < s->c.nfacts; i++)
		printf("    %s: %llu\n", s->c.facts[i].key,
		    s->c.facts[i].value);
	for (i = 0; s->read == 1 && i < s->c.nmutex; i++)
		print_mutex(&s->c.mutex[i], s->why[i]);
	for (i = 0; s->read == 1 && i < s->c.ncond; i++)
		printf("    condition %s at %llu: %u waiter%s\n",
		    s->c.cond[i].role, (unsigned long long)s->c.cond[i].off,
		    (unsigned)s->c.cond[i].waiters,
		    s->c.cond[i].waiters == 1 ? "" : "s");
	for (i = 0; s->read == 1 && i < s->c.nevidence; i++)
		printf("    evidence: %s\n", s->c.evidence[i]);
	n = notes(o, s, v, sizeof(v) / sizeof(v[0]));
	for (i = 0; i < n; i++)
		printf("  note: %s\n", v[i]);
}

static void
json_contents(struct json *j, const struct seen *s)
{
	const struct pipc_pmutex *m;
	size_t i;

	if (s->read != 1) {
		json_null(j, "contents");
		return;
	}
	json_object(j, "contents");
	json_str(j, "what", s->c.what);
	json_str(j, "layout", s->c.layout);
	json_object(j, "facts");
	for (i = 0; i < s->c.nfacts; i++)
		json_uint(j, s->c.facts[i].key, s->c.facts[i].value);
	json_end(j);
	json_array(j, "mutexes", 0);
	for (i = 0; i < s->c.nmutex; i++) {
		m = &s->c.mutex[i];
		json_object(j, NULL);
		json_str(j, "role", m->role);
		json_uint(j, "offset", m->off);
		json_uint(j, "lock", m->lock);
		json_int(j, "owner", m->owner);
		json_uint(j, "count", m->count);
		json_uint(j, "users", m->nusers);
		json_uint(j, "kind", (unsigned)m->kind);
		json_bool(j, "robust", m->robust);
		json_bool(j, "locked", m->locked);
		json_bool(j, "owner_died", m->owner_died);
		json_bool(j, "not_recoverable", m->notrecoverable);
		if (m->locked && m->tid > 0)
			json_int(j, "tid", m->tid);
		else
			json_null(j, "tid");
		if (m->locked)
			json_str(j, "alive", alive_words[m->alive]);
		else
			json_null(j, "alive");
		if (m->locked && m->alive == PIPC_OWNER_ALIVE)
			json_int(j, "holder", m->holder);
		else
			json_null(j, "holder");
		json_str(j, "why", s->why[i]);
		json_end(j);
	}
	json_end(j);
	json_array(j, "conditions", 0);
	for (i = 0; i < s->c.ncond; i++) {
		json_object(j, NULL);
		json_str(j, "role", s->c.cond[i].role);
		json_uint(j, "offset", s->c.cond[i].off);
		json_uint(j, "waiters", s->c.cond[i].waiters);
		json_end(j);
	}
	json_end(j);
	json_array(j, "evidence", 0);
	for (i = 0; i < s->c.nevidence; i++)
		json_str(j, NULL, s->c.evidence[i]);
	json_end(j);
	json_end(j);
}

static void
print_json(struct json *j, const struct pipc_list *l,
    const struct pipc_obj *o, const struct seen *s)
{
	char v[8][256];
	size_t i, n;

	json_object(j, NULL);
	ls_object_json(j, l, o);
	if (o->type == PIPC_SHM)
		json_contents(j, s);
	n = notes(o, s, v, sizeof(v) / sizeof(v[0]));
	json_array(j, "notes", 0);
	for (i = 0; i < n; i++)
		json_str(j, NULL, v[i]);
	json_end(j);
	json_end(j);
}

/* The list, holders and states of the kinds in mask. 0, or 1 (said). */
static int
scan(struct pipc_list *l, unsigned mask)
{
	int rv = 0;

	if (pipc_scan(l, &dirs, mask | PIPC_SCAN_HELD) == -1) {
		warn("%s", l->scan_path);
		rv = 1;
	}
	if (l->mq_missing && (mask & PIPC_TYPE_BIT(PIPC_MQ))) {
		warn_no_mqueue(NULL);
		if (mask == PIPC_TYPE_BIT(PIPC_MQ))
			rv = 1;
	}
	if (pipc_holders(l) == -1) {
		warn("/proc");
		l->incomplete = 1;
	}
	pipc_classify(l);
	pipc_list_sort(l);
	return rv;
}

static int
inspect_main(int argc, char **argv)
{
	struct pipc_list l;
	struct json j;
	struct seen s;
	unsigned types = 0, need = 0, mask;
	const char *name;
	long i;
	int ch, json = 0, rv, a, first = 1;

	while ((ch = getopt_cmd(&cmd_inspect, argc, argv)) != -1) {
		switch (ch) {
		case 'J': json = 1; break;
		case 't': types |= type_arg(optarg); break;
		default:
			common_option(&cmd_inspect, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage(&cmd_inspect);
	if (types == 0)
		types = PIPC_ALL_TYPES;
	for (a = 0; a < argc; a++) {
		name = object_operand(argv[a], types, &mask);
		if (strpbrk(name, "*?[") != NULL)
			errx(2, "%s: inspect takes names, not patterns",
			    shown(argv[a]));
		need |= mask;
	}
	rv = scan(&l, need);
	if (json) {
		json_begin(&j, JSON_COMPACT);
		json_object(&j, NULL);
		json_array(&j, "objects", 1);
	}
	for (a = 0; a < argc; a++) {
		name = object_operand(argv[a], types, &mask);
		if ((i = find(&l, name, mask)) == -1) {
			rv = 1;
			continue;
		}
		look(&l, &l.v[i], &s);
		if (json)
			print_json(&j, &l, &l.v[i], &s);
		else {
			if (!first)
				putchar('\n');
			print_text(&l, &l.v[i], &s);
		}
		first = 0;
	}
	if (json) {
		json_end(&j);
		json_end(&j);
	}
	pipc_list_free(&l);
	return rv;
}

/*
 * unlock --force shm:NAME: release each mutex inside the object whose
 * holder is dead, and say so. A holder alive or not proved dead keeps its
 * mutex, --force or not: two threads inside would be worse than a hang.
 */
int
inspect_release(const char *arg, int force)
{
	struct pipc_list l;
	struct pipc_contents again;
	struct pipc_pmutex *m;
	struct seen s;
	const char *label, *why, *name;
	size_t k, done = 0, taken = 0;
	long i;
	pid_t ns;
	int fd, r, rv = 1;

	name = kind_operand(arg, PIPC_SHM, "unlock --force releases a dead "
	    "holder's mutex inside shared memory, or a semaphore's lock");
	label = obj_label(PIPC_SHM, name);
	if (scan(&l, PIPC_TYPE_BIT(PIPC_SHM)) != 0 ||
	    (i = find(&l, name, PIPC_TYPE_BIT(PIPC_SHM))) == -1)
		goto out;
	if (l.v[i].foreign) {
		warnx("%s: not an IPC object", label);
		goto out;
	}
	look(&l, &l.v[i], &s);
	if (s.read != 1) {
		if (s.read == -1)
			warnx("%s: %s", label, strerror(s.err));
		else
			warnx("%s: holds nothing pipc recognises: nothing to "
			    "release", label);
		goto out;
	}
	for (k = 0; k < s.c.nmutex; k++) {
		m = &s.c.mutex[k];
		if (!m->locked)
			continue;
		taken++;
		if (m->robust) {
			warnx("%s: its %s mutex is robust: the next to take "
			    "it is told its owner died; left alone", label,
			    m->role);
			continue;
		}
		if (m->alive == PIPC_OWNER_ALIVE) {
			warnx("%s: its %s mutex is held by thread %d of PID "
			    "%d, alive: not released", label, m->role,
			    (int)m->tid, (int)m->holder);
			continue;
		}
		if (m->alive != PIPC_OWNER_DEAD) {
			warnx("%s: its %s mutex is held by a thread not proved "
			    "dead (%s): not released", label, m->role,
			    s.why[k] != NULL ? s.why[k] : "unknown");
			continue;
		}
		if (!force) {
			warnx("%s: its %s mutex is held by thread %d, which is "
			    "dead: not released (--force releases it)", label,
			    m->role, (int)m->tid);
			continue;
		}
		/* A thread that unmapped the object after it took the mutex
		 * is no holder, yet may give it back later: where a thread of
		 * that number lives in our own namespace, it may be the one. */
		if (pipc_nspid(m->tid, &ns) == 0 && ns == m->tid) {
			warnx("%s: its %s mutex is held by thread %d, not a "
			    "holder's, but a thread %d lives in this PID "
			    "namespace and may be it: not released", label,
			    m->role, (int)m->tid, (int)m->tid);
			continue;
		}
		/* Its holders were judged before this fd was opened: the
		 * kernel's answer then counted nobody of ours. The guard keeps
		 * two pipc from racing on it; then the bytes are read again. */
		if ((fd = open_obj(&l.v[i], 1)) == -1) {
			warn("%s", label);
			continue;
		}
		if (flock(fd, LOCK_EX) == -1 ||
		    pipc_contents_read(fd, (uint64_t)l.v[i].st.st_size,
		    &again) != 1 || strcmp(again.what, s.c.what) != 0 ||
		    k >= again.nmutex || again.mutex[k].lock == 0 ||
		    again.mutex[k].tid != m->tid ||
		    pipc_pmutex_alive(&l, &l.v[i], &again.mutex[k], &why) !=
		    PIPC_OWNER_DEAD) {
			warnx("%s: its %s mutex changed meanwhile: not "
			    "released", label, m->role);
			close(fd);
			continue;
		}
		if ((r = pipc_pmutex_release(fd, &again.mutex[k])) == -1)
			warn("%s: %s mutex", label, m->role);
		else {
			printf("%s: released the %s mutex at %llu, held by "
			    "thread %d, dead; %s\n", label, m->role,
			    (unsigned long long)m->off, (int)m->tid, r == 1 ?
			    "woke a waiter" : "nobody was waiting");
			done++;
		}
		close(fd);
	}
	if (done > 0) {
		warnx("%s: what the dead thread was changing under that mutex "
		    "may be half written: its users must check it", label);
		rv = 0;
	} else if (taken == 0)
		warnx("%s: no mutex in it is taken: nothing to release", label);
out:
	pipc_list_free(&l);
	return rv;
}

/* Places: the stores and IPC namespaces that -A and -N list, in order. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "util_places.h"

struct places places;

/* The host first, then by label, a container's store before its queues. */
static int
cmp_place(const void *a, const void *b)
{
	const struct place *x = a, *y = b;
	int c;

	if (x->host != y->host)
		return x->host ? -1 : 1;
	if ((c = strcmp(x->label, y->label)) != 0)
		return c;
	if ((x->ns != NULL) != (y->ns != NULL))
		return x->ns != NULL ? 1 : -1;
	return strcmp(x->id, y->id);
}

static struct place *
place_add(void)
{
	struct place *p;

	if ((p = reallocarray(places.v, places.n + 1, sizeof(*p))) == NULL)
		err(1, NULL);
	places.v = p;
	p = &places.v[places.n++];
	memset(p, 0, sizeof(*p));
	return p;
}

/* The store and IPC namespace of process pid, for -N. */
static int
target_ids(pid_t pid, dev_t *dev, ino_t *ino)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)pid);
	if (stat(path, &st) == -1)
		return -1;
	*ino = st.st_ino;
	if (pipc_proc_shm_dev(pid, dev) == -1)
		*dev = 0;
	return 0;
}

/*
 * Find every store and IPC namespace (target 0), or those of process
 * target, and make them the places to list: exits 1 when /proc cannot
 * be read or target is no process we may look at.
 */
void
places_find(pid_t target)
{
	const struct pipc_store *st;
	const struct pipc_ipcns *ns;
	struct place *p;
	struct timespec t0, t1;
	struct stat own;
	dev_t tdev = 0, shmdev = 0, mqdev = 0;
	ino_t tino = 0;
	size_t i;

	if (target != 0 && target_ids(target, &tdev, &tino) == -1)
		errx(1, "-N %d: %s", (int)target, errno == ENOENT ?
		    "no such process" : strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (pipc_stores_scan(&places.s, 0) == -1)
		err(1, "/proc");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	places.seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	places.active = 1;
	places.target = target;
	/* Ours are shown where we find them. */
	if (stat(dirs.shm, &own) == 0)
		shmdev = own.st_dev;
	if (stat(dirs.mq, &own) == 0)
		mqdev = own.st_dev;
	for (i = 0; i < places.s.n; i++) {
		st = &places.s.v[i];
		if (target != 0 && st->dev != tdev)
			continue;
		p = place_add();
		p->store = st;
		p->host = st->host;
		pipc_cglabel_text(p->label, sizeof(p->label), &st->label);
		snprintf(p->id, sizeof(p->id), "%u:%u", major(st->dev),
		    minor(st->dev));
		snprintf(p->shown, sizeof(p->shown), "%s", st->dev == shmdev ?
		    dirs.shm : st->path);
		if (st->fd != -1)
			snprintf(p->path, sizeof(p->path), "/proc/self/fd/%d",
			    st->fd);
	}
	for (i = 0; i < places.s.nns; i++) {
		ns = &places.s.ns[i];
		if (target != 0 && ns->ino != tino)
			continue;
		p = place_add();
		p->ns = ns;
		p->host = ns->host;
		pipc_cglabel_text(p->label, sizeof(p->label), &ns->label);
		snprintf(p->id, sizeof(p->id), "ipc:[%llu]",
		    (unsigned long long)ns->ino);
		if (ns->fd != -1) {
			snprintf(p->path, sizeof(p->path), "/proc/self/fd/%d",
			    ns->fd);
			snprintf(p->shown, sizeof(p->shown), "%s",
			    ns->mqdev != 0 && ns->mqdev == mqdev ? dirs.mq :
			    ns->mq == PIPC_MQ_MOUNTED ? ns->path : p->id);
		}
	}
	if (target != 0 && places.n == 0)
		errx(1, "-N %d: its store and IPC namespace cannot be read",
		    (int)target);
	qsort(places.v, places.n, sizeof(*places.v), cmp_place);
}

/* The dirs of place i, whose kinds are the ones it has of types. */
unsigned
place_dirs(size_t i, unsigned types, struct pipc_dirs *d)
{
	const struct place *p = &places.v[i];

	*d = dirs;
	if (p->path[0] == '\0')
		return 0;
	if (p->ns != NULL) {
		d->mq = p->path;
		return types & PIPC_TYPE_BIT(PIPC_MQ);
	}
	d->shm = p->path;
	return types & ~PIPC_TYPE_BIT(PIPC_MQ);
}

/* Does place p hold kinds of types, and can it not be read? */
static int
unread(const struct place *p, unsigned types)
{
	return p->path[0] == '\0' && (types & (p->ns != NULL ?
	    PIPC_TYPE_BIT(PIPC_MQ) : ~PIPC_TYPE_BIT(PIPC_MQ)));
}

size_t
places_unread(unsigned types)
{
	size_t i, n = 0;

	for (i = 0; i < places.n; i++)
		n += unread(&places.v[i], types);
	return n;
}

/*
 * Say, once each, what cannot be listed: a namespace whose queues cannot
 * be reached, a store that could not be opened, processes we may not read.
 * what: "not listed", "not collected". Returns how many were said.
 */
int
places_warn(unsigned types, const char *what)
{
	const struct place *p;
	const struct pipc_stores *s = &places.s;
	size_t i;
	int n = 0;

	for (i = 0; i < places.n; i++) {
		p = &places.v[i];
		if (!unread(p, types))
			continue;
		n++;
		if (p->ns == NULL)
			warnx("store %s (%s, process %d): %s: cannot be "
			    "opened", p->id, p->label, (int)p->store->pid,
			    what);
		else if (p->ns->mqpid != 0)
			warnx("queues of %s (%s): %s: process %d shows an "
			    "mqueue that is not this namespace's, and it "
			    "cannot be entered: %s", p->id, p->label, what,
			    (int)p->ns->mqpid, strerror(p->ns->err));
		else
			warnx("queues of %s (%s): %s: no mqueue mounted in "
			    "it, and it cannot be entered: %s", p->id,
			    p->label, what, strerror(p->ns->err));
	}
	if (s->nunread > 0 && places.target == 0) {
		n++;
		warnx("%zu %s could not be read (process %d: %s): "
		    "stores and namespaces only %s are %s", s->nunread,
		    s->nunread == 1 ? "process" : "processes",
		    (int)s->unread_pid, strerror(s->unread_err),
		    s->nunread == 1 ? "it uses" : "they use", what);
	} else if (s->hidepid && places.target == 0) {
		n++;
		warnx("/proc hides other users' processes (hidepid): "
		    "stores and namespaces only they use are %s", what);
	}
	return n;
}

/*
 * The objects of every place, each with its place's index as where: a
 * place that cannot be read is said, and fails the command; so does one
 * -N's process uses that cannot be reached. What -A cannot reach of a
 * whole host is said, and the rest is listed.
 */
int
places_scan(struct pipc_list *l, unsigned types, unsigned flags,
    const char *what)
{
	struct pipc_dirs d;
	unsigned here;
	size_t i;
	int rv = 0;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < places.n; i++) {
		if ((here = place_dirs(i, types, &d)) == 0)
			continue;
		l->scan_errno = 0;
		if (pipc_scan_add(l, &d, here | flags, (uint32_t)i) == -1) {
			warn("%s", places.v[i].shown);
			rv = 1;
		}
	}
	if (places_warn(types, what) > 0 && places.target != 0)
		rv = 1;
	return rv;
}

/* The widest label, for a column of them. */
int
places_label_width(void)
{
	size_t i, w = 0;

	for (i = 0; i < places.n; i++)
		if (strlen(places.v[i].label) > w)
			w = strlen(places.v[i].label);
	return (int)w;
}

/* -N's argument: a PID, else a usage error (exit 2). */
pid_t
pid_arg(const char *s)
{
	const char *e;
	long long v;

	v = strtonum(s, 1, INT32_MAX, &e);
	if (e != NULL) {
		warnx("-N '%s': not a process ID", shown(s));
		exit(2);
	}
	return (pid_t)v;
}

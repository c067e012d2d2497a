/*
 * Collecting objects without the open/unlink race. A plain check-then-unlink
 * removes an object that a process opens between the check and the unlink.
 *
 * So each candidate is first leased (lease.c): the kernel grants a write
 * lease only if nobody holds the file, in any PID namespace, and from then
 * on an open by anyone breaks it, which we can see. Then it moves out of
 * reach of new lookups: shm and sem are renamed to a quarantine name in the
 * same directory (".pipc-gc.INODE.NAME"); queues, which cannot be renamed,
 * get mode 01000, so that only root can open them (a root opener breaks the
 * lease). After a short settle, which lets an open that looked the name up
 * before the rename reach the lease, what nobody opened is unlinked and the
 * rest put back. The lease is the re-check; where the kernel gives no
 * answer (not our file, no CAP_LEASE, no leases on this filesystem), one
 * pass over /proc looks for holders instead. The rename stays: a lease
 * alone would hold an opener back, then hand it the unlinked object.
 *
 * A batch moves at once (one directory pass checks the renames, one /proc
 * pass at most), as large as the open files allowed to the process.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define IN_BATCH	1	/* renamed, or already a quarantine */
#define GUARDED		2	/* a queue whose mode gc set to 01000 */

static const char *
path_of(char *buf, size_t size, const char *dir, const char *file)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, file) >= size)
		return NULL;
	return buf;
}

static void	put_back(int, const char *, const struct pipc_obj *,
		    struct pipc_gc *, enum pipc_gc_result);

static int
cmp_ino(const void *a, const void *b)
{
	const ino_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static void
failed(struct pipc_gc *g, int err)
{
	g->result = err == ENOENT ? PIPC_GC_GONE : PIPC_GC_FAILED;
	g->err = err;
}

/*
 * Move a shm or sem object out of reach of shm_open and sem_open. What the
 * rename moved is checked later, for the whole batch at once (verify).
 */
/*
 * Open the file judged as o (named file in dfd) and, with take, ask the
 * kernel for a lease on it. Returns 0 (g->fd open unless we may not open
 * it, g->leased when the kernel granted the lease), or -1 with g->result
 * set: held, changed or gone.
 */
static int
lease(int dfd, const char *file, const struct pipc_obj *o, struct pipc_gc *g,
    int take)
{
	static const int modes[] = { O_RDONLY, O_WRONLY };
	struct stat st;
	size_t i;

	for (i = 0; i < 2 && g->fd == -1; i++)
		g->fd = openat(dfd, file, modes[i] | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);
	if (g->fd == -1) {
		/* Another's lease: it holds the file open. */
		if (errno == EWOULDBLOCK) {
			g->result = PIPC_GC_HELD;
			return -1;
		}
		if (errno == ENOENT) {
			failed(g, ENOENT);
			return -1;
		}
		return 0;	/* not ours to open: /proc will tell */
	}
	if (fstat(g->fd, &st) == -1 || st.st_ino != o->st.st_ino ||
	    st.st_dev != o->st.st_dev) {
		g->result = PIPC_GC_CHANGED;
		return -1;
	}
	if (!take)
		return 0;
	if (pipc_lease_take(g->fd) == 0)
		g->leased = 1;
	else if (errno == EAGAIN) {
		g->result = PIPC_GC_HELD;
		return -1;
	}
	return 0;
}

static void
quarantine(int dfd, const char *dir, const struct pipc_obj *o,
    struct pipc_gc *g)
{
	char q[NAME_MAX + 1], path[PATH_MAX];

	g->st = o->st;
	if (lease(dfd, o->file, o, g, 1) == -1)
		return;
	if (o->quarantine) {
		g->moved = IN_BATCH;
		return;
	}
	/* A name too long to carry is recorded first, so a killed gc's
	 * quarantine can still be undone; without xattrs it still works. */
	if (pipc_gc_qname(q, sizeof(q), o) == 0 &&
	    snprintf(path, sizeof(path), "%s/%s", dir, o->file) <
	    (int)sizeof(path) && lsetxattr(path, PIPC_GC_XATTR, o->file,
	    strlen(o->file), 0) == -1 && errno == ENOENT) {
		failed(g, ENOENT);
		return;
	}
	if (renameat2(dfd, o->file, dfd, q, RENAME_NOREPLACE) == -1) {
		failed(g, errno);
		return;
	}
	g->moved = IN_BATCH;
	g->renamed = 1;
}

/*
 * One pass over the directory instead of a stat per object: each renamed
 * member of the kinds that live there (kdir) must have its quarantine name
 * hold the inode judged, a regular file. One swapped for another object
 * since the scan is put back, untouched.
 */
static int
verify(int dfd, const char *dir, size_t kdir, const struct pipc_list *l,
    struct pipc_gc *v, size_t n)
{
	const struct pipc_obj *o;
	struct dirent *de;
	struct stat st;
	ino_t *ok = NULL;
	size_t i, nok = 0, cap = 0;
	DIR *d;
	int fd, t;

	if ((fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if ((t = pipc_kind_claim(kdir, de->d_name)) == -1 ||
		    pipc_gc_qparse(de->d_name, (enum pipc_type)t,
		    de->d_ino) == NULL ||
		    (de->d_type != DT_REG && (de->d_type != DT_UNKNOWN ||
		    fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode))))
			continue;
		if (nok == cap && (ok = reallocarray(ok, cap = cap * 2 + 256,
		    sizeof(*ok))) == NULL) {
			closedir(d);
			return -1;
		}
		ok[nok++] = de->d_ino;
	}
	closedir(d);
	if (nok > 0)
		qsort(ok, nok, sizeof(*ok), cmp_ino);
	for (i = 0; i < n; i++) {
		o = &l->v[v[i].obj];
		if (!v[i].renamed || pipc_kind(o->type)->dir != kdir)
			continue;
		if (nok > 0 && bsearch(&o->st.st_ino, ok, nok, sizeof(*ok),
		    cmp_ino) != NULL)
			continue;
		put_back(dfd, dir, o, &v[i], PIPC_GC_CHANGED);
		v[i].moved = 0;
	}
	free(ok);
	return 0;
}

/*
 * A kind gc cannot rename (a queue): mode 01000 keeps every opener but root
 * out, and the lease (taken after, so that no opener slips between) tells
 * of a root one.
 */
static void
guard(int dfd, const struct pipc_obj *o, struct pipc_gc *g)
{
	g->st = o->st;
	if (lease(dfd, o->file, o, g, 0) == -1)
		return;
	g->moved = IN_BATCH;
	if (g->fd == -1)
		return;		/* not ours to open: checked, unguarded */
	if (!o->quarantine && fchmod(g->fd, PIPC_GC_MQMODE) == 0)
		g->moved = GUARDED;
	if (pipc_lease_take(g->fd) == 0)
		g->leased = 1;
	else if (errno == EAGAIN) {
		put_back(dfd, NULL, o, g, PIPC_GC_HELD);
		g->moved = 0;
	}
}

/*
 * Look for holders once more, through /proc, of the batch members the
 * kernel gave no lease answer for: held[i] for v[i]. pipc_holders reads a
 * process's open files before its maps, so a process that opened an object
 * before the rename is seen, by its fd or by the map it made before
 * closing it.
 */
static int
recheck(struct pipc_list *l, struct pipc_gc *v, size_t n, char *held,
    int *incomplete)
{
	struct pipc_list rl;
	size_t i, j;

	memset(&rl, 0, sizeof(rl));
	if ((rl.v = calloc(n + 1, sizeof(*rl.v))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].moved && !v[i].leased) {
			rl.v[rl.n] = l->v[v[i].obj];
			rl.v[rl.n].lock = NULL;		/* l's to free */
			rl.v[rl.n].contents = NULL;
			rl.v[rl.n].st = v[i].st;
			rl.v[rl.n].foreign = 0;
			rl.v[rl.n++].nhold = 0;
		}
	if (rl.n > 0 && pipc_holders(&rl) == -1) {
		pipc_list_free(&rl);
		return -1;
	}
	*incomplete = rl.incomplete;
	for (i = 0, j = 0; i < n; i++)
		if (v[i].moved && !v[i].leased)
			held[i] = rl.v[j++].nhold > 0;
	pipc_list_free(&rl);
	return 0;
}

/*
 * An object nobody holds open may still be taken, as a semaphore used as a
 * lock: `pipc lock NAME` can have opened it before the rename, taken it and
 * recorded its owner (the calling script) since. Its kind reads the
 * quarantined file, through our own fd where we have one (another open
 * would break our lease).
 */
static int
taken(int dfd, const struct pipc_obj *o, const struct pipc_gc *g)
{
	int (*taken_by_owner)(int) = pipc_kind(o->type)->taken_by_owner;
	char q[NAME_MAX + 1];
	int fd = g->fd, yes;

	if (taken_by_owner == NULL)
		return 0;
	pipc_gc_qname(q, sizeof(q), o);
	if (fd == -1 && (fd = openat(dfd, q, O_RDONLY | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC)) == -1)
		return 0;
	yes = taken_by_owner(fd);
	if (fd != g->fd)
		close(fd);
	return yes;
}

/* Put a batch member back where it was; an old quarantine to its origin. */
static void
put_back(int dfd, const char *dir, const struct pipc_obj *o,
    struct pipc_gc *g, enum pipc_gc_result why)
{
	char q[NAME_MAX + 1], path[PATH_MAX];
	const char *to = o->quarantine ? o->origin : o->file;

	g->result = why;
	if (pipc_kind(o->type)->flags & PIPC_KIND_NORENAME) {
		if (g->moved == GUARDED &&
		    fchmod(g->fd, o->st.st_mode & 07777) == -1)
			failed(g, errno);
		else if (o->quarantine)
			g->result = PIPC_GC_STUCK;	/* its mode is lost */
		return;
	}
	pipc_gc_qname(q, sizeof(q), o);
	if (to == NULL)
		g->result = PIPC_GC_STUCK;
	else if (renameat2(dfd, q, dfd, to, RENAME_NOREPLACE) == -1)
		errno == EEXIST ? (void)(g->result = PIPC_GC_STUCK) :
		    failed(g, errno);
	else if (path_of(path, sizeof(path), dir, to) != NULL)
		lremovexattr(path, PIPC_GC_XATTR);
}

static void
finish(int dfd, const char *dir, const struct pipc_obj *o,
    struct pipc_gc *g)
{
	char q[NAME_MAX + 1];
	struct stat st;

	if (pipc_kind(o->type)->flags & PIPC_KIND_NORENAME) {
		/* The name never moved: check it still is this queue. */
		if (fstatat(dfd, o->file, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    st.st_ino != g->st.st_ino)
			failed(g, ENOENT);
		else if (unlinkat(dfd, o->file, 0) == -1)
			failed(g, errno);
		else
			g->result = PIPC_GC_REMOVED;
		return;
	}
	pipc_gc_qname(q, sizeof(q), o);
	if (unlinkat(dfd, q, 0) == 0)
		g->result = PIPC_GC_REMOVED;
	else if (errno == ENOENT)
		failed(g, ENOENT);
	else {
		g->err = errno;
		put_back(dfd, dir, o, g, PIPC_GC_FAILED);
		g->result = PIPC_GC_FAILED;
	}
}

/*
 * The directory pass of verify, once for each directory of kinds that gc
 * renames: -1 with errno when one could not be read.
 */
static int
verify_dirs(const struct pipc_list *l, const struct pipc_dirs *d,
    struct pipc_gc *v, size_t n, const int dfd[PIPC_NTYPES])
{
	const struct pipc_kind *k;
	unsigned here;
	int t, u, renames;

	for (t = 0; t < PIPC_NTYPES; t++) {
		k = pipc_kind((enum pipc_type)t);
		here = pipc_kinds_at(k->dir);
		for (u = 0, renames = 0; u < PIPC_NTYPES; u++)
			if ((here & PIPC_TYPE_BIT(u)) &&
			    !(pipc_kind((enum pipc_type)u)->flags &
			    PIPC_KIND_NORENAME))
				renames = 1;
		if (ffs((int)here) - 1 != t || !renames || dfd[t] == -1)
			continue;
		if (verify(dfd[t], pipc_dir_of(d, (enum pipc_type)t), k->dir, l,
		    v, n) == -1)
			return -1;
	}
	return 0;
}

/*
 * One batch: as many members as we may hold files open at once. dfd and
 * dirfail: the directory of each kind, open, or why it is not.
 */
static int
collect_batch(struct pipc_list *l, const struct pipc_dirs *d,
    struct pipc_gc *v, size_t n, int flags, const struct timespec *settle,
    const int dfd[PIPC_NTYPES], const int dirfail[PIPC_NTYPES])
{
	const struct pipc_kind *k;
	const struct pipc_obj *o;
	const char *dir;
	char *held;
	int incomplete = 0, rv = 0, saved = 0, t;
	size_t i;

	if ((held = calloc(n + 1, 1)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		o = &l->v[v[i].obj];
		t = o->type;
		v[i].moved = v[i].renamed = v[i].leased = 0;
		v[i].fd = -1;
		v[i].err = 0;
		if (dfd[t] == -1)
			failed(&v[i], dirfail[t]);
		else if (v[i].restore)
			put_back(dfd[t], pipc_dir_of(d, o->type), o, &v[i],
			    PIPC_GC_RESTORED);
		else if (pipc_kind(o->type)->flags & PIPC_KIND_NORENAME)
			guard(dfd[t], o, &v[i]);
		else
			quarantine(dfd[t], pipc_dir_of(d, o->type), o, &v[i]);
	}
	nanosleep(settle, NULL);
	if (verify_dirs(l, d, v, n, dfd) == -1 ||
	    recheck(l, v, n, held, &incomplete) == -1) {
		saved = errno;
		rv = -1;
	}
	/* Whether anyone opened each member since it was leased. */
	for (i = 0; i < n; i++)
		if (v[i].leased)
			held[i] = pipc_lease_broken(v[i].fd);
	/*
	 * mq_open holds the queue directory's lock while it waits for a
	 * lease (PIPC_KIND_DIRLOCK), so an unlink there under any lease of
	 * ours could wait for it while it waits for us, for the
	 * lease-break-time: every such lease is let go first, and each is
	 * asked once more, in a single system call, just before its unlink.
	 * Shared memory and semaphores (a plain open waits for a lease
	 * without that lock) keep theirs.
	 */
	for (i = 0; i < n; i++)
		if (v[i].leased && (pipc_kind(l->v[v[i].obj].type)->flags &
		    PIPC_KIND_DIRLOCK))
			pipc_lease_drop(v[i].fd);
	for (i = 0; i < n; i++) {
		o = &l->v[v[i].obj];
		t = o->type;
		k = pipc_kind(o->type);
		dir = pipc_dir_of(d, o->type);
		if (!v[i].moved)
			;
		else if (rv == -1) {
			put_back(dfd[t], dir, o, &v[i], PIPC_GC_FAILED);
			v[i].err = saved;
		} else if (held[i] || ((k->flags & PIPC_KIND_DIRLOCK) &&
		    v[i].leased && pipc_lease_probe(v[i].fd) != PIPC_HELD_NO) ||
		    taken(dfd[t], o, &v[i]))
			put_back(dfd[t], dir, o, &v[i],
			    o->quarantine ? PIPC_GC_RESTORED : PIPC_GC_HELD);
		else if (!v[i].leased && incomplete &&
		    !(flags & PIPC_GC_FORCE))
			put_back(dfd[t], dir, o, &v[i], PIPC_GC_UNKNOWN);
		else
			finish(dfd[t], dir, o, &v[i]);
		/* Released only now: an opener held back by the lease finds
		 * the object back under its name, or finds no name. */
		if (v[i].fd != -1)
			close(v[i].fd);
	}
	free(held);
	errno = saved;
	return rv;
}

/*
 * Hold off every signal that would end us halfway, in this thread, until
 * the caller puts old back (pthread_sigmask): all but those a fault
 * raises, which cannot wait.
 */
void
pipc_hold_signals(sigset_t *old)
{
	sigset_t block;

	sigfillset(&block);
	sigdelset(&block, SIGSEGV);
	sigdelset(&block, SIGBUS);
	sigdelset(&block, SIGFPE);
	sigdelset(&block, SIGILL);
	sigdelset(&block, SIGABRT);
	pthread_sigmask(SIG_BLOCK, &block, old);
}

/*
 * Collect the n candidates v[i].obj of l (scanned, holders found): each
 * gets its result. Signals that would end gc halfway are held off until
 * everything is removed or put back. Returns -1 with errno when holders
 * could not be looked for again; then everything was put back.
 */
int
pipc_gc_collect(struct pipc_list *l, const struct pipc_dirs *d,
    struct pipc_gc *v, size_t n, int flags, unsigned settle_ms)
{
	struct timespec ts = { settle_ms / 1000, settle_ms % 1000 * 1000000L };
	struct rlimit rl;
	sigset_t old;
	size_t i, batch = n;
	int dfd[PIPC_NTYPES], dirfail[PIPC_NTYPES], rv = 0, saved = 0, t, first;

	/* Each member holds an fd until its batch ends; leave some over. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		batch = rl.rlim_cur > 128 ? rl.rlim_cur - 64 : 64;
	/* Each directory opened once, for the kinds that live there. */
	for (t = 0; t < PIPC_NTYPES; t++) {
		first = ffs((int)pipc_kinds_at(pipc_kind(t)->dir)) - 1;
		if (first < t) {
			dfd[t] = dfd[first];
			dirfail[t] = dirfail[first];
			continue;
		}
		dfd[t] = open(pipc_dir_of(d, (enum pipc_type)t),
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		dirfail[t] = errno;
	}
	pipc_hold_signals(&old);
	for (i = 0; i < n; i += batch)
		if (collect_batch(l, d, v + i, n - i < batch ? n - i : batch,
		    flags, &ts, dfd, dirfail) == -1 && rv == 0) {
			saved = errno;
			rv = -1;
		}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	for (t = 0; t < PIPC_NTYPES; t++)
		if (ffs((int)pipc_kinds_at(pipc_kind(t)->dir)) - 1 == t &&
		    dfd[t] != -1)
			close(dfd[t]);
	errno = saved;
	return rv;
}

/*
 * Collecting objects without the open/unlink race. A plain check-then-unlink
 * removes an object that a process opens between the check and the unlink.
 * So each candidate first moves out of reach of new opens: shm and sem are
 * renamed to a quarantine name in the same directory (".pipc-gc.INODE.NAME"),
 * queues, which cannot be renamed, get mode 01000 so that only root can open
 * them. Then, after a short settle, holders are looked for again; only what
 * nobody holds is unlinked, the rest is put back. The whole batch moves at
 * once: one pass over the directory checks the renames, one over /proc
 * looks for holders, whatever the number of objects.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "pipc.h"

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
static void
quarantine(int dfd, const char *dir, const struct pipc_obj *o,
    struct pipc_gc *g)
{
	char q[NAME_MAX + 1], path[PATH_MAX];

	g->st = o->st;
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
 * member's quarantine name must hold the inode judged, a regular file. One
 * swapped for another object since the scan is put back, untouched.
 */
static int
verify(int dfd, const char *dir, const struct pipc_list *l, struct pipc_gc *v,
    size_t n)
{
	const struct pipc_obj *o;
	struct dirent *de;
	struct stat st;
	ino_t *ok = NULL;
	size_t i, nok = 0, cap = 0;
	DIR *d;
	int fd;

	if ((fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		int sem = strncmp(de->d_name, "sem.", 4) == 0;

		if (pipc_gc_qparse(de->d_name, sem, de->d_ino) == NULL ||
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
		if (!v[i].renamed)
			continue;
		o = &l->v[v[i].obj];
		if (nok > 0 && bsearch(&o->st.st_ino, ok, nok, sizeof(*ok),
		    cmp_ino) != NULL)
			continue;
		put_back(dfd, dir, o, &v[i], PIPC_GC_CHANGED);
		v[i].moved = 0;
	}
	free(ok);
	return 0;
}

/* A queue: mode 01000 keeps every opener but root out. */
static void
guard_queue(int dfd, const struct pipc_obj *o, struct pipc_gc *g)
{
	static const int modes[] = { O_RDONLY, O_WRONLY };
	size_t i;

	g->st = o->st;
	g->moved = IN_BATCH;
	if (o->quarantine)
		return;
	for (i = 0; i < 2 && g->fd == -1; i++)
		g->fd = openat(dfd, o->file, modes[i] | O_NOFOLLOW |
		    O_NONBLOCK | O_CLOEXEC);
	if (g->fd == -1) {
		if (errno == ENOENT) {
			g->moved = 0;
			failed(g, ENOENT);
		}
		return;		/* not ours to open: checked, unguarded */
	}
	if (fstat(g->fd, &g->st) == -1 || g->st.st_ino != o->st.st_ino) {
		close(g->fd);
		g->fd = -1;
		g->moved = 0;
		g->result = PIPC_GC_CHANGED;
		return;
	}
	if (fchmod(g->fd, PIPC_GC_MQMODE) == 0)
		g->moved = GUARDED;
}

/*
 * Look for holders of the batch once more. pipc_holders reads a process's
 * open files before its maps, so a process that opened an object before the
 * rename is seen, by its fd or by the map it made before closing it. held[j]
 * is set for each batch member someone holds.
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
		if (v[i].moved) {
			rl.v[rl.n] = l->v[v[i].obj];
			rl.v[rl.n].lock = NULL;		/* l's to free */
			rl.v[rl.n].st = v[i].st;
			rl.v[rl.n].foreign = 0;
			rl.v[rl.n++].nhold = 0;
		}
	if (pipc_holders(&rl) == -1) {
		pipc_list_free(&rl);
		return -1;
	}
	*incomplete = rl.incomplete;
	for (j = 0; j < rl.n; j++)
		held[j] = rl.v[j].nhold > 0;
	pipc_list_free(&rl);
	return 0;
}

/*
 * A semaphore nobody maps may still be a held lock: `pipc lock NAME` can
 * have opened it before the rename, taken it and recorded its owner (the
 * calling script) since. Its quarantined file tells.
 */
static int
lock_taken(int dfd, const struct pipc_obj *o)
{
	struct pipc_owner owner;
	uint32_t value, waiters;
	char q[NAME_MAX + 1];
	int fd, taken = 0;

	pipc_gc_qname(q, sizeof(q), o);
	if ((fd = openat(dfd, q, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return 0;
	if (pipc_sem_read(fd, &value, &waiters) == 0 && value == 0 &&
	    pipc_owner_get(fd, &owner) == 1) {
		pipc_owner_check(&owner);
		taken = owner.alive != PIPC_OWNER_DEAD;
	}
	close(fd);
	return taken;
}

/* Put a batch member back where it was; an old quarantine to its origin. */
static void
put_back(int dfd, const char *dir, const struct pipc_obj *o,
    struct pipc_gc *g, enum pipc_gc_result why)
{
	char q[NAME_MAX + 1], path[PATH_MAX];
	const char *to = o->quarantine ? o->origin : o->file;

	g->result = why;
	if (o->type == PIPC_MQ) {
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

	if (o->type == PIPC_MQ) {
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
	const struct pipc_obj *o;
	sigset_t block, old;
	const char *dir;
	char *held;
	int dfd[2], dirfail[2], incomplete = 0, rv = 0, saved = 0;
	size_t i, j;

	if ((held = calloc(n + 1, 1)) == NULL)
		return -1;
	dfd[0] = open(d->shm, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dirfail[0] = errno;
	dfd[1] = open(d->mq, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dirfail[1] = errno;
	sigfillset(&block);
	sigdelset(&block, SIGSEGV);
	sigdelset(&block, SIGBUS);
	sigdelset(&block, SIGFPE);
	sigdelset(&block, SIGILL);
	sigdelset(&block, SIGABRT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < n; i++) {
		o = &l->v[v[i].obj];
		v[i].moved = 0;
		v[i].renamed = 0;
		v[i].fd = -1;
		v[i].err = 0;
		if (dfd[o->type == PIPC_MQ] == -1)
			failed(&v[i], dirfail[o->type == PIPC_MQ]);
		else if (v[i].restore)
			put_back(dfd[0], d->shm, o, &v[i], PIPC_GC_RESTORED);
		else if (o->type == PIPC_MQ)
			guard_queue(dfd[1], o, &v[i]);
		else
			quarantine(dfd[0], d->shm, o, &v[i]);
	}
	nanosleep(&ts, NULL);
	if ((dfd[0] != -1 && verify(dfd[0], d->shm, l, v, n) == -1) ||
	    recheck(l, v, n, held, &incomplete) == -1) {
		saved = errno;
		rv = -1;
	}
	for (i = 0, j = 0; i < n; i++) {
		if (!v[i].moved)
			continue;
		o = &l->v[v[i].obj];
		dir = o->type == PIPC_MQ ? d->mq : d->shm;
		if (rv == -1) {
			put_back(dfd[o->type == PIPC_MQ], dir, o, &v[i],
			    PIPC_GC_FAILED);
			v[i].err = saved;
		} else if (held[j] || (o->type == PIPC_SEM &&
		    lock_taken(dfd[0], o)))
			put_back(dfd[o->type == PIPC_MQ], dir, o, &v[i],
			    o->quarantine ? PIPC_GC_RESTORED : PIPC_GC_HELD);
		else if (incomplete && !(flags & PIPC_GC_FORCE))
			put_back(dfd[o->type == PIPC_MQ], dir, o, &v[i],
			    PIPC_GC_UNKNOWN);
		else
			finish(dfd[o->type == PIPC_MQ], dir, o, &v[i]);
		j++;
		if (v[i].fd != -1)
			close(v[i].fd);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (dfd[0] != -1)
		close(dfd[0]);
	if (dfd[1] != -1)
		close(dfd[1]);
	free(held);
	errno = saved;
	return rv;
}

/*
 * libpipc's named locks: lock.c's semaphore with its owner record, behind
 * a handle that threads may share. The semaphore is the lock between
 * processes and between threads; the handle's mutex only keeps two threads
 * out of the guard at once, since a flock is shared by everyone using the
 * same open file and so cannot tell them apart.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "libpipc.h"

struct pipc_mutex {
	pthread_mutex_t	 mu;		/* the fields below, and the guard */
	struct pipc_lock lk;
	int		 flags;		/* PIPC_MUTEX_* */
	unsigned	 held;		/* units this handle took, not given back */
	unsigned	 gen;		/* forks when me was made (0: not yet) */
	struct pipc_owner me;
};

/* While we wait, the owner may die: look again this often. */
#define SLICE_NS	100000000L

static pthread_once_t ids_once = PTHREAD_ONCE_INIT;

/*
 * Which process we are, counted rather than asked: getpid is a system call
 * on every acquire and release otherwise, and a system call is the whole
 * cost of an uncontended lock. A child starts a generation of its own.
 */
static volatile unsigned forks = 1;

static void
forked(void)
{
	forks++;
}

/* owner.c reads this boot's ids once, unlocked: read them before threads. */
static void
read_ids(void)
{
	struct pipc_owner o;

	pipc_owner_of(getpid(), &o);
	pthread_atfork(NULL, NULL, forked);
}

void
pipc_api_init(void)
{
	pthread_once(&ids_once, read_ids);
}

static void
ts_add(struct timespec *t, const struct timespec *d)
{
	t->tv_sec += d->tv_sec;
	if ((t->tv_nsec += d->tv_nsec) >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static int
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

int
pipc_mutex_open(pipc_mutex **mp, const char *name, int flags, mode_t mode)
{
	struct pipc_dirs dirs;
	struct pipc_mutex *m;
	struct stat st;
	const char *bare, *why;
	int dfd, value, e;

	*mp = NULL;
	pipc_api_init();
	if (name == NULL || (bare = pipc_name_check(name, PIPC_SEM, &why)) ==
	    NULL || (flags & ~(PIPC_MUTEX_CREATE | PIPC_MUTEX_NORECOVER |
	    PIPC_MUTEX_ANYUSER)) != 0)
		return EINVAL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return ENOMEM;
	if ((e = pthread_mutex_init(&m->mu, NULL)) != 0) {
		free(m);
		return e;
	}
	m->flags = flags;
	pipc_dirs_default(&dirs);
	if ((dfd = open(dirs.shm, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		e = errno;
		goto fail;
	}
	/* Another's lease fails the open at once (O_NONBLOCK); pipc holds
	 * one for microseconds while it recovers: open again. */
	while (pipc_lock_open(dfd, bare, flags & PIPC_MUTEX_CREATE, mode,
	    &m->lk) == -1) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			e = errno == ELOOP || errno == EISDIR ? EINVAL : errno;
			close(dfd);
			goto fail;
		}
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	close(dfd);
	/* Not a mutex: it admits several at once, or someone who is neither
	 * us nor root may post it at will (pipc lock's --any-sem). */
	if (sem_getvalue(m->lk.sem, &value) == -1 || fstat(m->lk.fd, &st) ==
	    -1) {
		e = errno;
		goto fail;
	}
	if (value > 1) {
		e = EINVAL;
		goto fail;
	}
	if (!(flags & PIPC_MUTEX_ANYUSER) && st.st_uid != geteuid() &&
	    st.st_uid != 0) {
		e = EPERM;
		goto fail;
	}
	*mp = m;
	return 0;
fail:
	if (m->lk.sem != NULL)
		pipc_lock_close(&m->lk);
	pthread_mutex_destroy(&m->mu);
	free(m);
	return e;
}

/* Our owner record, made again in a child that inherited the handle. */
static int
owner(struct pipc_mutex *m)
{
	unsigned gen = forks;

	if (m->gen == gen)
		return 0;
	if (pipc_owner_of(getpid(), &m->me) == -1)
		return errno;
	/* What the parent held through the handle is not the child's. */
	if (m->gen != 0)
		m->held = 0;
	m->gen = gen;
	return 0;
}

/*
 * Called with a unit taken: record us as its owner. A unit taken from a
 * semaphore that is still above 0 means it was above 1: no mutex, given
 * back. A record that cannot be written would leave a lock that looks
 * stale once we are gone: given back too, as `pipc lock` without CMD does.
 */
static int
taken(struct pipc_mutex *m)
{
	int value, e;

	if (sem_getvalue(m->lk.sem, &value) == -1)
		e = errno;
	else
		e = value > 0 ? EINVAL : 0;
	if (e != 0) {
		sem_post(m->lk.sem);
		return e;
	}
	pthread_mutex_lock(&m->mu);
	m->lk.deadline = NULL;
	if ((e = owner(m)) == 0 && pipc_lock_record(&m->lk, &m->me) == -1)
		e = errno;
	if (e == 0)
		m->held++;
	pthread_mutex_unlock(&m->mu);
	if (e != 0)
		sem_post(m->lk.sem);
	return e;
}

/* Take over the lock of a dead owner: 1 (ours now), 0, or -errno. */
static int
recover(struct pipc_mutex *m)
{
	struct pipc_owner prev;
	int r;

	if (m->flags & PIPC_MUTEX_NORECOVER)
		return 0;
	pthread_mutex_lock(&m->mu);
	m->lk.deadline = NULL;
	if ((r = owner(m)) != 0)
		r = -r;
	else if ((r = pipc_lock_recover(&m->lk, &m->me, PIPC_LOCK_REAPED,
	    -1, &prev)) == -1)
		r = -errno;
	else if (r == 1)
		m->held++;
	pthread_mutex_unlock(&m->mu);
	return r;
}

/*
 * Take the lock: at once (wait 0), until the CLOCK_MONOTONIC deadline, or
 * for as long as it takes (deadline NULL). Between waits of at most a
 * slice, look whether the owner died.
 */
static int
acquire(struct pipc_mutex *m, int wait, const struct timespec *deadline)
{
	struct timespec now, slice;
	int r;

	for (;;) {
		if (pipc_lock_take(&m->lk, 0, NULL) == 0)
			return taken(m);
		if (errno != EAGAIN)
			return errno;
		if ((r = recover(m)) == 1)
			return EOWNERDEAD;
		if (r < 0)
			return -r;
		if (!wait)
			return EBUSY;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (deadline != NULL && !ts_before(&now, deadline))
			return ETIMEDOUT;
		slice = now;
		ts_add(&slice, &(struct timespec){ 0, SLICE_NS });
		if (m->flags & PIPC_MUTEX_NORECOVER)
			r = pipc_lock_take(&m->lk, 1, deadline);
		else
			r = pipc_lock_take(&m->lk, 1, deadline == NULL ||
			    ts_before(&slice, deadline) ? &slice : deadline);
		if (r == 0)
			return taken(m);
		if (errno != ETIMEDOUT)
			return errno;
	}
}

int
pipc_mutex_acquire(pipc_mutex *m)
{
	return acquire(m, 1, NULL);
}

int
pipc_mutex_tryacquire(pipc_mutex *m)
{
	return acquire(m, 0, NULL);
}

int
pipc_mutex_timedacquire(pipc_mutex *m, const struct timespec *timeout)
{
	struct timespec deadline;

	if (timeout == NULL || timeout->tv_sec < 0 || timeout->tv_nsec < 0 ||
	    timeout->tv_nsec >= 1000000000L)
		return EINVAL;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	ts_add(&deadline, timeout);
	return acquire(m, 1, &deadline);
}

/*
 * Give the lock back if it is still ours. EPERM: this handle does not
 * hold it, or it was released (pipc unlock) or taken over meanwhile.
 */
int
pipc_mutex_release(pipc_mutex *m)
{
	int r, e = 0;

	pthread_mutex_lock(&m->mu);
	if (m->held == 0 || m->gen != forks)
		e = EPERM;
	else {
		m->lk.deadline = NULL;
		if ((r = pipc_lock_release(&m->lk, &m->me, NULL)) == -1)
			e = errno;
		else if (r == 1)
			e = EPERM;
		/* Not ours any more, whatever the answer. */
		m->held--;
	}
	pthread_mutex_unlock(&m->mu);
	return e;
}

/* Release what the handle holds, then free it. */
int
pipc_mutex_close(pipc_mutex *m)
{
	int e = 0;

	if (m == NULL)
		return 0;
	while (m->held > 0 && m->gen == forks) {
		int r = pipc_mutex_release(m);

		if (r != 0 && e == 0)
			e = r;
	}
	pipc_lock_close(&m->lk);
	pthread_mutex_destroy(&m->mu);
	free(m);
	return e;
}

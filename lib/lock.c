/*
 * A named semaphore used as a mutex, with an owner record beside its value.
 *
 * Every change of the record happens under an exclusive flock on the
 * sem.NAME file, and a lock changes hands from a dead owner by rewriting
 * the record while the value stays 0: never by posting and waiting again,
 * which would let a third process in between, or two recoverers at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/*
 * Open (with create, make at value 1 with mode) the semaphore name in the
 * directory dfd, keeping its file open for the guard and the record.
 */
int
pipc_lock_open(int dfd, const char *name, int create, mode_t mode,
    struct pipc_lock *lk)
{
	memset(lk, 0, sizeof(*lk));
	lk->fd = -1;
	if ((lk->sem = pipc_sem_open(dfd, name, create ? PIPC_SEM_CREATE : 0,
	    1, mode, NULL, &lk->fd)) == NULL)
		return -1;
	return 0;
}

void
pipc_lock_close(struct pipc_lock *lk)
{
	if (lk->sem != NULL)
		pipc_sem_close(lk->sem);
	if (lk->fd != -1)
		close(lk->fd);
	lk->sem = NULL;
	lk->fd = -1;
}

static int
passed(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec || (now.tv_sec ==
	    deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

/*
 * Take the guard, the exclusive flock on the file, waiting until the
 * CLOCK_MONOTONIC deadline (NULL: forever; ETIMEDOUT when it passes).
 * Every pipc holds it for microseconds, so a bounded wait polls with a
 * short back-off rather than arming a timer around a blocking flock.
 */
int
pipc_lock_guard(struct pipc_lock *lk, const struct timespec *deadline)
{
	struct timespec pause = { 0, 200000 };
	int rv;

	if (deadline == NULL) {
		while ((rv = flock(lk->fd, LOCK_EX)) == -1 && errno == EINTR)
			continue;
		return rv;
	}
	for (;;) {
		if (flock(lk->fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (passed(deadline)) {
			errno = ETIMEDOUT;
			return -1;
		}
		/* No back-off: a unit taken waits here for its record, and
		 * a holder killed meanwhile would leave none. */
		nanosleep(&pause, NULL);
	}
}

void
pipc_lock_unguard(struct pipc_lock *lk)
{
	flock(lk->fd, LOCK_UN);
}

/*
 * Take one unit: at once (wait 0: EAGAIN when busy), or waiting until the
 * CLOCK_MONOTONIC deadline (NULL: forever; ETIMEDOUT when it passes).
 */
int
pipc_lock_take(struct pipc_lock *lk, int wait, const struct timespec *deadline)
{
	int rv;

	do {
		if (!wait)
			rv = sem_trywait(lk->sem);
		else if (deadline == NULL)
			rv = sem_wait(lk->sem);
		else
			rv = sem_clockwait(lk->sem, CLOCK_MONOTONIC, deadline);
	} while (rv == -1 && errno == EINTR);
	return rv;
}

/* Write the record of who now holds it; silently none without xattrs. */
int
pipc_lock_record(struct pipc_lock *lk, const struct pipc_owner *o)
{
	int rv, e;

	if (lk->norecord)
		return 0;
	if (pipc_lock_guard(lk, lk->deadline) == -1)
		return -1;
	rv = pipc_owner_set(lk->fd, o);
	e = errno;
	pipc_lock_unguard(lk);
	if (rv == -1 && (e == ENOTSUP || e == EOPNOTSUPP)) {
		lk->norecord = 1;
		return 0;
	}
	errno = e;
	return rv;
}

/*
 * Hand the lock from one owner to another (pipc to the command it runs).
 * Fails with ESTALE when the record no longer names from: someone took
 * the lock over meanwhile.
 */
int
pipc_lock_transfer(struct pipc_lock *lk, const struct pipc_owner *from,
    const struct pipc_owner *to)
{
	struct pipc_owner cur;
	int rv = -1, e;

	if (lk->norecord)
		return 0;
	if (pipc_lock_guard(lk, lk->deadline) == -1)
		return -1;
	if (pipc_owner_get(lk->fd, &cur) == 1 && pipc_owner_same(&cur, from))
		rv = pipc_owner_set(lk->fd, to);
	else
		errno = ESTALE;
	e = errno;
	pipc_lock_unguard(lk);
	errno = e;
	return rv;
}

/*
 * Does a process other than us map or hold the semaphore open? 1 (*who is
 * one of them), 0, or -1 when not every process could be seen.
 */
int
pipc_lock_mapped(struct pipc_lock *lk, pid_t *who)
{
	struct pipc_list l;
	int rv = -1;

	memset(&l, 0, sizeof(l));
	if ((l.v = calloc(1, sizeof(*l.v))) == NULL)
		return -1;
	l.n = l.cap = 1;
	l.v[0].type = PIPC_SEM;
	if (fstat(lk->fd, &l.v[0].st) == 0 && pipc_holders(&l) == 0) {
		if (l.v[0].nhold > 0) {
			*who = l.procs[l.v[0].hold[0]].pid;
			rv = 1;
		} else if (l.incomplete)
			errno = EACCES;
		else
			rv = 0;
	}
	pipc_list_free(&l);
	return rv;
}

/*
 * Does a process other than us map or hold the semaphore open? The
 * kernel's answer first: a write lease on our own fd (the one our mapping
 * was made from, so that mapping is no other holder) is granted only when
 * no other open file description refers to the file, in any process of
 * any PID namespace, readable or not. Where the kernel gives no answer
 * (not the file's owner, or no leases), /proc's, as pipc_lock_mapped.
 * With keep, a lease granted stays held (*leased 1) until the caller
 * drops it: nobody can open the file meanwhile without breaking it.
 * 1 (*who: a PID /proc named, or 0), 0, or -1 when nobody can tell.
 */
static int
held(struct pipc_lock *lk, pid_t *who, int keep, int *leased)
{
	*who = 0;
	*leased = 0;
	if (pipc_lease_take(lk->fd) == 0) {
		if (keep)
			*leased = 1;
		else
			pipc_lease_drop(lk->fd);
		return 0;
	}
	if (errno == EAGAIN) {
		if (pipc_lock_mapped(lk, who) != 1)
			*who = 0;
		return 1;
	}
	return pipc_lock_mapped(lk, who);
}

int
pipc_lock_held(struct pipc_lock *lk, pid_t *who)
{
	int leased;

	return held(lk, who, 0, &leased);
}

/* How long the file has not changed: created, or its record rewritten. */
static time_t
age(int fd)
{
	struct stat st;
	time_t t;

	if (fstat(fd, &st) == -1)
		return 0;
	t = st.st_ctime > st.st_mtime ? st.st_ctime : st.st_mtime;
	return time(NULL) - t;
}

/* Is the owner, dead by pipc_owner_check, still a zombie, not reaped? */
static int
zombie(const struct pipc_owner *o)
{
	unsigned long long start;
	char state;

	return pipc_proc_stat(o->pid, &start, NULL, &state, NULL) == 0 &&
	    state == 'Z' && start == o->start;
}

/*
 * Take over a held lock whose recorded owner is dead, recording me as its
 * owner; the value stays 0 throughout. A lock with no record is taken
 * with PIPC_LOCK_FORCE, or when nobody maps it and it has not changed for
 * stale_after seconds (-1: never): nobody, as the kernel says while we
 * hold a lease on it, reading the value again and writing our record
 * before the lease is dropped (see held). Returns 1 when it is now ours,
 * 0 when not (*prev holds the live or unknown owner, or pid 0: none), -1
 * on error.
 */
int
pipc_lock_recover(struct pipc_lock *lk, const struct pipc_owner *me,
    int flags, time_t stale_after, struct pipc_owner *prev)
{
	int value, rec, take = 0, e, leased = 0;
	uint32_t v, w;
	pid_t who;

	memset(prev, 0, sizeof(*prev));
	if (pipc_lock_guard(lk, lk->deadline) == -1)
		return -1;
	if (sem_getvalue(lk->sem, &value) == -1 || value != 0)
		goto out;
	if (lk->norecord)
		rec = 0;
	else if ((rec = pipc_owner_get(lk->fd, prev)) == -1) {
		if (errno != ENOTSUP && errno != EOPNOTSUPP)
			goto fail;
		lk->norecord = 1;
		rec = 0;
	}
	if (rec)
		take = pipc_owner_check(prev) == PIPC_OWNER_DEAD &&
		    !((flags & PIPC_LOCK_REAPED) && zombie(prev));
	else if (flags & PIPC_LOCK_FORCE)
		take = 1;
	else if (stale_after >= 0 && age(lk->fd) >= stale_after) {
		take = held(lk, &who, 1, &leased) == 0;
		/* Posted before the lease: no longer held by anyone. */
		if (take && leased && (pipc_sem_read(lk->fd, &v, &w) == -1 ||
		    v != 0))
			take = 0;
	}
	if (take && !lk->norecord && pipc_owner_set(lk->fd, me) == -1) {
		if (errno != ENOTSUP && errno != EOPNOTSUPP)
			goto fail;
		lk->norecord = 1;
	}
out:
	if (leased)
		pipc_lease_drop(lk->fd);
	pipc_lock_unguard(lk);
	return take;
fail:
	e = errno;
	if (leased)
		pipc_lease_drop(lk->fd);
	pipc_lock_unguard(lk);
	errno = e;
	return -1;
}

/*
 * Whoever may write the file may truncate it while it is mapped: touching
 * the semaphore then is a SIGBUS. 0 when it is whole, else an errno
 * (ENODATA: cut short).
 */
static int
cut_short(struct pipc_lock *lk)
{
	struct stat st;

	if (fstat(lk->fd, &st) == -1)
		return errno;
	return st.st_size < PIPC_SEM_SIZE ? ENODATA : 0;
}

/*
 * Release the lock if it is still ours: recorded as mine or as alt (NULL:
 * none), or with no record at all, and at value 0. Returns 0 when
 * released, 1 when it had been taken over or released already, -1.
 * A counting semaphore (lk->counting) is posted once whatever its value
 * and record: each holder took one unit and gives one back; the record is
 * cleared only if it is ours. -1 with ENODATA: the file was cut short, the
 * semaphore is gone (not released).
 */
int
pipc_lock_release(struct pipc_lock *lk, const struct pipc_owner *mine,
    const struct pipc_owner *alt)
{
	struct pipc_owner cur;
	int value, rec = 0, rv = 1, e = 0;

	if (pipc_lock_guard(lk, lk->deadline) == -1)
		return -1;
	if (!lk->norecord && (rec = pipc_owner_get(lk->fd, &cur)) == -1)
		rec = 0;
	if (lk->counting) {
		if (rec && !pipc_owner_same(&cur, mine) &&
		    (alt == NULL || !pipc_owner_same(&cur, alt)))
			rec = 0;
		if ((e = cut_short(lk)) != 0) {
			rv = -1;
			goto out;
		}
		goto post;
	}
	if (rec && !pipc_owner_same(&cur, mine) &&
	    (alt == NULL || !pipc_owner_same(&cur, alt)))
		goto out;
	if ((e = cut_short(lk)) != 0) {
		rv = -1;
		goto out;
	}
	if (sem_getvalue(lk->sem, &value) == -1 || value != 0)
		goto out;
post:
	/* The record goes first: a new holder never sees the old one's. */
	if ((rec && pipc_owner_clear(lk->fd) == -1) || sem_post(lk->sem) == -1) {
		e = errno;
		rv = -1;
	} else
		rv = 0;
out:
	pipc_lock_unguard(lk);
	errno = e;
	return rv;
}

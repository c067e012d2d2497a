/* Helpers of lock and unlock: names, opening, telling who holds a lock. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "util_lock.h"

static char bus_msg[NAME_MAX * 4 + 128];
static size_t bus_len;
static volatile sig_atomic_t bus_status = 1;

/* The exit status after a SIGBUS from here on: CMD's, once it ended. */
void
lock_bus_status(int status)
{
	bus_status = status;
}

/*
 * Whoever may write the semaphore's file may also truncate it while we have
 * it mapped: the next touch is a SIGBUS. Say so and fail instead of dying;
 * a signal handler may only write and _exit.
 */
static void
on_sigbus(int sig)
{
	ssize_t n;

	(void)sig;
	n = write(STDERR_FILENO, bus_msg, bus_len);
	(void)n;
	_exit(bus_status);
}

/* The bare name of a semaphore given as NAME, /NAME or sem:NAME; NULL. */
const char *
lock_name(const char *arg)
{
	unsigned mask = PIPC_TYPE_BIT(PIPC_SEM);
	const char *rest, *name, *why;

	pipc_name_split(arg, &mask, &rest);
	if (mask != PIPC_TYPE_BIT(PIPC_SEM)) {
		warnx("%s: a lock is a semaphore (sem:NAME)", shown_kept(arg));
		return NULL;
	}
	if ((name = pipc_name_check(rest, PIPC_SEM, &why)) == NULL)
		warnx("%s: bad name: %s", shown_kept(arg), why);
	return name;
}

/* t += sec, nsec; and whether a is earlier than b (lock.c too). */
void
lock_ts_add(struct timespec *t, time_t sec, long nsec)
{
	t->tv_sec += sec;
	if ((t->tv_nsec += nsec) >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

int
lock_ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * -n gives what other pipc processes hold for microseconds (the guard, a
 * lease while one recovers) this long, so that a free lock is never said
 * to be busy; -w gives it at least this long after its deadline.
 */
#define GRACE_NS	100000000L

/* -w SECS, parsed; -1 (said so) if it is not a number of seconds. */
int
lock_wait_arg(struct lock_wait *w, const char *arg)
{
	struct timespec ts;

	if (pipc_parse_seconds(arg, &ts) == -1) {
		warnx("-w %s: not a number of seconds", shown_kept(arg));
		return -1;
	}
	w->timed = 1;
	w->arg = arg;
	w->end = ts;
	return 0;
}

/* Start the clock of -w (its SECS were kept in end by lock_wait_arg). */
void
lock_wait_start(struct lock_wait *w, const struct timespec *now)
{
	struct timespec secs = w->end;

	w->end = *now;
	if (w->timed)
		lock_ts_add(&w->end, secs.tv_sec, secs.tv_nsec);
}

/*
 * The deadline for a wait that is normally short (the guard, an open a
 * lease holds up): NULL (forever) without -n and -w, else the later of
 * -w's end and a moment from now.
 */
const struct timespec *
lock_bound(struct lock_wait *w)
{
	if (!w->nonblock && !w->timed)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &w->bound);
	lock_ts_add(&w->bound, 0, GRACE_NS);
	if (w->timed && !w->nonblock && lock_ts_before(&w->bound, &w->end))
		w->bound = w->end;
	return &w->bound;
}

/* "timed out after SECSs: " or "" (-n), to begin a busy message. */
const char *
lock_waited(const struct lock_wait *w)
{
	static char buf[80];

	buf[0] = '\0';
	if (w->timed && !w->nonblock)
		/* A number: parsed already, and shown_kept's buffer may be
		 * holding the name. */
		snprintf(buf, sizeof(buf), "timed out after %.40ss: ", w->arg);
	return buf;
}

/* Say that another process holds the guard, so nothing could be done. */
void
lock_guard_busy(const char *name, const struct lock_wait *w)
{
	warnx("%s/%s is busy: another process holds the flock on %s/sem.%s "
	    "(pipc's guard of its owner record)", lock_waited(w), name,
	    dirs.shm, name);
}

/*
 * Open the lock in the shm directory, saying why not: 0, 1 (failed) or 3
 * (busy: another process holds a lease on its file and -n or -w ran out).
 * Another's lease makes the open fail at once (the semaphore is opened
 * O_NONBLOCK) rather than wait for the lease-break-time: try again, with
 * a short back-off, for as long as w allows (NULL: forever).
 */
int
lock_open(struct pipc_lock *lk, const char *name, int create, mode_t mode,
    struct lock_wait *w)
{
	struct sigaction sa;
	struct timespec pause = { 0, 1000000 }, now;
	const struct timespec *bound;
	int dfd, rv, e, n;

	if ((dfd = open(dirs.shm, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		warn("%s", dirs.shm);
		return 1;
	}
	bound = w != NULL ? lock_bound(w) : NULL;
	while ((rv = pipc_lock_open(dfd, name, create, mode, lk)) == -1 &&
	    (errno == EWOULDBLOCK || errno == EINTR)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (bound != NULL && !lock_ts_before(&now, bound))
			break;
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 32000000)
			pause.tv_nsec *= 2;
	}
	e = errno;
	name = shown_kept(name);
	errno = e;
	if (rv == -1 && errno == EWOULDBLOCK) {
		warnx("%s/%s is busy: another process holds a lease on %s/sem.%s",
		    w != NULL ? lock_waited(w) : "", name, dirs.shm, name);
		close(dfd);
		return 3;
	}
	if (rv == -1 && errno == ENOENT)
		warnx("/%s: no such semaphore", name);
	/* A link (not followed), a directory, a fifo or a file of another size. */
	else if (rv == -1 && (errno == EINVAL || errno == ELOOP ||
	    errno == EISDIR))
		warnx("/%s: %s/sem.%s is not a semaphore (not a regular file "
		    "of %d bytes)", name, dirs.shm, name, PIPC_SEM_SIZE);
	else if (rv == -1)
		warn("/%s", name);
	else {
		n = snprintf(bus_msg, sizeof(bus_msg), "%s: /%s: its file was "
		    "cut short while in use\n", getprogname(), name);
		bus_len = n < 0 ? 0 : (size_t)n < sizeof(bus_msg) ?
		    (size_t)n : sizeof(bus_msg) - 1;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigbus;
		sigaction(SIGBUS, &sa, NULL);
	}
	close(dfd);
	return rv == -1 ? 1 : 0;
}

/* "PID 1234 (make) since 2026-11-26 15:01:02", checking it is alive. */
const char *
lock_who(struct pipc_owner *o, char *buf, size_t size)
{
	char comm[sizeof(o->comm) * 4];

	switch (pipc_owner_check(o)) {
	case PIPC_OWNER_ALIVE:
		/* Any process may name itself an escape sequence. */
		pipc_escape_text(comm, sizeof(comm), o->comm, 0);
		snprintf(buf, size, "PID %d (%s)", (int)o->pid, comm);
		break;
	case PIPC_OWNER_DEAD:
		snprintf(buf, size, "PID %d, which is dead", (int)o->pid);
		break;
	default:
		snprintf(buf, size, "PID %d, which cannot be seen from here "
		    "(another PID namespace, or hidden)", (int)o->pid);
	}
	return buf;
}

static void
since(struct pipc_lock *lk, char *buf, size_t size)
{
	struct stat st;
	struct tm tm;

	buf[0] = '\0';
	if (fstat(lk->fd, &st) == 0 && localtime_r(&st.st_ctime, &tm) != NULL)
		strftime(buf, size, " since %Y-%m-%d %H:%M:%S", &tm);
}

/* Say that the lock is busy (waited: the -w argument), naming its owner. */
void
lock_busy(struct pipc_lock *lk, const char *name, const char *waited)
{
	struct pipc_owner o;
	char who[160], when[64], pre[64] = "";

	if (waited != NULL)
		snprintf(pre, sizeof(pre), "timed out after %ss: ", waited);
	if (lk->norecord || pipc_owner_get(lk->fd, &o) != 1) {
		warnx("%slock /%s is held (no owner recorded)", pre, name);
		return;
	}
	lock_who(&o, who, sizeof(who));
	since(lk, when, sizeof(when));
	if (o.alive == PIPC_OWNER_DEAD)
		warnx("%slock /%s is held by %s: 'pipc lock --recover /%s' "
		    "takes it over", pre, name, who, name);
	else
		warnx("%slock /%s is held by %s%s", pre, name, who, when);
}

/* A takeover is news: say whose lock it was. */
void
lock_took_over(const char *name, struct pipc_owner *prev)
{
	if (prev->pid != 0)
		warnx("/%s: took over the lock of PID %d, which is dead", name,
		    (int)prev->pid);
	else
		warnx("/%s: took over a lock with no owner record", name);
}

/* A PID given by the user; -1 (said so) if it is not one. */
pid_t
lock_parse_pid(const char *s)
{
	const char *errstr;
	long long v;

	v = strtonum(s, 1, INT32_MAX, &errstr);
	if (errstr != NULL) {
		warnx("PID %s: %s", shown_kept(s), errstr);
		return -1;
	}
	return (pid_t)v;
}

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

/* A name as messages show it: escaped, so no control byte reaches a tty. */
const char *
lock_shown(const char *name)
{
	static char buf[NAME_MAX * 4 + 8];

	pipc_escape_text(buf, sizeof(buf), name, 0);
	return buf;
}

static char bus_msg[NAME_MAX * 4 + 128];
static size_t bus_len;

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
	_exit(1);
}

/* The bare name of a semaphore given as NAME, /NAME or sem:NAME; NULL. */
const char *
lock_name(const char *arg)
{
	unsigned mask = PIPC_TYPE_BIT(PIPC_SEM);
	const char *rest, *name, *why;

	pipc_name_split(arg, &mask, &rest);
	if (mask != PIPC_TYPE_BIT(PIPC_SEM)) {
		warnx("%s: a lock is a semaphore (sem:NAME)", lock_shown(arg));
		return NULL;
	}
	if ((name = pipc_name_check(rest, PIPC_SEM, &why)) == NULL)
		warnx("%s: bad name: %s", lock_shown(arg), why);
	return name;
}

/* Open the lock in the shm directory, saying why not; 0 or -1. */
int
lock_open(struct pipc_lock *lk, const char *name, int create, mode_t mode)
{
	struct sigaction sa;
	int dfd, rv, e, n;

	if ((dfd = open(dirs.shm, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		warn("%s", dirs.shm);
		return -1;
	}
	rv = pipc_lock_open(dfd, name, create, mode, lk);
	e = errno;
	name = lock_shown(name);
	errno = e;
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
	return rv;
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
		warnx("PID %s: %s", lock_shown(s), errstr);
		return -1;
	}
	return (pid_t)v;
}

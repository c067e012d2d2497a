/* Helpers of lock and unlock: names, opening, telling who holds a lock. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "lockcmd.h"

/* The bare name of a semaphore given as NAME, /NAME or sem:NAME; NULL. */
const char *
lock_name(const char *arg)
{
	unsigned mask = PIPC_TYPE_BIT(PIPC_SEM);
	const char *rest, *name, *why;

	pipc_name_split(arg, &mask, &rest);
	if (mask != PIPC_TYPE_BIT(PIPC_SEM)) {
		warnx("%s: a lock is a semaphore (sem:NAME)", arg);
		return NULL;
	}
	if ((name = pipc_name_check(rest, PIPC_SEM, &why)) == NULL)
		warnx("%s: bad name: %s", arg, why);
	return name;
}

/* Open the lock in the shm directory, saying why not; 0 or -1. */
int
lock_open(struct pipc_lock *lk, const char *name, int create, mode_t mode)
{
	int dfd, rv;

	if ((dfd = open(dirs.shm, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		warn("%s", dirs.shm);
		return -1;
	}
	rv = pipc_lock_open(dfd, name, create, mode, lk);
	if (rv == -1 && errno == ENOENT)
		warnx("/%s: no such semaphore", name);
	else if (rv == -1 && errno == EINVAL)
		warnx("/%s: %s/sem.%s is not a semaphore (not a regular file "
		    "of %d bytes)", name, dirs.shm, name, PIPC_SEM_SIZE);
	else if (rv == -1)
		warn("/%s", name);
	close(dfd);
	return rv;
}

/* "PID 1234 (make) since 2026-11-26 15:01:02", checking it is alive. */
const char *
lock_who(struct pipc_owner *o, char *buf, size_t size)
{
	switch (pipc_owner_check(o)) {
	case PIPC_OWNER_ALIVE:
		snprintf(buf, size, "PID %d (%s)", (int)o->pid, o->comm);
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
		warnx("PID %s: %s", s, errstr);
		return -1;
	}
	return (pid_t)v;
}

/* unlock: release a lock taken by 'pipc lock NAME' (or a dead program's). */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "util_lock.h"

static const struct opt opts[] = {
	{ 'f', "force", NULL, "release even a lock a live process owns, or\n"
	    "one not held (and say what was done); with shm:NAME,\n"
	    "a mutex inside whose holding thread is dead", 0 },
	{ 'n', "nonblock", NULL, "fail at once (exit 3) if another process holds\n"
	    "the semaphore's guard; default: wait for it", 0 },
	{ 'w', "wait", "SECS", "wait at most SECS for it, then exit 3", 0 },
	{ 'w', "timeout", "SECS", "the same as --wait", O_ALIAS },
	COMMON_OPTS,
	END_OPTS
};

static int unlock_main(int, char **);

const struct cmd cmd_unlock = {
	"unlock", unlock_main, opts,
	"NAME | -f shm:NAME",
	OPND_OBJECT, 0
};

/* Is pid this process or one of its ancestors, the very same processes? */
static int
ours(const struct pipc_owner *o)
{
	unsigned long long start;
	pid_t pid = getpid(), ppid;
	int depth;

	for (depth = 0; pid > 0 && depth < 64; depth++, pid = ppid) {
		if (pipc_proc_stat(pid, &start, &ppid, NULL, NULL) == -1)
			return 0;
		if (pid == o->pid)
			return start == o->start;
	}
	return 0;
}

/*
 * Decide under the guard whether the lock may be released: 0 yes, 1 no
 * (said why). Notes what a --force overrode.
 */
static int
allowed(struct pipc_lock *lk, const char *name, int force, int value)
{
	struct pipc_owner o;
	char who[160];
	pid_t pid;
	int rec, m;

	if (value > 0) {
		if (!force) {
			warnx("/%s is not locked (value %d): nothing to "
			    "release", name, value);
			return 1;
		}
		warnx("/%s was not locked (value %d): posted anyway, --force; "
		    "it now admits %lld at once", name, value,
		    (long long)value + 1);
		return 0;
	}
	rec = lk->norecord ? 0 : pipc_owner_get(lk->fd, &o);
	if (rec == 1) {
		lock_who(&o, who, sizeof(who));
		if (o.alive == PIPC_OWNER_DEAD || ours(&o))
			return 0;
		if (!force) {
			warnx("/%s is held by %s, not by this process or its "
			    "parents: not released (--force releases it)",
			    name, who);
			return 1;
		}
		warnx("/%s: released the lock of %s (--force)", name, who);
		return 0;
	}
	/* No record: whoever still maps it may be its holder. */
	if ((m = pipc_lock_held(lk, &pid)) == 0)
		return 0;
	if (!force) {
		if (m == 1 && pid > 0)
			warnx("/%s has no owner record and PID %d maps it: it "
			    "may hold it; not released (--force releases it)",
			    name, (int)pid);
		else if (m == 1)
			warnx("/%s has no owner record and another process "
			    "maps it or holds it open: it may hold it; not "
			    "released (--force releases it)", name);
		else
			warnx("/%s has no owner record and not every process "
			    "could be read: not released (--force releases "
			    "it)", name);
		return 1;
	}
	warnx("/%s: released a lock with no owner record (--force)", name);
	return 0;
}

static int
unlock_main(int argc, char **argv)
{
	struct pipc_lock lk;
	struct lock_wait w;
	struct timespec now;
	const char *name, *rest;
	unsigned mask = 0;
	int ch, force = 0, value, rv = 1;

	memset(&w, 0, sizeof(w));
	while ((ch = getopt_cmd(&cmd_unlock, argc, argv)) != -1) {
		switch (ch) {
		case 'f':
			force = 1;
			break;
		case 'n':
			w.nonblock = 1;
			break;
		case 'w':
			if (lock_wait_arg(&w, optarg) == -1)
				usage(&cmd_unlock);
			break;
		default:
			common_option(&cmd_unlock, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(&cmd_unlock);
	/* shm:NAME: a mutex inside shared memory, whose holder died. */
	if (pipc_name_split(argv[0], &mask, &rest) &&
	    mask == PIPC_TYPE_BIT(PIPC_SHM))
		return inspect_release(argv[0], force);
	if ((name = lock_name(argv[0])) == NULL)
		usage(&cmd_unlock);
	clock_gettime(CLOCK_MONOTONIC, &now);
	lock_wait_start(&w, &now);
	if ((rv = lock_open(&lk, name, 0, 0, &w)) != 0)
		return rv;
	rv = 1;
	name = shown_kept(name);	/* only shown from here on */
	if (pipc_lock_guard(&lk, lock_bound(&w)) == -1) {
		if (errno == ETIMEDOUT) {
			lock_guard_busy(name, &w);
			rv = 3;
		} else
			warn("/%s: flock", name);
		goto out;
	}
	if (sem_getvalue(lk.sem, &value) == -1)
		warn("/%s", name);
	else if (allowed(&lk, name, force, value) == 0) {
		/* The record goes first: a new holder never sees the old one's. */
		if (!lk.norecord && pipc_owner_clear(lk.fd) == -1 &&
		    errno != ENOTSUP && errno != EOPNOTSUPP)
			warn("/%s: cannot clear the owner record", name);
		else if (sem_post(lk.sem) == -1)
			warn("/%s: sem_post", name);
		else
			rv = 0;
	}
	pipc_lock_unguard(&lk);
out:
	pipc_lock_close(&lk);
	return rv;
}

/* lock: hold a named semaphore as a mutex, around a command or until unlock. */
#include <err.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "util_lock.h"

enum {
	OPT_RECOVER = OPT_COMMON_LAST, OPT_FORCE, OPT_STALE_AFTER, OPT_OWNER,
	OPT_ANY_SEM
};

static const struct opt opts[] = {
	{ 'n', "nonblock", NULL, "fail at once (exit 3) if the lock is held (or\n"
	    "its guard flock, or a lease on its file)", 0 },
	{ 'w', "wait", "SECS", "wait at most SECS (fractions allowed), then exit 3",
	    0 },
	{ 'w', "timeout", "SECS", "the same as --wait", O_ALIAS },
	{ 'm', "mode", "MODE", "permissions if it is created (0600)", 0 },
	{ OPT_RECOVER, "recover", NULL,
	    "take over a lock whose recorded owner is dead", 0 },
	{ OPT_FORCE, "force", NULL, "--recover even a lock with no owner record",
	    0 },
	{ OPT_STALE_AFTER, "stale-after", "DURATION", "with --recover: also one "
	    "with no record that\nnobody maps and unchanged for DURATION (30s, "
	    "10m)", 0 },
	{ OPT_OWNER, "owner", "PID",
	    "without CMD: record PID, not the parent, as owner", 0 },
	{ OPT_ANY_SEM, "any-sem", NULL, "take even a semaphore that is no mutex: "
	    "its value\nabove 1, or another user's (not yours, not root's)", 0 },
	COMMON_OPTS,
	END_OPTS
};

static int lock_main(int, char **);

const struct cmd cmd_lock = {
	"lock", lock_main, opts,
	"NAME [[--] CMD [ARG...]]",
	OPND_OBJECT, 1
};

struct opts {
	int		 recover, flags, any_sem, with_cmd;
	struct lock_wait w;
	mode_t		 mode;
	time_t		 stale_after;
	pid_t		 owner;
};

static volatile sig_atomic_t child;

static void
forward(int sig)
{
	int e = errno;

	if (child > 0)
		kill(child, sig);
	errno = e;
}

/*
 * Record me as the owner of the unit just taken. When another process
 * holds the guard past -n's moment or -w's deadline, give the unit back:
 * 3, nothing taken (said so). A record that cannot be written (a full
 * filesystem; one that keeps no xattrs at all is no error) leaves a lock
 * that gc and --recover would take for stale once its taker is gone:
 * without CMD, give it back, 1; with CMD, go on with a warning, since
 * pipc maps the semaphore until CMD ends, so that it is visibly held
 * (*recorded 0).
 */
static int
record(struct pipc_lock *lk, const char *name, struct opts *op,
    const struct pipc_owner *me, int *recorded)
{
	*recorded = 1;
	lk->deadline = lock_bound(&op->w);
	if (pipc_lock_record(lk, me) == 0)
		return 0;
	if (errno == ETIMEDOUT) {
		sem_post(lk->sem);
		lock_guard_busy(name, &op->w);
		return 3;
	}
	*recorded = 0;
	if (op->with_cmd) {
		warn("/%s: cannot record the owner (going on: held while "
		    "CMD runs)", name);
		return 0;
	}
	warn("/%s: cannot record the owner", name);
	sem_post(lk->sem);
	warnx("/%s: not taken: a lock without its owner's record would "
	    "look stale once its taker is gone", name);
	return 1;
}

/*
 * Is the semaphore fit to be a mutex? Its value must be 0 or 1 (above,
 * it admits that many at once), and its owner the caller or root (anyone
 * else may post it at will, or have planted it for the name). 0, or 1
 * when refused (said why). value < 0: read it here.
 */
static int
fit(struct pipc_lock *lk, const char *name, int value)
{
	char why[512], user[160], pwname[128];
	struct passwd *pw;
	struct stat st;
	size_t n = 0;

	if (fstat(lk->fd, &st) == -1 || (value < 0 &&
	    sem_getvalue(lk->sem, &value) == -1)) {
		warn("/%s", name);
		return 1;
	}
	why[0] = '\0';
	if (value > 1)
		n = (size_t)snprintf(why, sizeof(why), "its value is %d, so it "
		    "admits %d at once", value, value);
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		if ((pw = getpwuid(st.st_uid)) != NULL) {
			/* Not shown_kept: its buffer holds the name. */
			pipc_escape_text(pwname, sizeof(pwname), pw->pw_name,
			    0);
			snprintf(user, sizeof(user), "%s (uid %u)", pwname,
			    (unsigned)st.st_uid);
		} else
			snprintf(user, sizeof(user), "uid %u",
			    (unsigned)st.st_uid);
		snprintf(why + n, sizeof(why) - n, "%sit belongs to user %s, "
		    "not to you or root, who may post it at will",
		    n > 0 ? "; " : "", user);
	}
	if (why[0] == '\0')
		return 0;
	warnx("/%s is not a mutex: %s; not taken (--any-sem takes it anyway)",
	    name, why);
	return 1;
}

/*
 * Take the lock for me: 0, 3 when busy or timed out (said so), 1 on error.
 * With --recover, wait in slices and retry the takeover between them, as
 * the owner may die while we wait.
 */
static int
acquire(struct pipc_lock *lk, const char *name, struct opts *op,
    const struct pipc_owner *me, int *recorded)
{
	const struct timespec *deadline = &op->w.end;
	struct timespec now, slice;
	struct pipc_owner prev;
	int r;

	for (;;) {
		if (pipc_lock_take(lk, 0, NULL) == 0)
			break;
		if (errno != EAGAIN) {
			warn("/%s", name);
			return 1;
		}
		if (op->recover) {
			lk->deadline = lock_bound(&op->w);
			r = pipc_lock_recover(lk, me, op->flags,
			    op->stale_after, &prev);
			if (r == -1 && errno == ETIMEDOUT) {
				lock_guard_busy(name, &op->w);
				return 3;
			}
			if (r == -1) {
				warn("/%s: recover", name);
				return 1;
			}
			if (r == 1) {
				/* Recorded as ours by the takeover. */
				*recorded = 1;
				lock_took_over(name, &prev);
				return 0;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (op->w.nonblock || (op->w.timed &&
		    !lock_ts_before(&now, deadline))) {
			lock_busy(lk, name, op->w.nonblock ? NULL : op->w.arg);
			return 3;
		}
		slice = now;
		lock_ts_add(&slice, 0, 100000000);
		if (op->recover && (!op->w.timed ||
		    !lock_ts_before(deadline, &slice)))
			r = pipc_lock_take(lk, 1, &slice);
		else
			r = pipc_lock_take(lk, 1, op->w.timed ? deadline : NULL);
		if (r == 0)
			break;
		if (errno != ETIMEDOUT) {
			warn("/%s", name);
			return 1;
		}
	}
	/* Above 0 after our take: it was above 1, whatever fit() saw. */
	if (!op->any_sem && (sem_getvalue(lk->sem, &r) == -1 || r > 0)) {
		sem_post(lk->sem);
		fit(lk, name, r + 1);
		return 1;
	}
	return record(lk, name, op, me, recorded);
}

/* Run the command holding the lock; release it when the command ends. */
static int
run(struct pipc_lock *lk, const char *name, struct opts *op,
    const struct pipc_owner *me, int recorded, char **cmd)
{
	struct sigaction sa;
	struct pipc_owner co;
	sigset_t set, old;
	siginfo_t si;
	pid_t pid;
	int status, r;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	if ((pid = fork()) == -1) {
		warn("fork");
		lk->deadline = NULL;
		pipc_lock_release(lk, me, NULL);
		return 1;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		/* The command is the owner: it may outlive us. */
		lk->deadline = lock_bound(&op->w);
		/* A counting semaphore's record names the last of several
		 * holders: another's record is no takeover. */
		if (recorded && pipc_owner_of(getpid(), &co) == 0 &&
		    pipc_lock_transfer(lk, me, &co) == -1 &&
		    !(errno == ESTALE && lk->counting)) {
			if (errno == ESTALE) {
				warnx("/%s was taken over before %s could "
				    "start", name, cmd[0]);
				_exit(1);
			}
			warn("/%s: cannot record the owner", name);
		}
		execvp(cmd[0], cmd);
		warn("%s", shown(cmd[0]));
		_exit(errno == ENOENT ? 127 : 126);
	}
	child = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* Leave it a zombie while releasing: its PID cannot be reused. */
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == -1)
		if (errno != EINTR)
			err(1, "wait");
	if (pipc_owner_of(pid, &co) == -1)
		memset(&co, 0, sizeof(co));
	/* Held, the lock must be released: wait for the guard as long as
	 * it takes. */
	lk->deadline = NULL;
	/* Whatever happens to the semaphore now, pipc exits as CMD did. */
	status = si.si_code == CLD_EXITED ? si.si_status :
	    128 + si.si_status;
	lock_bus_status(status);
	if ((r = pipc_lock_release(lk, me, &co)) == -1 && errno == ENODATA)
		warnx("/%s: its file was cut short while %s ran: the "
		    "semaphore is gone, not released", name, shown(cmd[0]));
	else if (r == -1)
		warn("/%s: release", name);
	else if (r == 1)
		warnx("/%s was taken over or unlocked while %s ran: not "
		    "released", name, cmd[0]);
	/* Reaped, its PID may be anyone's: forward no more signals. */
	child = 0;
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			err(1, "wait");
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int
lock_main(int argc, char **argv)
{
	struct pipc_lock lk;
	struct pipc_owner me;
	struct opts op;
	struct timespec now;
	const char *name;
	int ch, rv, recorded = 0;

	memset(&op, 0, sizeof(op));
	op.mode = 0600;
	op.stale_after = -1;
	while ((ch = getopt_cmd(&cmd_lock, argc, argv)) != -1) {
		switch (ch) {
		case 'n':
			op.w.nonblock = 1;
			break;
		case 'w':
			if (lock_wait_arg(&op.w, optarg) == -1)
				usage(&cmd_lock);
			break;
		case 'm':
			if (pipc_parse_mode(optarg, &op.mode) == -1) {
				warnx("-m %s: not an octal mode",
				    shown_kept(optarg));
				usage(&cmd_lock);
			}
			break;
		case OPT_RECOVER:
			op.recover = 1;
			break;
		case OPT_FORCE:
			op.recover = 1;
			op.flags |= PIPC_LOCK_FORCE;
			break;
		case OPT_STALE_AFTER:
			if (pipc_parse_duration(optarg, &op.stale_after) ==
			    -1) {
				warnx("--stale-after %s: not a duration (30s, "
				    "10m, 2h, 1d)", shown_kept(optarg));
				usage(&cmd_lock);
			}
			break;
		case OPT_ANY_SEM:
			op.any_sem = 1;
			break;
		case OPT_OWNER:
			if ((op.owner = lock_parse_pid(optarg)) == -1)
				usage(&cmd_lock);
			break;
		default:
			common_option(&cmd_lock, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(&cmd_lock);
	if ((name = lock_name(argv[0])) == NULL)
		usage(&cmd_lock);
	argc--;
	argv++;
	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	op.with_cmd = argc > 0;
	if (op.owner != 0 && argc > 0) {
		warnx("--owner is for the form without CMD");
		usage(&cmd_lock);
	}
	if (op.stale_after >= 0 && !op.recover) {
		warnx("--stale-after needs --recover");
		usage(&cmd_lock);
	}
	if (pipc_owner_of(argc > 0 ? getpid() : op.owner ? op.owner :
	    getppid(), &me) == -1) {
		if (errno == ESRCH)
			warnx("owner %d: no such process",
			    op.owner ? (int)op.owner : (int)getppid());
		else
			warn("/proc");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	lock_wait_start(&op.w, &now);
	if ((rv = lock_open(&lk, name, 1, op.mode, &op.w)) != 0)
		return rv;
	name = shown_kept(name);	/* only shown from here on */
	lk.counting = op.any_sem;
	if (!op.any_sem && fit(&lk, name, -1) != 0)
		rv = 1;
	else
		rv = acquire(&lk, name, &op, &me, &recorded);
	if (rv == 0 && argc > 0)
		rv = run(&lk, name, &op, &me, recorded, argv);
	pipc_lock_close(&lk);
	return rv;
}

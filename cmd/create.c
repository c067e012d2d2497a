/* create: make a shared memory object, semaphore or queue, exclusively. */
#include <err.h>
#include <errno.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cmd.h"

enum { OPT_MAXMSG = OPT_COMMON_LAST, OPT_MSGSIZE, OPT_REUSE };

static const struct opt opts[] = {
	{ 's', "size", "SIZE", "shm: size in bytes; K, M, G... suffixes",
	    O_NOSYN },
	{ 'v', "value", "VALUE", "sem: initial value (1)", O_NOSYN },
	{ OPT_MAXMSG, "maxmsg", "N", "mq: capacity in messages", O_NOSYN },
	{ OPT_MSGSIZE, "msgsize", "N", "mq: largest message in bytes", O_NOSYN },
	{ 'm', "mode", "MODE", "octal permissions, exactly (600)", 0 },
	{ OPT_REUSE, "reuse", NULL, "open it if it exists with what was asked", 0 },
	{ 'J', "json", NULL, "print the object as JSON, like pipc ls -J", 0 },
	COMMON_OPTS,
	END_OPTS
};

static int create_main(int, char **);

const struct cmd cmd_create = {
	"create", create_main, opts,
	"shm NAME -s SIZE | sem NAME [-v VALUE] | "
	"mq NAME [--maxmsg N] [--msgsize N]",
	OPND_KIND, 0
};

struct req {
	enum pipc_type	 type;
	const char	*name;		/* bare */
	uint64_t	 size;
	long		 value, maxmsg, msgsize;
	mode_t		 mode;
	int		 flags, hasmode, hassize, hasvalue, hasmq;
};

static int
fail(const struct req *r, const char *what)
{
	if (errno == EEXIST)
		warnx("%s: exists (--reuse opens it)", obj_label(r->type,
		    r->name));
	else if (what != NULL)
		warnx("%s: %s", obj_label(r->type, r->name), what);
	else
		warn("%s", obj_label(r->type, r->name));
	return 1;
}

/* With --reuse, what was asked must be what is there. */
static int
differs(const struct req *r, const char *what, long long had, long long want)
{
	warnx("%s: exists with %s %lld, not %lld; nothing changed",
	    obj_label(r->type, r->name), what, had, want);
	return 1;
}

static int
mode_differs(const struct req *r, const struct stat *st)
{
	if (!r->hasmode || (st->st_mode & 07777) == r->mode)
		return 0;
	warnx("%s: exists with mode %04o, not %04o; nothing changed",
	    obj_label(r->type, r->name), (unsigned)st->st_mode & 07777,
	    (unsigned)r->mode);
	return 1;
}

static int
make_shm(int dfd, const struct req *r)
{
	struct stat st;
	int fd, created, rv = 0;

	if ((fd = pipc_shm_create(dfd, r->name, r->size, r->mode, r->flags,
	    &created)) == -1)
		return fail(r, errno == EINVAL ? "exists and is not an IPC "
		    "object" : NULL);
	if (!created) {
		if (fstat(fd, &st) == -1)
			rv = fail(r, NULL);
		else if ((uint64_t)st.st_size != r->size)
			rv = differs(r, "size", st.st_size,
			    (long long)r->size);
		else
			rv = mode_differs(r, &st);
	}
	close(fd);
	return rv;
}

static int
make_sem(int dfd, const struct req *r)
{
	struct stat st;
	sem_t *sem;
	int created, fd, rv;

	sem = pipc_sem_open(dfd, r->name, PIPC_SEM_CREATE |
	    (r->flags & PIPC_REUSE ? 0 : PIPC_SEM_EXCL), (unsigned)r->value,
	    r->mode, &created, &fd);
	if (sem == NULL)
		return fail(r, errno == EINVAL ? "exists and is not a valid "
		    "semaphore (corrupt)" : NULL);
	pipc_sem_close(sem);
	/* The mode of the semaphore opened, not of whatever has its name. */
	rv = created ? 0 : fstat(fd, &st) == -1 ? fail(r, NULL) :
	    mode_differs(r, &st);
	close(fd);
	return rv;
}

static int
make_mq(int dfd, const struct req *r)
{
	struct mq_attr a;
	struct stat st;
	int q, created, rv = 0;

	if ((q = pipc_mq_create(dfd, r->name, r->maxmsg, r->msgsize, r->mode,
	    r->flags, &created)) == -1) {
		if (errno == EXDEV) {
			warnx("%s belongs to another IPC namespace than this "
			    "process: queues cannot be created there",
			    dirs.mq);
			return 1;
		}
		return fail(r, errno == EMFILE ? "the per-user queue memory "
		    "limit is reached (RLIMIT_MSGQUEUE, ulimit -q)" :
		    errno == ENOSPC ? "the host's limit of queues is reached "
		    "(fs.mqueue.queues_max)" : NULL);
	}
	if (!created) {
		if (mq_getattr(q, &a) == -1 || fstat(q, &st) == -1)
			rv = fail(r, NULL);
		else if (r->hasmq & 1 && a.mq_maxmsg != r->maxmsg)
			rv = differs(r, "maxmsg", a.mq_maxmsg, r->maxmsg);
		else if (r->hasmq & 2 && a.mq_msgsize != r->msgsize)
			rv = differs(r, "msgsize", a.mq_msgsize, r->msgsize);
		else
			rv = mode_differs(r, &st);
	}
	close(q);
	return rv;
}

/*
 * An attribute above the host's limit is refused before trying; the sysctl
 * is suggested only where raising it could allow the value.
 */
static void
check_mq_limits(struct req *r)
{
	struct pipc_mq_limits lim;

	if (r->hasmq & 1 && r->maxmsg > PIPC_MQ_HARD_MSGMAX)
		errx(2, "--maxmsg %ld is above the kernel's hard limit of %ld "
		    "messages (HARD_MSGMAX): no sysctl can allow it", r->maxmsg,
		    PIPC_MQ_HARD_MSGMAX);
	if (r->hasmq & 2 && r->msgsize > PIPC_MQ_HARD_MSGSIZEMAX)
		errx(2, "--msgsize %ld is above the kernel's hard limit of %ld "
		    "bytes (HARD_MSGSIZEMAX): no sysctl can allow it",
		    r->msgsize, PIPC_MQ_HARD_MSGSIZEMAX);
	pipc_mq_limits(&lim);
	if (r->hasmq & 1 && lim.msg_max > 0 && r->maxmsg > lim.msg_max)
		errx(2, "--maxmsg %ld is above fs.mqueue.msg_max (%ld); raise "
		    "it with sysctl fs.mqueue.msg_max=%ld", r->maxmsg,
		    lim.msg_max, r->maxmsg);
	if (r->hasmq & 2 && lim.msgsize_max > 0 &&
	    r->msgsize > lim.msgsize_max)
		errx(2, "--msgsize %ld is above fs.mqueue.msgsize_max (%ld); "
		    "raise it with sysctl fs.mqueue.msgsize_max=%ld",
		    r->msgsize, lim.msgsize_max, r->msgsize);
	/* mq_open takes both or neither: the other one as the kernel would. */
	if (r->hasmq == 1)
		r->msgsize = lim.msgsize_default > 0 ?
		    lim.msgsize_default : 8192;
	if (r->hasmq == 2)
		r->maxmsg = lim.msg_default > 0 ? lim.msg_default : 10;
	if (r->hasmq == 1 && lim.msgsize_max > 0 &&
	    r->msgsize > lim.msgsize_max)
		r->msgsize = lim.msgsize_max;
	if (r->hasmq == 2 && lim.msg_max > 0 && r->maxmsg > lim.msg_max)
		r->maxmsg = lim.msg_max;
}

/* A size no filesystem of this size could hold is a mistake, like 1E. */
static void
check_capacity(const struct req *r, const char *arg)
{
	struct statvfs sv;
	uint64_t cap;
	char human[DECIMAL_MAX];

	if (statvfs(dirs.shm, &sv) == -1 || sv.f_blocks == 0)
		return;
	cap = (uint64_t)sv.f_blocks * sv.f_frsize;
	if (r->size <= cap)
		return;
	errx(2, "-s %s is larger than the whole filesystem of %s (%s)", arg,
	    dirs.shm, size_shown(human, (long long)cap, 0));
}

static int
create_main(int argc, char **argv)
{
	struct req r;
	const char *sizearg = NULL, *arg;
	unsigned mask = 0;
	int ch, json = 0, dfd, rv;

	memset(&r, 0, sizeof(r));
	/* A free mutex: at 0 with no holder it would read as a stale lock. */
	r.value = 1;
	r.mode = 0600;
	while ((ch = getopt_cmd(&cmd_create, argc, argv)) != -1) {
		switch (ch) {
		case 'J': json = 1; break;
		case 'm':
			r.mode = mode_arg(optarg);
			r.hasmode = 1;
			break;
		case 's':
			r.size = size_arg("-s", sizearg = optarg);
			r.hassize = 1;
			break;
		case 'v':
			r.value = (long)count_arg("-v", optarg, 0,
			    SEM_VALUE_MAX);
			r.hasvalue = 1;
			break;
		case OPT_MAXMSG:
			r.maxmsg = (long)count_arg("--maxmsg", optarg, 1,
			    LONG_MAX);
			r.hasmq |= 1;
			break;
		case OPT_MSGSIZE:
			r.msgsize = (long)count_arg("--msgsize", optarg, 1,
			    LONG_MAX);
			r.hasmq |= 2;
			break;
		case OPT_REUSE: r.flags |= PIPC_REUSE; break;
		default:
			common_option(&cmd_create, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	/* "TYPE NAME", or one "TYPE:NAME". */
	if (argc == 2) {
		r.type = (enum pipc_type)(ffs((int)type_arg(argv[0])) - 1);
		arg = argv[1];
		/* Every other command reads "sem:x" as semaphore x: so does
		 * create, and a prefix that says another kind is refused. */
		if (pipc_name_split(arg, &mask, &arg) &&
		    mask != PIPC_TYPE_BIT(r.type))
			errx(2, "'%s': the prefix names another kind than %s",
			    shown(argv[1]), argv[0]);
	} else if (argc == 1 && pipc_name_split(argv[0], &mask, &arg))
		r.type = (enum pipc_type)(ffs((int)mask) - 1);
	else
		usage(&cmd_create);
	r.name = check_name(arg, r.type);
	if (r.hassize && r.type != PIPC_SHM)
		errx(2, "-s is for shm only: a %s has no size to choose",
		    pipc_type_name(r.type));
	if (r.hasvalue && r.type != PIPC_SEM)
		errx(2, "-v is for sem only");
	if (r.hasmq && r.type != PIPC_MQ)
		errx(2, "--maxmsg and --msgsize are for mq only");
	if (r.type == PIPC_SHM && !r.hassize)
		errx(2, "create shm needs -s SIZE");

	if (r.type == PIPC_SHM)
		check_capacity(&r, sizearg);
	if (r.type == PIPC_MQ)
		check_mq_limits(&r);
	if ((dfd = open_dir(r.type)) == -1)
		return 1;
	rv = r.type == PIPC_SHM ? make_shm(dfd, &r) :
	    r.type == PIPC_SEM ? make_sem(dfd, &r) : make_mq(dfd, &r);
	close(dfd);
	return rv != 0 ? rv : ls_show(r.type, r.name, json);
}

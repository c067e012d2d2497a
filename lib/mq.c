/*
 * Message queues: their row of the kind table, what their files say, the
 * host's limits, creation, opening by file.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static void	mq_facts(int, struct pipc_obj *);

/*
 * Every file of an mqueue filesystem. A queue cannot be renamed, so gc
 * guards it by its mode; and mq_open waits for a lease with the directory
 * locked, so gc holds no lease on a queue while it unlinks one (gc.c).
 */
const struct pipc_kind pipc_kind_mq = {
	.name = "mq",
	.noun = "a message queue",
	.word = "message queue",
	.missing = "queue",
	.prefix = "",
	.dir = offsetof(struct pipc_dirs, mq),
	.dir_ok = pipc_is_mqueue_dir,
	.cmds = (const char *const []){ "send", "recv", NULL },
	.flags = PIPC_KIND_NORENAME | PIPC_KIND_DIRLOCK,
	.read = mq_facts,
};

/* "QSIZE:0 NOTIFY:0 SIGNO:0 NOTIFY_PID:0", as the mqueue file reads. */
int
pipc_mq_parse(const char *s, long *qsize, pid_t *notify_pid)
{
	const char *p;
	char *end;
	long v;
	int found = 0;

	if ((p = strstr(s, "QSIZE:")) != NULL) {
		errno = 0;
		v = strtol(p + 6, &end, 10);
		if (end != p + 6 && errno == 0 && v >= 0) {
			*qsize = v;
			found |= 1;
		}
	}
	if ((p = strstr(s, "NOTIFY_PID:")) != NULL) {
		errno = 0;
		v = strtol(p + 11, &end, 10);
		if (end != p + 11 && errno == 0 && v >= 0 && v <= INT32_MAX) {
			*notify_pid = (pid_t)v;
			found |= 2;
		}
	}
	return found == 3 ? 0 : -1;
}

static void
mq_facts(int fd, struct pipc_obj *o)
{
	struct mq_attr a;
	char buf[256];
	ssize_t n;

	if (fd == -1)
		return;
	if ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		if (pipc_mq_parse(buf, &o->qsize, &o->notify_pid) == 0) {
			o->facts = 1;
			/* The file's own size is always 80: the bytes queued
			 * are the size that means something. */
			o->st.st_size = o->qsize;
		}
	}
	/* The fd of a plain open() serves mq_getattr as well as mq_open's. */
	if (mq_getattr(fd, &a) == 0) {
		o->msgs = a.mq_curmsgs;
		o->maxmsg = a.mq_maxmsg;
		o->msgsize = a.mq_msgsize;
		o->attrs = 1;
	}
}

static long
read_long(const char *path)
{
	char buf[32], *end;
	long v;

	if (pipc_read_text(AT_FDCWD, path, buf, sizeof(buf)) == -1)
		return -1;
	errno = 0;
	v = strtol(buf, &end, 10);
	return errno == 0 && end != buf && v > 0 ? v : -1;
}

/* The limits of this IPC namespace; a field that cannot be read is -1. */
void
pipc_mq_limits(struct pipc_mq_limits *l)
{
	l->msg_max = read_long("/proc/sys/fs/mqueue/msg_max");
	l->msgsize_max = read_long("/proc/sys/fs/mqueue/msgsize_max");
	l->msg_default = read_long("/proc/sys/fs/mqueue/msg_default");
	l->msgsize_default = read_long("/proc/sys/fs/mqueue/msgsize_default");
}

/*
 * Create queue name (bare, checked) with exactly this mode; maxmsg and
 * msgsize both 0 mean the kernel's defaults. With PIPC_REUSE an existing
 * queue is opened instead (the caller checks its attributes).
 *
 * mq_open is the only way to set the attributes, and it works in this
 * process's IPC namespace, whatever directory dfd is: the queue must then
 * be the very file in dfd, or dfd is the mqueue of another namespace and
 * what was made is undone (EXDEV). Returns the mqd_t, an fd on Linux.
 */
int
pipc_mq_create(int dfd, const char *name, long maxmsg, long msgsize,
    mode_t mode, int flags, int *created)
{
	char path[NAME_MAX + 2];
	struct mq_attr a = { 0 };
	struct stat qs, ds;
	mode_t mask;
	mqd_t q;

	*created = 0;
	if ((size_t)snprintf(path, sizeof(path), "/%s", name) >=
	    sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	a.mq_maxmsg = maxmsg;
	a.mq_msgsize = msgsize;
	/* The mode is applied exactly: no umask (single-threaded caller). */
	mask = umask(0);
	q = mq_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode,
	    maxmsg > 0 ? &a : NULL);
	umask(mask);
	if (q != (mqd_t)-1)
		*created = 1;
	else if (errno != EEXIST || !(flags & PIPC_REUSE) ||
	    (q = mq_open(path, O_RDWR | O_CLOEXEC)) == (mqd_t)-1)
		return -1;
	if (fstat(q, &qs) == -1 ||
	    fstatat(dfd, name, &ds, AT_SYMLINK_NOFOLLOW) == -1 ||
	    qs.st_dev != ds.st_dev || qs.st_ino != ds.st_ino) {
		if (*created)
			mq_unlink(path);
		mq_close(q);
		*created = 0;
		errno = EXDEV;
		return -1;
	}
	return q;
}

/*
 * Open queue name (bare, checked) by its file in dfd: that fd serves
 * mq_send, mq_receive and mq_getattr as mq_open's would (the kernel checks
 * the file's operations, not how it was opened), and it reaches the queues
 * of whichever namespace dfd belongs to. oflags: O_RDONLY or O_WRONLY,
 * maybe O_NONBLOCK. A file that is no queue is refused with EINVAL.
 */
int
pipc_mq_open(int dfd, const char *name, int oflags)
{
	struct mq_attr a;
	int fd, e;

	fd = openat(dfd, name, oflags | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (mq_getattr(fd, &a) == -1) {
		e = errno;
		close(fd);
		errno = e == EBADF ? EINVAL : e;
		return -1;
	}
	return fd;
}

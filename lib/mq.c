/* Message queues: the host's limits, creation, opening by file. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pipc.h"

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

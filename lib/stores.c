/*
 * Every shared-memory store and every IPC namespace on the host, found in
 * one pass over /proc: what `ls -A`, `gc -A` and `--ns PID` stand on.
 *
 * Stores. Shared memory and semaphores live in files of whatever a process
 * has at /dev/shm: the host's tmpfs, and one per container or pod. For each
 * process, /proc/PID/root/dev/shm is looked up (lstat, never following a
 * last symlink) and its st_dev names the store: the containers of a pod,
 * which bind-mount their sandbox's tmpfs, share one store; any number of
 * processes and mount namespaces may. The first process seen in a store is
 * its representative: the store's path is /proc/PID/root/dev/shm, and its
 * directory is opened then, so that it stays readable (through the fd, or
 * /proc/self/fd/FD) when that process exits. A /dev/shm that is a symlink
 * is resolved inside the process's root (openat2 RESOLVE_IN_ROOT), never
 * through ours (an absolute link read through /proc/PID/root would lead to
 * our own files), and then only the fd path is given. statfs of each store
 * gives its size, used and free bytes (a tmpfs without a size limit shows
 * size 0).
 *
 * IPC namespaces. Queues live in an IPC namespace, named by the inode of
 * /proc/PID/ns/ipc. A mount of the mqueue filesystem shows the queues of
 * the namespace of the process that mounted it, not of the one looking: a
 * container made with a new IPC namespace but without its own mqueue mount
 * still shows, at /dev/mqueue, the queues of its parent. So an mqueue mount
 * at a process's /dev/mqueue (statfs magic 0x19800202) is only a candidate
 * (looked at once per store the namespace's processes use, up to NLOOK),
 * and is used only once proved to be the namespace's own:
 *
 *   - with CAP_SYS_ADMIN (root), a thread of our own enters each
 *     namespace in turn (setns CLONE_NEWIPC on the ns fd opened in the
 *     pass: it moves only that thread, which then ends, so the caller never
 *     leaves its namespace) and makes a mount of its mqueue that belongs to
 *     no mount namespace (fsopen, fsconfig, fsmount), of which it keeps the
 *     root directory open: nothing is mounted anywhere, and closing that
 *     fd is all the cleaning up. Before Linux 5.2 (no fsopen) a child
 *     process does it instead, with unshare CLONE_NEWNS and a private
 *     mount, and passes the fd back over a socket (a fork costs
 *     milliseconds here, a thread tens of microseconds). That directory's
 *     st_dev is the namespace's mqueue superblock: a candidate with the
 *     same st_dev makes the namespace PIPC_MQ_MOUNTED (path
 *     /proc/PID/root/dev/mqueue); else the entered directory is kept:
 *     PIPC_MQ_ENTERED, path /proc/self/fd/FD;
 *   - without it, only our own namespace can be tested, by mq_open(3) of a
 *     queue the candidate lists (read-only, no message taken): the same
 *     st_dev proves it, another or ENOENT disproves it; an empty candidate
 *     is taken, as `pipc ls` takes its /dev/mqueue (it can hide nothing to
 *     collect); a queue we may not open proves nothing;
 *   - otherwise PIPC_MQ_UNSEEN, err saying why: EPERM (no privilege to
 *     enter, or the entering was refused: a seccomp filter, a user
 *     namespace not ours), ENOENT (no mqueue at all and no entering asked),
 *     or what setns or the mount said; mqpid names a process whose mqueue
 *     mount could not be proved.
 *
 * The host. The store and the namespace of PID 1 (of the PID namespace
 * whose /proc we read) are the host's, or, where PID 1 cannot be read, our
 * own. Labels (cgroup.c) are read from /proc/PID/cgroup for processes of
 * other stores and namespaces only, until one with a container label is
 * seen: the host's processes cost no read.
 *
 * What is needed. As root everything is seen. Without root, /proc/PID/root
 * and /proc/PID/ns/ of other users' processes cannot be read (ptrace read
 * access): those processes are counted (nunread, the first in unread_pid),
 * and with hidepid= they are not even listed (hidepid is set). Entering a
 * namespace needs CAP_SYS_ADMIN over it and in our own mount namespace.
 *
 * Cost: per process, two fstatat calls under /proc (ns/ipc, root/dev/shm);
 * per store and IPC namespace met together, a statfs of /dev/mqueue; per
 * store, an open and a statfs; per IPC namespace, when entering is allowed,
 * a setns and a detached mount, all in one thread. Nothing per object. A
 * process that exits during the pass is passed over.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "internal.h"

#define MQUEUE_MAGIC	0x19800202
#define NCAND		4	/* mqueue mounts kept per namespace */
#define NLOOK		8	/* stores looked from, per namespace */

/* An mqueue mount that a process of the namespace shows. */
struct cand {
	dev_t		 dev;
	pid_t		 pid;
	int		 fd;
};

struct nspriv {
	struct cand	 c[NCAND];
	size_t		 n;
	dev_t		 look[NLOOK];	/* stores its candidates came from */
	size_t		 nlook;
};

struct pass {
	struct pipc_stores *s;
	int		 procfd;
	unsigned	 flags;
	dev_t		 hostdev;
	ino_t		 hostns, selfns;
	int		 havedev, havens;
	size_t		 store, ns;	/* the last found: the next is likely */
	int		*fd, *err;	/* what entering each namespace gave */
};

static int
hidepid(void)
{
	/* With hidepid, processes we may not see are absent, not unreadable. */
	char buf[8192], *p, *nl, *h;

	if (geteuid() == 0 || pipc_read_text(AT_FDCWD, "/proc/self/mountinfo",
	    buf, sizeof(buf)) == -1)
		return 0;
	for (p = buf; (p = strstr(p, " /proc ")) != NULL; p++) {
		nl = strchr(p, '\n');
		h = strstr(p, "hidepid=");
		if (h != NULL && (nl == NULL || h < nl) && h[8] != '0' &&
		    strncmp(h + 8, "off", 3) != 0)
			return 1;
	}
	return 0;
}

/* The host's store and namespace: PID 1's, or ours where it is hidden. */
static void
host_ids(struct pass *ps)
{
	struct stat st;

	if (fstatat(ps->procfd, "1/root/dev/shm", &st, 0) == 0 ||
	    fstatat(ps->procfd, "self/root/dev/shm", &st, 0) == 0) {
		ps->hostdev = st.st_dev;
		ps->havedev = 1;
	}
	if (fstatat(ps->procfd, "1/ns/ipc", &st, 0) == 0 ||
	    fstatat(ps->procfd, "self/ns/ipc", &st, 0) == 0) {
		ps->hostns = st.st_ino;
		ps->havens = 1;
	}
	ps->selfns = fstatat(ps->procfd, "self/ns/ipc", &st, 0) == 0 ?
	    st.st_ino : 0;
}

static int
gone(int e)
{
	return e == ENOENT || e == ESRCH;
}

/*
 * A /dev/shm that is a symlink, followed inside the process's root: the
 * open directory, or -1 with errno.
 */
static int
open_in_root(int procfd, pid_t pid)
{
	struct open_how how;
	char path[32];
	int root, fd, e;

	snprintf(path, sizeof(path), "%d/root", (int)pid);
	if ((root = openat(procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		return -1;
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, root, "dev/shm", &how, sizeof(how));
	e = errno;
	close(root);
	errno = e;
	return fd;
}

/*
 * The device of the store process pid has at /dev/shm, its symlink
 * followed inside its root: 0, or -1 with errno.
 */
int
pipc_proc_shm_dev(pid_t pid, dev_t *dev)
{
	struct stat sb;
	char path[48];
	int fd, procfd, rv = -1;

	if ((procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	snprintf(path, sizeof(path), "%d/root/dev/shm", (int)pid);
	if (fstatat(procfd, path, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		;
	else if (!S_ISLNK(sb.st_mode))
		rv = 0;
	else if ((fd = open_in_root(procfd, pid)) != -1) {
		rv = fstat(fd, &sb);
		close(fd);
	}
	if (rv == 0)
		*dev = sb.st_dev;
	close(procfd);
	return rv;
}

/* Arrays of 8, 16, 32...: whether one of n entries is full. */
static int
grows(size_t n)
{
	return n < 8 ? n == 0 : (n & (n - 1)) == 0;
}

static struct pipc_store *
store_add(struct pass *ps, pid_t pid, dev_t dev, int fd)
{
	struct pipc_stores *s = ps->s;
	struct pipc_store *v, *st;
	struct stat sb;
	char path[48];

	if (grows(s->n)) {
		if ((v = reallocarray(s->v, s->n ? s->n * 2 : 8, sizeof(*v))) ==
		    NULL) {
			if (fd != -1)
				close(fd);
			return NULL;
		}
		s->v = v;
	}
	st = &s->v[s->n];
	memset(st, 0, sizeof(*st));
	st->dev = dev;
	st->pid = pid;
	st->host = ps->havedev && dev == ps->hostdev;
	st->label.runtime = PIPC_RT_HOST;
	if (fd == -1) {
		snprintf(path, sizeof(path), "%d/root/dev/shm", (int)pid);
		fd = openat(ps->procfd, path, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		/* Gone or changed since the lstat: the path alone, then. */
		if (fd != -1 && (fstat(fd, &sb) == -1 || sb.st_dev != dev)) {
			close(fd);
			fd = -1;
		}
		snprintf(st->path, sizeof(st->path), "/proc/%d/root/dev/shm",
		    pid);
	} else
		snprintf(st->path, sizeof(st->path), "/proc/self/fd/%d", fd);
	st->fd = fd;
	s->n++;
	return st;
}

static struct pipc_ipcns *
ns_add(struct pass *ps, pid_t pid, ino_t ino)
{
	struct pipc_stores *s = ps->s;
	struct pipc_ipcns *v, *ns;
	char path[32];

	if (grows(s->nns)) {
		if ((v = reallocarray(s->ns, s->nns ? s->nns * 2 : 8,
		    sizeof(*v))) == NULL)
			return NULL;
		s->ns = v;
	}
	ns = &s->ns[s->nns];
	memset(ns, 0, sizeof(*ns));
	if ((ns->cand = calloc(1, sizeof(struct nspriv))) == NULL)
		return NULL;
	ns->ino = ino;
	ns->pid = pid;
	ns->host = ps->havens && ino == ps->hostns;
	ns->mq = PIPC_MQ_UNSEEN;
	ns->err = ENOENT;
	ns->fd = -1;
	ns->label.runtime = PIPC_RT_HOST;
	snprintf(path, sizeof(path), "%d/ns/ipc", (int)pid);
	if ((ns->nsfd = openat(ps->procfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		ns->err = errno;
	s->nns++;
	return ns;
}

/*
 * An mqueue mount at this process's /dev/mqueue, kept as a candidate. Looked
 * at once per store the namespace's processes use (dev, or 0 for none): a
 * store stands for a container's mount namespace, and one more stat per
 * process to tell mount namespaces apart would cost a third of the pass.
 */
static void
mqueue_candidate(pid_t pid, struct pipc_ipcns *ns, dev_t dev)
{
	struct nspriv *p = ns->cand;
	struct statfs sf;
	struct stat st;
	char path[48];
	size_t i;
	int fd;

	if (p->n == NCAND || p->nlook == NLOOK)
		return;
	for (i = 0; i < p->nlook; i++)
		if (p->look[i] == dev)
			return;
	p->look[p->nlook++] = dev;
	snprintf(path, sizeof(path), "/proc/%d/root/dev/mqueue", (int)pid);
	if (statfs(path, &sf) == -1 || sf.f_type != MQUEUE_MAGIC ||
	    (fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return;
	}
	for (i = 0; i < p->n; i++)
		if (p->c[i].dev == st.st_dev) {
			close(fd);
			return;
		}
	p->c[p->n].dev = st.st_dev;
	p->c[p->n].pid = pid;
	p->c[p->n++].fd = fd;
}

/*
 * The label of process pid from its /proc/PID/cgroup; procfd is an fd on
 * /proc, or -1. Returns 0, or -1 with errno.
 */
int
pipc_proc_cglabel(int procfd, pid_t pid, struct pipc_cglabel *l)
{
	char path[48], buf[16384];
	ssize_t n;

	snprintf(path, sizeof(path), procfd == -1 ? "/proc/%d/cgroup" :
	    "%d/cgroup", (int)pid);
	if ((n = pipc_read_text(procfd == -1 ? AT_FDCWD : procfd, path, buf,
	    sizeof(buf))) == -1)
		return -1;
	return pipc_cgroup_label(buf, (size_t)n, l);
}

/* A better label for whichever of store and ns still want one. */
static void
label(struct pass *ps, pid_t pid, struct pipc_store *st,
    struct pipc_ipcns *ns)
{
	struct pipc_cglabel l;
	int want_st, want_ns, r;

	want_st = st != NULL && !st->host &&
	    pipc_cglabel_rank(&st->label) < PIPC_CGRANK_CONTAINER;
	want_ns = !ns->host &&
	    pipc_cglabel_rank(&ns->label) < PIPC_CGRANK_CONTAINER;
	if ((!want_st && !want_ns) || pipc_proc_cglabel(ps->procfd, pid, &l) ==
	    -1)
		return;
	r = pipc_cglabel_rank(&l);
	if (want_st && r > pipc_cglabel_rank(&st->label))
		st->label = l;
	if (want_ns && r > pipc_cglabel_rank(&ns->label))
		ns->label = l;
}

static void
unread(struct pipc_stores *s, pid_t pid, int e)
{
	if (s->nunread++ == 0) {
		s->unread_pid = pid;
		s->unread_err = e;
	}
}

/* Place one process. -1 with errno only when memory ran out. */
static int
visit(struct pass *ps, pid_t pid)
{
	struct pipc_stores *s = ps->s;
	struct pipc_store *st = NULL;
	struct pipc_ipcns *ns = NULL;
	struct stat sb;
	char path[48];
	ino_t ino;
	size_t i;
	int fd = -1, shm = 0;

	snprintf(path, sizeof(path), "%d/ns/ipc", (int)pid);
	if (fstatat(ps->procfd, path, &sb, 0) == -1) {
		if (!gone(errno))
			unread(s, pid, errno);
		return 0;
	}
	ino = sb.st_ino;
	snprintf(path, sizeof(path), "%d/root/dev/shm", (int)pid);
	if (fstatat(ps->procfd, path, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
		if (!gone(errno)) {
			unread(s, pid, errno);
			return 0;
		}
		/* Gone, or it has no /dev/shm: its root tells. */
		snprintf(path, sizeof(path), "%d/root/", (int)pid);
		if (fstatat(ps->procfd, path, &sb, 0) == -1)
			return 0;
	} else if (S_ISLNK(sb.st_mode)) {
		if ((fd = open_in_root(ps->procfd, pid)) != -1 &&
		    fstat(fd, &sb) == 0)
			shm = 1;
		else if (fd != -1) {
			close(fd);
			fd = -1;
		}
	} else
		shm = S_ISDIR(sb.st_mode);

	if (!shm)
		s->nnoshm++;
	else {
		if (ps->store < s->n && s->v[ps->store].dev == sb.st_dev)
			st = &s->v[ps->store];
		for (i = 0; st == NULL && i < s->n; i++)
			if (s->v[i].dev == sb.st_dev) {
				st = &s->v[i];
				ps->store = i;
			}
		if (st == NULL) {
			if ((st = store_add(ps, pid, sb.st_dev, fd)) ==
			    NULL)
				return -1;
			ps->store = s->n - 1;
		} else if (fd != -1)
			close(fd);
		st->nprocs++;
	}
	if (ps->ns < s->nns && s->ns[ps->ns].ino == ino)
		ns = &s->ns[ps->ns];
	for (i = 0; ns == NULL && i < s->nns; i++)
		if (s->ns[i].ino == ino) {
			ns = &s->ns[i];
			ps->ns = i;
		}
	if (ns == NULL) {
		if ((ns = ns_add(ps, pid, ino)) == NULL)
			return -1;
		ps->ns = s->nns - 1;
	}
	ns->nprocs++;
	s->nprocs++;
	if (!(ps->flags & PIPC_STORES_NOLABEL))
		label(ps, pid, st, ns);
	mqueue_candidate(pid, ns, st != NULL ? st->dev : 0);
	return 0;
}

/*
 * The mqueue of our (this thread's) IPC namespace, mounted nowhere: fsopen
 * takes the namespace of the caller, and the mount belongs to no mount
 * namespace. Its root, open; -1 with errno (ENOSYS before Linux 5.2).
 */
static int
mqueue_detached(void)
{
	int fs, mnt, fd, e;

	if ((fs = fsopen("mqueue", FSOPEN_CLOEXEC)) == -1)
		return -1;
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == -1 ||
	    (mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)) == -1) {
		e = errno;
		close(fs);
		errno = e;
		return -1;
	}
	close(fs);
	fd = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	e = errno;
	close(mnt);	/* the open directory keeps the mount alive */
	errno = e;
	return fd;
}

struct enter {
	const int	*nsfd;
	int		*fd, *err;
	size_t		 n;
};

/*
 * A thread of our own enters each namespace in turn: setns(CLONE_NEWIPC)
 * moves only the calling thread, and the thread ends there, so the caller
 * never leaves its namespace, whatever fails. A thread costs tens of
 * microseconds where a fork costs milliseconds.
 */
static void *
enter_thread(void *arg)
{
	struct enter *en = arg;
	size_t i;

	for (i = 0; i < en->n; i++) {
		en->fd[i] = -1;
		en->err[i] = 0;
		if (setns(en->nsfd[i], CLONE_NEWIPC) == -1 ||
		    (en->fd[i] = mqueue_detached()) == -1)
			en->err[i] = errno;
	}
	return NULL;
}

/*
 * Before Linux 5.2 (no fsopen): a child process, which alone may take a
 * mount namespace of its own (a thread shares ours), mounts the mqueue
 * there and passes its root back over a socket.
 */
static int
mqueue_private(void)
{
	static const char *const at[] = { "/dev/mqueue", "/tmp", "/mnt" };
	size_t i;

	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		return -1;
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		if (mount("mqueue", at[i], "mqueue", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC, NULL) == 0)
			return open(at[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return -1;
}

static void
child(int sock, int nsfd)
{
	union {
		struct cmsghdr	 h;
		char		 b[CMSG_SPACE(sizeof(int))];
	} c;
	struct msghdr m;
	struct iovec iov;
	int err = 0, fd = -1;

	if (setns(nsfd, CLONE_NEWIPC) == -1 || (fd = mqueue_private()) == -1)
		err = errno;
	memset(&m, 0, sizeof(m));
	iov.iov_base = &err;
	iov.iov_len = sizeof(err);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (fd != -1) {
		memset(&c, 0, sizeof(c));
		m.msg_control = c.b;
		m.msg_controllen = sizeof(c.b);
		c.h.cmsg_level = SOL_SOCKET;
		c.h.cmsg_type = SCM_RIGHTS;
		c.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&c.h), &fd, sizeof(int));
	}
	(void)sendmsg(sock, &m, MSG_NOSIGNAL);
}

static int
enter_forked(int nsfd, int *dfd)
{
	union {
		struct cmsghdr	 h;
		char		 b[CMSG_SPACE(sizeof(int))];
	} c;
	struct cmsghdr *h;
	struct msghdr m;
	struct iovec iov;
	int sv[2], err = EIO, fd = -1, e;
	ssize_t n;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		child(sv[1], nsfd);
		_exit(0);
	}
	close(sv[1]);
	memset(&m, 0, sizeof(m));
	iov.iov_base = &err;
	iov.iov_len = sizeof(err);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = c.b;
	m.msg_controllen = sizeof(c.b);
	do
		n = recvmsg(sv[0], &m, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	close(sv[0]);
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof(err) && (h = CMSG_FIRSTHDR(&m)) != NULL &&
	    h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(h), sizeof(int));
	if (n != (ssize_t)sizeof(err))
		err = EIO;	/* the child died before it could say */
	if (fd == -1) {
		errno = err != 0 ? err : EIO;
		return -1;
	}
	*dfd = fd;
	return 0;
}

/*
 * Enter the n namespaces nsfd[i] (fds on /proc/PID/ns/ipc): fd[i] is the
 * directory of its queues, or -1 with err[i] the reason. -1 with errno only
 * when no thread could be started.
 */
static int
enter_all(const int *nsfd, int *fd, int *err, size_t n)
{
	struct enter en = { nsfd, fd, err, n };
	pthread_t t;
	size_t i;
	int e;

	if ((e = pthread_create(&t, NULL, enter_thread, &en)) != 0) {
		errno = e;
		return -1;
	}
	pthread_join(t, NULL);
	for (i = 0; i < n; i++)
		if (fd[i] == -1 && err[i] == ENOSYS &&
		    enter_forked(nsfd[i], &fd[i]) == -1) {
			fd[i] = -1;
			err[i] = errno;
		}
	return 0;
}

/*
 * The directory of the queues of the IPC namespace nsfd (an fd on
 * /proc/PID/ns/ipc), reached by entering it in a thread of our own (in a
 * child process before Linux 5.2): needs CAP_SYS_ADMIN over that namespace
 * and in ours. *dfd is an open directory of a mount that no mount namespace
 * holds: closing it is all the cleaning up. Returns 0, or -1 with errno
 * (what setns or the mount said).
 */
int
pipc_ipcns_enter(int nsfd, int *dfd)
{
	int fd, err;

	if (enter_all(&nsfd, &fd, &err, 1) == -1)
		return -1;
	if (fd == -1) {
		errno = err;
		return -1;
	}
	*dfd = fd;
	return 0;
}

/*
 * Without entering: whether our own namespace's queues are what the mqueue
 * directory dfd shows. 1 yes, 0 no, -1 cannot tell.
 */
static int
own_mqueue(int dfd, dev_t dev)
{
	struct dirent *de;
	char name[NAME_MAX + 2];
	struct stat st;
	int fd, tried = 0, rv = -1;
	DIR *d;

	if ((fd = dup(dfd)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	rewinddir(d);
	while (rv == -1 && tried < 8 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		tried++;
		snprintf(name, sizeof(name), "/%s", de->d_name);
		if ((fd = mq_open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) !=
		    -1) {
			rv = fstat(fd, &st) == 0 && st.st_dev == dev;
			mq_close(fd);
		} else if (errno == ENOENT)
			rv = 0;
	}
	closedir(d);
	/* Empty: nothing it shows can be wrong, as `pipc ls` takes it. */
	return rv == -1 && tried == 0 ? 1 : rv;
}

/*
 * How the queues of ns are to be read: PIPC_MQ_*, as the header says. fd
 * is what entering it gave (or -1, err saying why; 0: not tried).
 */
static void
resolve(struct pass *ps, struct pipc_ipcns *ns, int fd, int err)
{
	struct nspriv *p = ns->cand;
	struct stat st;
	size_t i, use = NCAND;

	if (ns->nsfd != -1 || (ps->flags & PIPC_STORES_NOENTER))
		ns->err = p->n > 0 ? EPERM : ENOENT;
	/* else: why /proc/PID/ns/ipc could not be opened (ns_add) */
	if (fd != -1 && fstat(fd, &st) == 0) {
		ns->mqdev = st.st_dev;
		for (i = 0; i < p->n && use == NCAND; i++)
			if (p->c[i].dev == st.st_dev)
				use = i;
	} else if (fd != -1) {
		ns->err = errno;
		close(fd);
		fd = -1;
	} else if (err != 0)
		ns->err = err;
	if (fd == -1 && ns->ino == ps->selfns)
		for (i = 0; i < p->n && use == NCAND; i++)
			if (own_mqueue(p->c[i].fd, p->c[i].dev) == 1) {
				use = i;
				ns->mqdev = p->c[i].dev;
			}
	if (use < NCAND) {
		ns->mq = PIPC_MQ_MOUNTED;
		ns->fd = p->c[use].fd;
		p->c[use].fd = -1;
		snprintf(ns->path, sizeof(ns->path),
		    "/proc/%d/root/dev/mqueue", (int)p->c[use].pid);
		if (fd != -1)
			close(fd);
	} else if (fd != -1) {
		ns->mq = PIPC_MQ_ENTERED;
		ns->fd = fd;
		snprintf(ns->path, sizeof(ns->path), "/proc/self/fd/%d", fd);
	} else if (p->n > 0)
		ns->mqpid = p->c[0].pid;
	if (ns->mq != PIPC_MQ_UNSEEN)
		ns->err = 0;
}

static void
statfs_store(struct pipc_store *st)
{
	struct statfs sf;

	if ((st->fd != -1 ? fstatfs(st->fd, &sf) : statfs(st->path, &sf)) ==
	    -1)
		return;
	st->statfs = 1;
	st->fstype = (long)sf.f_type;
	st->size = (uint64_t)sf.f_blocks * (uint64_t)sf.f_frsize;
	st->avail = (uint64_t)sf.f_bavail * (uint64_t)sf.f_frsize;
	st->used = (uint64_t)(sf.f_blocks - sf.f_bfree) *
	    (uint64_t)sf.f_frsize;
}

static void
drop_cands(struct pipc_ipcns *ns)
{
	struct nspriv *p = ns->cand;
	size_t i;

	if (p != NULL)
		for (i = 0; i < p->n; i++)
			if (p->c[i].fd != -1)
				close(p->c[i].fd);
	free(p);
	ns->cand = NULL;
	if (ns->nsfd != -1)
		close(ns->nsfd);
	ns->nsfd = -1;
}

/*
 * Enter every namespace found (each whose ns fd could be opened), all in
 * one thread: ps->fd and ps->err, one each per namespace. 0, or an errno.
 */
static int
enter(struct pass *ps)
{
	struct pipc_stores *s = ps->s;
	int *nsfd;
	size_t i, n = 0;

	if ((ps->fd = calloc(s->nns + 1, 3 * sizeof(int))) == NULL)
		return ENOMEM;
	ps->err = ps->fd + s->nns + 1;
	nsfd = ps->err + s->nns + 1;
	for (i = 0; i < s->nns; i++)
		ps->fd[i] = -1;
	if (ps->flags & PIPC_STORES_NOENTER)
		return 0;
	for (i = 0; i < s->nns; i++)
		if (s->ns[i].nsfd != -1)
			nsfd[n++] = s->ns[i].nsfd;
	/* fd and err of the entered, packed, then spread to their places */
	if (enter_all(nsfd, ps->fd, ps->err, n) == -1)
		return errno;
	for (i = s->nns; i-- > 0; )
		if (s->ns[i].nsfd != -1) {
			n--;
			ps->fd[i] = ps->fd[n];
			ps->err[i] = ps->err[n];
			if (n != i) {
				ps->fd[n] = -1;
				ps->err[n] = 0;
			}
		}
	return 0;
}

/*
 * Find every store and IPC namespace: see the top of this file. Returns 0
 * (s then holds them; pipc_stores_free releases), or -1 with errno when
 * /proc cannot be read to its end or memory ran out.
 */
int
pipc_stores_scan(struct pipc_stores *s, unsigned flags)
{
	struct pass ps;
	struct dirent *de;
	char *end;
	long pid;
	size_t i;
	int e;
	DIR *d;

	memset(s, 0, sizeof(*s));
	memset(&ps, 0, sizeof(ps));
	ps.s = s;
	ps.flags = flags;
	s->hidepid = hidepid();
	if ((ps.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		return -1;
	host_ids(&ps);
	if ((d = fdopendir(ps.procfd)) == NULL) {
		e = errno;
		close(ps.procfd);
		errno = e;
		return -1;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid > INT32_MAX)
			continue;
		if (visit(&ps, (pid_t)pid) == -1)
			break;
	}
	e = errno;
	if (de == NULL && e == 0 && (e = enter(&ps)) == 0)
		for (i = 0; i < s->nns; i++)
			resolve(&ps, &s->ns[i], ps.fd[i], ps.err[i]);
	free(ps.fd);
	for (i = 0; i < s->nns; i++)
		drop_cands(&s->ns[i]);
	for (i = 0; i < s->n; i++)
		statfs_store(&s->v[i]);
	closedir(d);
	if (de != NULL || e != 0) {
		pipc_stores_free(s);
		errno = e != 0 ? e : ENOMEM;
		return -1;
	}
	return 0;
}

void
pipc_stores_free(struct pipc_stores *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].fd != -1)
			close(s->v[i].fd);
	for (i = 0; i < s->nns; i++) {
		drop_cands(&s->ns[i]);
		if (s->ns[i].fd != -1)
			close(s->ns[i].fd);
	}
	free(s->v);
	free(s->ns);
	memset(s, 0, sizeof(*s));
}

/*
 * The last field of the "NSpid:" line of a /proc/PID/status text: the PID
 * in the process's own PID namespace. 0, or -1 with EINVAL.
 */
int
pipc_nspid_parse(const char *text, size_t len, pid_t *out)
{
	const char *p = text, *end = text + len, *nl;
	long long v = -1, cur;
	int digits;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) < 6 || memcmp(p, "NSpid:", 6) != 0)
			continue;
		for (p += 6; p < nl; ) {
			while (p < nl && (*p == ' ' || *p == '\t'))
				p++;
			if (p == nl)
				break;
			for (cur = 0, digits = 0; p < nl && *p >= '0' &&
			    *p <= '9'; p++, digits++)
				if ((cur = cur * 10 + (*p - '0')) > INT32_MAX)
					goto bad;
			if (digits == 0 || (p < nl && *p != ' ' && *p != '\t'))
				goto bad;
			v = cur;
		}
		if (v < 0)
			goto bad;
		*out = (pid_t)v;
		return 0;
	}
bad:
	errno = EINVAL;
	return -1;
}

/*
 * The PID that host process pid has in its own PID namespace. 0, or -1
 * with errno (ENOENT: gone; EINVAL: no NSpid line, before Linux 4.1).
 */
int
pipc_nspid(pid_t pid, pid_t *out)
{
	char path[32], *buf = NULL, *b;
	size_t len = 0, size = 0;
	ssize_t n;
	int fd, e;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	/* Groups: may hold thousands of ids before NSpid. */
	for (;;) {
		if (size - len < 4096) {
			if (size >= (1 << 20) || (b = realloc(buf, size ?
			    size * 2 : 4096)) == NULL) {
				n = -1;
				errno = ENOMEM;
				break;
			}
			buf = b;
			size = size ? size * 2 : 4096;
		}
		if ((n = read(fd, buf + len, size - len)) <= 0)
			break;
		len += (size_t)n;
	}
	e = errno;
	close(fd);
	if (n == -1) {
		free(buf);
		errno = e;
		return -1;
	}
	n = pipc_nspid_parse(buf, len, out);
	free(buf);
	return (int)n;
}

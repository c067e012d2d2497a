/*
 * Lock owners: "PID START BOOT_ID PIDNS" in the user.pipc.owner extended
 * attribute of a sem.NAME file. PID alone could be reused; the start time
 * (clock ticks after boot) tells a new process from the recorded one, the
 * boot id a process of an earlier boot, the PID namespace a process we
 * cannot see by that number.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "internal.h"

static char boot_id[37];
static unsigned long long self_pidns;

/* This boot's id and our PID namespace, read once. */
static int
self_ids(void)
{
	struct stat st;
	ssize_t n;

	if (boot_id[0] != '\0')
		return 0;
	n = pipc_read_text(AT_FDCWD, "/proc/sys/kernel/random/boot_id",
	    boot_id, sizeof(boot_id));
	if (n < 36) {
		boot_id[0] = '\0';
		errno = EIO;
		return -1;
	}
	boot_id[36] = '\0';
	self_pidns = stat("/proc/self/ns/pid", &st) == 0 ? st.st_ino : 0;
	return 0;
}

/*
 * From /proc/PID/stat: start time, parent, state and command of a process.
 * Any output may be NULL. Returns -1 with errno (ENOENT: no such process).
 */
int
pipc_proc_stat(pid_t pid, unsigned long long *start, pid_t *ppid,
    char *state, char comm[17])
{
	char path[32], buf[1024], *p, *close_paren;
	unsigned long long st;
	ssize_t n;
	int ppid_v, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pipc_read_text(AT_FDCWD, path, buf, sizeof(buf)) == -1)
		return -1;
	/* The command may hold spaces and parentheses: the last ')' ends it. */
	if ((p = strchr(buf, '(')) == NULL ||
	    (close_paren = strrchr(buf, ')')) == NULL || close_paren < p) {
		errno = EIO;
		return -1;
	}
	if (comm != NULL) {
		n = close_paren - p - 1 < 16 ? close_paren - p - 1 : 16;
		memcpy(comm, p + 1, (size_t)n);
		comm[n] = '\0';
	}
	/* Fields 3 (state) and 4 (ppid) follow; 22 is the start time. */
	p = close_paren + 2;
	if (sscanf(p, "%c %d", state != NULL ? state : &(char){ 0 },
	    &ppid_v) != 2) {
		errno = EIO;
		return -1;
	}
	for (field = 3; field < 22 && p != NULL; field++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	if (p == NULL || sscanf(p, "%llu", &st) != 1) {
		errno = EIO;
		return -1;
	}
	if (start != NULL)
		*start = st;
	if (ppid != NULL)
		*ppid = (pid_t)ppid_v;
	return 0;
}

/* Describe the live process pid as an owner. -1 with ESRCH if it is not. */
int
pipc_owner_of(pid_t pid, struct pipc_owner *o)
{
	memset(o, 0, sizeof(*o));
	if (self_ids() == -1)
		return -1;
	if (pid <= 0 || pipc_proc_stat(pid, &o->start, NULL, NULL,
	    o->comm) == -1) {
		if (pid <= 0 || errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	o->pid = pid;
	o->pidns = self_pidns;
	memcpy(o->boot_id, boot_id, sizeof(boot_id));
	o->alive = PIPC_OWNER_ALIVE;
	return 0;
}

/*
 * Read the record of the semaphore open on fd. Returns 1 with *o filled,
 * 0 when there is none (or it is not ours to parse), -1 with errno
 * (ENOTSUP: the filesystem keeps no extended attributes).
 */
int
pipc_owner_get(int fd, struct pipc_owner *o)
{
	char buf[128];
	ssize_t n;
	int pid, len = 0;

	memset(o, 0, sizeof(*o));
	if ((n = fgetxattr(fd, PIPC_OWNER_XATTR, buf, sizeof(buf) - 1)) ==
	    -1)
		return errno == ENODATA || errno == ERANGE ? 0 : -1;
	buf[n] = '\0';
	if (sscanf(buf, "%d %llu %36[-0-9a-f] %llu%n", &pid, &o->start,
	    o->boot_id, &o->pidns, &len) != 4 || len != n || pid <= 0)
		return 0;
	o->pid = (pid_t)pid;
	o->alive = PIPC_OWNER_UNKNOWN;
	return 1;
}

int
pipc_owner_set(int fd, const struct pipc_owner *o)
{
	char buf[128];
	int n;

	n = snprintf(buf, sizeof(buf), "%d %llu %s %llu", (int)o->pid,
	    o->start, o->boot_id, o->pidns);
	return fsetxattr(fd, PIPC_OWNER_XATTR, buf, (size_t)n, 0);
}

int
pipc_owner_clear(int fd)
{
	if (fremovexattr(fd, PIPC_OWNER_XATTR) == -1 && errno != ENODATA)
		return -1;
	return 0;
}

/*
 * How many threads of process pid are not yet gone, from the Threads: line
 * of /proc/PID/status (a zombie leader counts itself); -1 if unreadable.
 */
static int
threads(pid_t pid)
{
	char path[32], buf[2048], *p;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (pipc_read_text(AT_FDCWD, path, buf, sizeof(buf)) == -1 ||
	    (p = strstr(buf, "\nThreads:")) == NULL ||
	    sscanf(p + 9, "%d", &n) != 1)
		return -1;
	return n;
}

/*
 * Is the recorded owner still running? Dead: another boot, no such PID,
 * a PID now used by a process that started at another time, or a zombie
 * with no thread left. A process lives while any of its threads does:
 * a main thread that called pthread_exit shows 'Z' in /proc/PID/stat
 * while the others run on, and then Threads: counts them beside it.
 * Unknown: another PID namespace, or a process we may not read.
 */
enum pipc_alive
pipc_owner_check(struct pipc_owner *o)
{
	unsigned long long start;
	char state;
	int n;

	o->comm[0] = '\0';
	if (self_ids() == -1)
		return o->alive = PIPC_OWNER_UNKNOWN;
	if (strcmp(o->boot_id, boot_id) != 0)
		return o->alive = PIPC_OWNER_DEAD;
	if (o->pidns != self_pidns)
		return o->alive = PIPC_OWNER_UNKNOWN;
	/* kill(0) sees processes that hidepid hides from /proc. */
	if (kill(o->pid, 0) == -1 && errno == ESRCH)
		return o->alive = PIPC_OWNER_DEAD;
	if (pipc_proc_stat(o->pid, &start, NULL, &state, o->comm) == -1)
		return o->alive = errno == ENOENT ? PIPC_OWNER_DEAD :
		    PIPC_OWNER_UNKNOWN;
	if (state == 'Z' && start == o->start) {
		if ((n = threads(o->pid)) > 1)
			return o->alive = PIPC_OWNER_ALIVE;
		if (n == -1 && errno != ENOENT) {
			o->comm[0] = '\0';
			return o->alive = PIPC_OWNER_UNKNOWN;
		}
	}
	if (start != o->start || state == 'Z' || state == 'X') {
		o->comm[0] = '\0';
		return o->alive = PIPC_OWNER_DEAD;
	}
	return o->alive = PIPC_OWNER_ALIVE;
}

int
pipc_owner_same(const struct pipc_owner *a, const struct pipc_owner *b)
{
	return a->pid == b->pid && a->start == b->start &&
	    a->pidns == b->pidns && strcmp(a->boot_id, b->boot_id) == 0;
}

/*
 * Whether anyone holds a file: the kernel's answer, not /proc's.
 *
 * A write lease (F_SETLEASE, F_WRLCK) is granted only when no open file
 * description other than the caller's refers to the inode: no fd in any
 * process of any PID namespace, no mapping whose fd was closed, no queue
 * descriptor. The owner of the file (or CAP_LEASE) may ask; anyone else
 * gets EACCES, a filesystem or a kernel without leases EINVAL. While the
 * lease is held, an open by anyone (us included) breaks it: the opener
 * waits until it is released, and F_GETLEASE no longer says F_WRLCK. So a
 * lease is held only as long as a decision needs it.
 *
 * A break is signalled with SIGIO, whose default action ends the process:
 * where SIGIO still has that action, it is set to be ignored, once. A
 * program with its own SIGIO handler gets si_code POLL_MSG for our fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static void
quiet_sigio(void)
{
	static int done;
	struct sigaction sa;

	if (done)
		return;
	done = 1;
	if (sigaction(SIGIO, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL &&
	    !(sa.sa_flags & SA_SIGINFO)) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_IGN;
		sigaction(SIGIO, &sa, NULL);
	}
}

/*
 * Take a write lease on fd, an O_RDONLY open of a regular file (open it
 * with O_NONBLOCK: another's lease then fails the open instead of holding
 * it for the lease-break-time). 0: nobody else holds the file, and nobody
 * can open it without our knowing until pipc_lease_drop. -1 with errno:
 * EAGAIN (or EBUSY) someone holds it; anything else, no answer.
 */
int
pipc_lease_take(int fd)
{
	quiet_sigio();
	if (fcntl(fd, F_SETLEASE, F_WRLCK) == 0)
		return 0;
	if (errno == EBUSY)
		errno = EAGAIN;
	return -1;
}

/* Has anyone opened the file since pipc_lease_take (or was it revoked)? */
int
pipc_lease_broken(int fd)
{
	return fcntl(fd, F_GETLEASE) != F_WRLCK;
}

void
pipc_lease_drop(int fd)
{
	int e = errno;

	fcntl(fd, F_SETLEASE, F_UNLCK);
	errno = e;
}

/*
 * Does anyone but us hold the file open on fd? Asked and released at
 * once, so an opener is held up for no more than a system call.
 */
enum pipc_held
pipc_lease_probe(int fd)
{
	if (pipc_lease_take(fd) == 0) {
		pipc_lease_drop(fd);
		return PIPC_HELD_NO;
	}
	return errno == EAGAIN ? PIPC_HELD_YES : PIPC_HELD_UNKNOWN;
}

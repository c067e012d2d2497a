/*
 * lease: take a write lease on FILE (F_SETLEASE, F_WRLCK on an O_RDONLY
 * fd), print "ready" and hold it until killed. Another's open then breaks
 * the lease: by default the lease is kept as long as the kernel allows
 * (fs.lease-break-time), with -r it is let go at once, as a cooperative
 * holder does.
 *
 * usage: lease [-r] FILE
 */
#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t broken;

static void
on_break(int sig)
{
	(void)sig;
	broken = 1;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t none;
	int fd, release = 0;

	if (argc == 3 && strcmp(argv[1], "-r") == 0)
		release = 1;
	else if (argc != 2) {
		fprintf(stderr, "usage: lease [-r] FILE\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_break;
	sigaction(SIGIO, &sa, NULL);
	if ((fd = open(argv[argc - 1], O_RDONLY)) == -1)
		err(1, "%s", argv[argc - 1]);
	if (fcntl(fd, F_SETLEASE, F_WRLCK) == -1)
		err(1, "F_SETLEASE");
	printf("ready\n");
	fflush(stdout);
	sigemptyset(&none);
	for (;;) {
		sigsuspend(&none);
		if (broken && release) {
			fcntl(fd, F_SETLEASE, F_UNLCK);
			release = 0;
		}
	}
}

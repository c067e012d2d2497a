/*
 * handoff MS COUNT PATH: keep PATH mapped through a chain of processes, each
 * forking its successor and exiting, one hand-off every MS milliseconds
 * (0: at once), COUNT times; prints "ready" once mapped. The last of the
 * chain prints "done PID" and holds on until killed. A /proc pass can miss such a holder: the
 * child may appear after the entries that held its parent were read.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec ts;
	long ms, count, i;
	pid_t pid;
	int fd;

	if (argc != 4)
		errx(2, "usage: handoff MS COUNT PATH");
	ms = atol(argv[1]);
	count = atol(argv[2]);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = ms % 1000 * 1000000L;
	if ((fd = open(argv[3], O_RDWR)) == -1)
		err(1, "%s", argv[3]);
	if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
	    MAP_FAILED)
		err(1, "mmap");
	close(fd);
	printf("ready\n");
	fflush(stdout);
	for (i = 0; i < count; i++) {
		if (ms > 0)
			nanosleep(&ts, NULL);
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid > 0)
			_exit(0);
	}
	printf("done %d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}

/*
 * opener DIR PREFIX N: open DIR/PREFIXK (K < N, at random) as a program
 * would (blocking, O_RDWR), close it, and again, until stdin closes; then
 * print "opens=N max_ms=M", M the longest single open. A lease held too
 * long shows as a long open.
 */
#include <err.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	struct pollfd in = { STDIN_FILENO, POLLIN, 0 };
	char path[4096];
	double t, max = 0;
	long n, opens = 0;
	int fd;

	if (argc != 4 || (n = atol(argv[3])) <= 0)
		errx(2, "usage: opener DIR PREFIX N");
	printf("ready\n");
	fflush(stdout);
	while (poll(&in, 1, 0) == 0) {
		snprintf(path, sizeof(path), "%s/%s%ld", argv[1], argv[2],
		    random() % n);
		t = now_ms();
		if ((fd = open(path, O_RDWR)) == -1)
			err(1, "%s", path);
		t = now_ms() - t;
		if (t > max)
			max = t;
		close(fd);
		opens++;
	}
	printf("opens=%ld max_ms=%.0f\n", opens, max);
	return 0;
}

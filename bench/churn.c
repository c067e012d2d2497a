/*
 * The opener's side of the open/unlink race, for bench/held.sh, until
 * SIGTERM:
 *
 *   churn mq N HOLD_US        queues /churn.K (K < N), by mq_open
 *   churn shm DIR N HOLD_US   DIR/churn.K (K even) and DIR/sem.churn.K (K
 *                             odd), opened and mapped as shm_open and
 *                             sem_open would
 *
 * Opens a random name, holds it HOLD_US microseconds, then asks the
 * descriptor it kept whether the name was removed meanwhile (st_nlink 0:
 * an open "lost" its object), and closes. A missing name is created again,
 * closed, for the collector to take. An open refused with EACCES (gc's
 * mode 01000 guard on a queue, for a non-root opener) is counted. On
 * SIGTERM prints
 *	opens=N lost=N missing=N denied=N
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SIZE	32	/* a glibc sem_t; a fine shm object too */

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Open (or, when missing, create and close) one object; returns the
 * descriptor, -1 when missing (recreated), -2 when denied. */
static int
open_one(int mq, const char *dir, long k)
{
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	char path[4096];
	void *p;
	int fd;

	if (mq) {
		snprintf(path, sizeof(path), "/churn.%ld", k);
		if ((fd = mq_open(path, O_RDWR)) != -1)
			return fd;
		if (errno == EACCES)
			return -2;
		if (errno != ENOENT)
			err(1, "%s", path);
		fd = mq_open(path, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
		if (fd != -1)
			mq_close(fd);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%schurn.%ld", dir, k % 2 ? "sem." : "",
	    k);
	if ((fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) != -1) {
		p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			err(1, "mmap %s", path);
		((volatile char *)p)[0]++;
		munmap(p, SIZE);	/* the fd still holds it */
		return fd;
	}
	if (errno == EACCES)
		return -2;
	if (errno != ENOENT)
		err(1, "%s", path);
	if ((fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600)) != -1) {
		if (ftruncate(fd, SIZE) == -1)
			err(1, "ftruncate");
		close(fd);
	}
	return -1;
}

int
main(int argc, char **argv)
{
	long n, hold_us, opens = 0, lost = 0, missing = 0, denied = 0;
	struct sigaction sa;
	struct timespec hold;
	struct stat st;
	const char *dir = NULL;
	int mq, fd;

	if (argc == 4 && strcmp(argv[1], "mq") == 0) {
		mq = 1;
		n = atol(argv[2]);
		hold_us = atol(argv[3]);
	} else if (argc == 5 && strcmp(argv[1], "shm") == 0) {
		mq = 0;
		dir = argv[2];
		n = atol(argv[3]);
		hold_us = atol(argv[4]);
	} else
		errx(2, "usage: churn mq N HOLD_US | churn shm DIR N HOLD_US");
	if (n <= 0 || hold_us < 0 || hold_us >= 1000000)
		errx(2, "bad N or HOLD_US");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	srand((unsigned)getpid());
	while (!stop) {
		if ((fd = open_one(mq, dir, rand() % n)) < 0) {
			if (fd == -2)
				denied++;
			else
				missing++;
			continue;
		}
		opens++;
		hold.tv_sec = 0;
		hold.tv_nsec = hold_us * 1000L;
		while (nanosleep(&hold, &hold) == -1 && errno == EINTR && !stop)
			;
		if (fstat(fd, &st) == -1)
			err(1, "fstat");
		if (st.st_nlink == 0)
			lost++;
		if (mq)
			mq_close(fd);
		else
			close(fd);
	}
	printf("opens=%ld lost=%ld missing=%ld denied=%ld\n", opens, lost,
	    missing, denied);
	return 0;
}

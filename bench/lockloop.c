/*
 * Uncontended acquire+release in a loop, operations per second:
 *   lockloop lib NAME N   through the library as pipc lock does it: take,
 *                         record the owner under the flock guard, release
 *                         (check the record, clear it, post) under it
 *   lockloop raw NAME N   sem_open'ed semaphore, sem_wait + sem_post only
 * Run it where /dev/shm is a private tmpfs (bench/lock.sh does).
 */
#include <err.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pipc.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct pipc_lock lk;
	struct pipc_owner me;
	const char *errstr;
	double t0, t;
	long long i, n;
	sem_t *sem;
	char path[300];
	int dfd;

	if (argc != 4)
		errx(2, "usage: lockloop lib|raw NAME N");
	n = strtonum(argv[3], 1, 1000000000, &errstr);
	if (errstr != NULL)
		errx(2, "N %s: %s", argv[3], errstr);
	if (strcmp(argv[1], "raw") == 0) {
		snprintf(path, sizeof(path), "/%s", argv[2]);
		if ((sem = sem_open(path, O_CREAT, 0600, 1)) == SEM_FAILED)
			err(1, "sem_open");
		t0 = now();
		for (i = 0; i < n; i++)
			if (sem_wait(sem) == -1 || sem_post(sem) == -1)
				err(1, "sem");
	} else {
		if ((dfd = open("/dev/shm", O_RDONLY | O_DIRECTORY)) == -1 ||
		    pipc_lock_open(dfd, argv[2], 1, 0600, &lk) == -1 ||
		    pipc_owner_of(getpid(), &me) == -1)
			err(1, "%s", argv[2]);
		t0 = now();
		for (i = 0; i < n; i++)
			if (pipc_lock_take(&lk, 0, NULL) == -1 ||
			    pipc_lock_record(&lk, &me) == -1 ||
			    pipc_lock_release(&lk, &me, NULL) != 0)
				err(1, "lock");
	}
	t = now() - t0;
	printf("%.0f\n", (double)n / t);
	return 0;
}

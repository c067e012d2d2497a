/*
 * Uncontended acquire+release in a loop, nanoseconds per pair:
 *   libpipcloop lib NAME N      pipc_mutex_acquire + pipc_mutex_release
 *   libpipcloop raw NAME N      sem_wait + sem_post of the same semaphore
 *   libpipcloop robust NAME N   a robust, process-shared pthread mutex in
 *                               shared memory: lock + unlock
 *   libpipcloop flock NAME N    the owner record's parts, each alone:
 *   libpipcloop xattr NAME N    flock LOCK_EX + LOCK_UN on the semaphore's
 *                               file; fsetxattr + fgetxattr + fremovexattr
 *                               of a record of its size
 *   libpipcloop syscall NAME N  getppid(), the cheapest system call: what
 *                               one costs on this machine
 * Built against libpipc.so (bench/libpipc.sh); run it where /dev/shm is a
 * private tmpfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <pipc/pipc.h>

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void
die(const char *what, int e)
{
	fprintf(stderr, "libpipcloop: %s: %s\n", what, strerror(e));
	exit(1);
}

int
main(int argc, char **argv)
{
	const char *rec = "123456 9876543 0c7a1b3e-5d2f-4a8b-9c1d-2e3f4a5b6c7d "
	    "4026531836";
	char path[300], buf[128];
	pthread_mutexattr_t a;
	pthread_mutex_t *mu;
	pipc_mutex *m;
	sem_t *sem;
	double t0;
	long i, n;
	int r, fd;

	if (argc != 4) {
		fprintf(stderr, "usage: libpipcloop lib|raw|robust|flock|xattr|syscall "
		    "NAME N\n");
		return 2;
	}
	n = atol(argv[3]);
	snprintf(path, sizeof(path), "/%s", argv[2]);
	if (strcmp(argv[1], "lib") == 0) {
		if ((r = pipc_mutex_open(&m, path, PIPC_MUTEX_CREATE, 0600)) !=
		    0)
			die("open", r);
		t0 = now();
		for (i = 0; i < n; i++) {
			if ((r = pipc_mutex_acquire(m)) != 0)
				die("acquire", r);
			if ((r = pipc_mutex_release(m)) != 0)
				die("release", r);
		}
	} else if (strcmp(argv[1], "raw") == 0) {
		if ((sem = sem_open(path, O_CREAT, 0600, 1)) == SEM_FAILED)
			die("sem_open", errno);
		t0 = now();
		for (i = 0; i < n; i++) {
			sem_wait(sem);
			sem_post(sem);
		}
	} else if (strcmp(argv[1], "robust") == 0) {
		if ((fd = shm_open(path, O_RDWR | O_CREAT, 0600)) == -1 ||
		    ftruncate(fd, sizeof(*mu)) == -1 ||
		    (mu = mmap(NULL, sizeof(*mu), PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0)) == MAP_FAILED)
			die("shm", errno);
		pthread_mutexattr_init(&a);
		pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
		pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
		pthread_mutex_init(mu, &a);
		t0 = now();
		for (i = 0; i < n; i++) {
			pthread_mutex_lock(mu);
			pthread_mutex_unlock(mu);
		}
	} else if (strcmp(argv[1], "flock") == 0 ||
	    strcmp(argv[1], "xattr") == 0) {
		snprintf(path, sizeof(path), "/dev/shm/sem.%s", argv[2]);
		if ((fd = open(path, O_RDWR | O_CREAT, 0600)) == -1)
			die(path, errno);
		t0 = now();
		for (i = 0; i < n; i++) {
			if (argv[1][0] == 'f') {
				flock(fd, LOCK_EX);
				flock(fd, LOCK_UN);
				continue;
			}
			if (fsetxattr(fd, "user.pipc.owner", rec, strlen(rec),
			    0) == -1 || fgetxattr(fd, "user.pipc.owner", buf,
			    sizeof(buf)) == -1 || fremovexattr(fd,
			    "user.pipc.owner") == -1)
				die("xattr", errno);
		}
	} else if (strcmp(argv[1], "syscall") == 0) {
		t0 = now();
		for (i = 0; i < n; i++)
			(void)getppid();
	} else
		die(argv[1], EINVAL);
	printf("%.0f\n", (now() - t0) / (double)n);
	return 0;
}

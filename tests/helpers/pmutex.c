/*
 * pmutex: a process-shared pthread mutex at the start of a shared memory
 * object, for the tests of pipc inspect and unlock --force.
 *
 * usage: pmutex NAME normal|robust hold|lock|spoil
 *   hold  create NAME (4096 bytes) with the mutex at 0 if it does not
 *         exist, take the mutex, print "locked TID", wait to be killed
 *   lock  take the mutex of an existing NAME, print "locked", give it back
 *         (a robust one made consistent first if its owner died)
 *   spoil take a robust mutex whose owner died and give it back without
 *         making it consistent: glibc marks it not recoverable
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	pthread_mutexattr_t a;
	pthread_mutex_t *m;
	int fd, made = 0, robust, rv;

	if (argc != 4) {
		fprintf(stderr, "usage: pmutex NAME normal|robust "
		    "hold|lock|spoil\n");
		return 2;
	}
	robust = strcmp(argv[2], "robust") == 0;
	if ((fd = shm_open(argv[1], O_RDWR | O_CREAT | O_EXCL, 0600)) != -1)
		made = 1;
	else if (errno != EEXIST ||
	    (fd = shm_open(argv[1], O_RDWR, 0)) == -1) {
		perror("shm_open");
		return 1;
	}
	if (made && ftruncate(fd, 4096) == -1) {
		perror("ftruncate");
		return 1;
	}
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (made) {
		pthread_mutexattr_init(&a);
		pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
		if (robust)
			pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
		pthread_mutex_init(m, &a);
	}
	rv = pthread_mutex_lock(m);
	if (rv == EOWNERDEAD && strcmp(argv[3], "spoil") == 0) {
		pthread_mutex_unlock(m);
		printf("spoiled\n");
		return 0;
	}
	if (rv == EOWNERDEAD) {
		pthread_mutex_consistent(m);
		printf("owner died\n");
	} else if (rv != 0) {
		fprintf(stderr, "pthread_mutex_lock: %s\n", strerror(rv));
		return 1;
	}
	if (strcmp(argv[3], "hold") == 0) {
		printf("locked %ld\n", (long)syscall(SYS_gettid));
		fflush(stdout);
		for (;;)
			pause();
	}
	printf("locked\n");
	pthread_mutex_unlock(m);
	return 0;
}

/*
 * Benchmark fixture, fast: make many objects as files, or be one of the
 * processes that hold some of them.
 *
 *   mkobjs create DIR NSHM NSEM   bench.NNNNNN (sizes 4K-1M) and sem.bench.NNNNNN
 *   mkobjs hold DIR NPROCS COUNT NFDS
 *	start NPROCS processes; process k maps COUNT shm and COUNT sem objects
 *	from number k * (COUNT + NFDS) on, as shm_open+mmap and sem_open
 *	would, and keeps the next NFDS shm objects open as plain fds. Prints
 *	their PIDs once all are ready; they sleep until killed.
 */
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* What glibc's sem_open writes for a process-shared sem_t on 64-bit Linux. */
struct sem_file {
	uint64_t	 data;		/* value, waiters << 32 */
	uint32_t	 private;	/* 128: FUTEX_SHARED */
	uint32_t	 pad[5];
};

static long
num(const char *s)
{
	const char *e;
	long v;

	v = strtonum(s, 0, 10000000, &e);
	if (e != NULL)
		errx(2, "%s: %s", s, e);
	return v;
}

static int
dir_open(const char *dir)
{
	int dfd;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) == -1)
		err(1, "%s", dir);
	return dfd;
}

static void
create(const char *dir, long nshm, long nsem)
{
	struct sem_file sf;
	char name[64];
	long i;
	int dfd = dir_open(dir), fd;

	for (i = 0; i < nshm; i++) {
		snprintf(name, sizeof(name), "bench.%06ld", i);
		if ((fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL, 0600)) ==
		    -1 || ftruncate(fd, 4096L << (i % 9)) == -1)
			err(1, "%s", name);
		close(fd);
	}
	for (i = 0; i < nsem; i++) {
		memset(&sf, 0, sizeof(sf));
		sf.data = (uint64_t)(i % 2);	/* half are taken locks */
		sf.private = 128;
		snprintf(name, sizeof(name), "sem.bench.%06ld", i);
		if ((fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL, 0600)) ==
		    -1 || write(fd, &sf, sizeof(sf)) != (ssize_t)sizeof(sf))
			err(1, "%s", name);
		close(fd);
	}
	close(dfd);
}

static int
map(int dfd, const char *name, size_t size)
{
	void *p;
	int fd;

	if ((fd = openat(dfd, name, O_RDWR)) == -1) {
		warn("%s", name);
		return -1;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		warn("mmap %s", name);
		return -1;
	}
	return 0;
}

static int
hold_one(int dfd, long first, long count, long nfds)
{
	char name[64];
	long i;

	for (i = first; i < first + count; i++) {
		snprintf(name, sizeof(name), "bench.%06ld", i);
		if (map(dfd, name, 4096) == -1)
			return -1;
		snprintf(name, sizeof(name), "sem.bench.%06ld", i);
		if (map(dfd, name, sizeof(struct sem_file)) == -1)
			return -1;
	}
	for (i = first + count; i < first + count + nfds; i++) {
		snprintf(name, sizeof(name), "bench.%06ld", i);
		if (openat(dfd, name, O_RDONLY) == -1) {
			warn("%s", name);
			return -1;
		}
	}
	return 0;
}

static void
hold(const char *dir, long nprocs, long count, long nfds)
{
	pid_t pid;
	long k;
	char c;
	int dfd = dir_open(dir), p[2], fd;

	if (pipe(p) == -1)
		err(1, "pipe");
	for (k = 0; k < nprocs; k++) {
		fflush(stdout);		/* or the child has a copy to flush */
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0) {
			/* Leave the caller's $(...) free to end. */
			if ((fd = open("/dev/null", O_WRONLY)) != -1)
				dup2(fd, STDOUT_FILENO);
			close(p[0]);
			c = hold_one(dfd, k * (count + nfds), count, nfds) ==
			    0 ? 'r' : 'f';
			close(dfd);
			if (write(p[1], &c, 1) != 1 || c != 'r')
				_exit(1);
			close(p[1]);
			for (;;)
				pause();
		}
		printf("%d\n", (int)pid);
	}
	close(p[1]);
	/* Every child says once whether it is ready. */
	for (k = 0; k < nprocs; k++)
		if (read(p[0], &c, 1) != 1 || c != 'r')
			errx(1, "a holder failed");
	close(dfd);
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "create") == 0)
		create(argv[2], num(argv[3]), num(argv[4]));
	else if (argc == 6 && strcmp(argv[1], "hold") == 0)
		hold(argv[2], num(argv[3]), num(argv[4]), num(argv[5]));
	else {
		fprintf(stderr, "usage: mkobjs create DIR NSHM NSEM\n"
		    "       mkobjs hold DIR NPROCS COUNT NFDS\n");
		return 2;
	}
	return 0;
}

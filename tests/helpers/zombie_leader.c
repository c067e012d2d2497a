/*
 * zombie_leader [-f] PATH: hold PATH from a thread whose process's main
 * thread has exited (state Z: /proc/PID/maps and fd are then empty). The
 * thread maps PATH, or with -f keeps only an fd of it in a file table of its
 * own (unshare(CLONE_FILES)); once main is gone it prints "ready" and
 * waits to be killed.
 */
#include <err.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static pthread_t main_thread;
static const char *path;
static int fdonly;

static void *
keeper(void *arg)
{
	int fd;

	(void)arg;
	if (fdonly && unshare(CLONE_FILES) == -1)
		err(1, "unshare");
	if ((fd = open(path, O_RDWR)) == -1)
		err(1, "%s", path);
	if (!fdonly) {
		if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    0) == MAP_FAILED)
			err(1, "mmap");
		close(fd);
	}
	pthread_join(main_thread, NULL);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	pthread_t t;

	if (argc == 3 && strcmp(argv[1], "-f") == 0) {
		fdonly = 1;
		argv++;
	} else if (argc != 2)
		errx(2, "usage: zombie_leader [-f] PATH");
	path = argv[1];
	main_thread = pthread_self();
	if (pthread_create(&t, NULL, keeper, NULL) != 0)
		errx(1, "pthread_create");
	pthread_exit(NULL);
}

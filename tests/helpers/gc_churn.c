/*
 * gc_churn DIR N OPENS: the other side of the open/unlink race. Keeps
 * opening and mapping random objects DIR/churn.K and DIR/sem.churn.K (K <
 * N), as shm_open and sem_open would, holds each for up to half a
 * millisecond (one in 16 for 10 to 30 ms, longer than gc's settle), then
 * asks whether it was unlinked under it (st_nlink 0): through the fd it
 * kept, or through /proc/self/map_files when it closed the fd after mapping.
 * A missing object is created again, unmapped, for the collector to take.
 * Stops after OPENS opens and prints
 *	opens=N unlinked=N missing=N unchecked=N
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SIZE	32	/* a glibc sem_t; a fine shm object too */

int
main(int argc, char **argv)
{
	long n, want, opens = 0, unlinked = 0, missing = 0, unchecked = 0;
	struct timespec hold;
	struct stat st;
	char path[4096], mf[64];
	void *p;
	int fd, keep;

	if (argc != 4 || (n = atol(argv[2])) <= 0 || (want = atol(argv[3])) <= 0)
		errx(2, "usage: gc_churn DIR N OPENS");
	srand((unsigned)getpid());
	while (opens < want) {
		long k = rand() % n;

		snprintf(path, sizeof(path), "%s/%schurn.%ld", argv[1],
		    k % 2 ? "sem." : "", k);
		if ((fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) == -1) {
			if (errno != ENOENT)
				err(1, "%s", path);
			missing++;
			fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
			if (fd != -1 && ftruncate(fd, SIZE) == -1)
				err(1, "ftruncate");
			if (fd != -1)
				close(fd);
			continue;
		}
		opens++;
		if ((p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0)) == MAP_FAILED)
			err(1, "mmap");
		keep = rand() % 2;
		if (!keep)
			close(fd);
		((volatile char *)p)[0]++;
		/* Mostly brief; one in 16 outlasts gc's settle time, so
		 * that gc must find it and put it back. */
		hold.tv_sec = 0;
		hold.tv_nsec = rand() % 16 ? (rand() % 500) * 1000L :
		    (10 + rand() % 20) * 1000000L;
		nanosleep(&hold, NULL);
		if (keep) {
			if (fstat(fd, &st) == -1)
				err(1, "fstat");
			close(fd);
		} else {
			snprintf(mf, sizeof(mf), "/proc/self/map_files/%lx-%lx",
			    (unsigned long)p, (unsigned long)p + 4096);
			if (stat(mf, &st) == -1) {
				unchecked++;
				st.st_nlink = 1;
			}
		}
		if (st.st_nlink == 0)
			unlinked++;
		munmap(p, SIZE);
	}
	printf("opens=%ld unlinked=%ld missing=%ld unchecked=%ld\n", opens,
	    unlinked, missing, unchecked);
	return 0;
}

/*
 * gc_floor DIR N: what the quarantine costs in the kernel alone. Creates
 * N empty files in DIR, times renaming each (as gc does) and unlinking the
 * new names, then N fresh files unlinked directly (as find -delete does).
 * Prints "rename S unlink-renamed S unlink S" in seconds.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
make(int dfd, int n)
{
	char a[64];
	int i, fd;

	for (i = 0; i < n; i++) {
		snprintf(a, sizeof(a), "o%06d", i);
		if ((fd = openat(dfd, a, O_CREAT | O_WRONLY, 0600)) == -1)
			err(1, "%s", a);
		close(fd);
	}
}

int
main(int argc, char **argv)
{
	char a[64], b[64];
	double t0, t1, t2, t3;
	int dfd, n, i;

	if (argc != 3 || (n = atoi(argv[2])) <= 0)
		errx(2, "usage: gc_floor DIR N");
	if ((dfd = open(argv[1], O_RDONLY | O_DIRECTORY)) == -1)
		err(1, "%s", argv[1]);
	make(dfd, n);
	t0 = now();
	for (i = 0; i < n; i++) {
		snprintf(a, sizeof(a), "o%06d", i);
		snprintf(b, sizeof(b), ".pipc-gc.%x.o%06d", i + 1, i);
		if (renameat2(dfd, a, dfd, b, RENAME_NOREPLACE) == -1)
			err(1, "rename %s", a);
	}
	t1 = now();
	for (i = 0; i < n; i++) {
		snprintf(b, sizeof(b), ".pipc-gc.%x.o%06d", i + 1, i);
		unlinkat(dfd, b, 0);
	}
	t2 = now();
	make(dfd, n);
	t3 = now();
	for (i = 0; i < n; i++) {
		snprintf(a, sizeof(a), "o%06d", i);
		unlinkat(dfd, a, 0);
	}
	printf("rename %.3f unlink-renamed %.3f unlink %.3f\n", t1 - t0,
	    t2 - t1, now() - t3);
	return 0;
}

/*
 * gc_naive DIR RUNS: the collector pipc gc must not be. Each run looks for
 * holders once (every /proc/PID/fd and /proc/PID/maps), then unlinks every
 * regular file in DIR whose inode nobody held: check, then unlink, with
 * nothing in between to stop a process opening the file meanwhile.
 * Prints removed=N.
 */
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ino_t	*held;
static size_t	 nheld, capheld;

static void
hold(ino_t ino)
{
	if (nheld == capheld &&
	    (held = realloc(held, (capheld = capheld * 2 + 64) *
	    sizeof(*held))) == NULL)
		err(1, NULL);
	held[nheld++] = ino;
}

static void
scan_proc(dev_t dev)
{
	char path[512], line[4096];
	unsigned long long ino;
	struct dirent *p, *f;
	struct stat st;
	DIR *d, *fds;
	FILE *fp;

	nheld = 0;
	if ((d = opendir("/proc")) == NULL)
		err(1, "/proc");
	while ((p = readdir(d)) != NULL) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/maps", p->d_name);
		if ((fp = fopen(path, "r")) != NULL) {
			while (fgets(line, sizeof(line), fp) != NULL)
				if (sscanf(line, "%*s %*s %*s %*s %llu", &ino) ==
				    1 && ino != 0)
					hold((ino_t)ino);
			fclose(fp);
		}
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		if ((fds = opendir(path)) == NULL)
			continue;
		while ((f = readdir(fds)) != NULL)
			if (fstatat(dirfd(fds), f->d_name, &st, 0) == 0 &&
			    st.st_dev == dev)
				hold(st.st_ino);
		closedir(fds);
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	struct dirent *e;
	struct stat st;
	long runs, r, removed = 0;
	size_t i;
	DIR *d;

	if (argc != 3 || (runs = atol(argv[2])) <= 0)
		errx(2, "usage: gc_naive DIR RUNS");
	if (stat(argv[1], &st) == -1)
		err(1, "%s", argv[1]);
	for (r = 0; r < runs; r++) {
		scan_proc(st.st_dev);
		if ((d = opendir(argv[1])) == NULL)
			err(1, "%s", argv[1]);
		while ((e = readdir(d)) != NULL) {
			if (e->d_type != DT_REG)
				continue;
			for (i = 0; i < nheld && held[i] != e->d_ino; i++)
				continue;
			if (i == nheld && unlinkat(dirfd(d), e->d_name, 0) == 0)
				removed++;
		}
		closedir(d);
	}
	printf("removed=%ld\n", removed);
	return 0;
}

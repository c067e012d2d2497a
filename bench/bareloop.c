/*
 * The floor for pipc ls: the system calls it cannot avoid, with nothing
 * kept, parsed, sorted or printed but one line of counts.
 *
 *   bareloop dir DIR    readdir; fstatat(AT_SYMLINK_NOFOLLOW) on every
 *                       entry; open, pread 32 bytes, close on every sem.*
 *   bareloop full DIR   the same, then for every /proc/PID: read maps to
 *                       the end, readdir fd/ and statx every entry
 */
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[65536];

static long
dir_pass(const char *path, long *sems)
{
	struct dirent *de;
	struct stat st;
	long n = 0;
	DIR *d;
	int fd;

	if ((d = opendir(path)) == NULL)
		err(1, "%s", path);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')	/* no object name starts so */
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		    -1)
			continue;
		n++;
		if (strncmp(de->d_name, "sem.", 4) != 0 || st.st_size != 32)
			continue;
		fd = openat(dirfd(d), de->d_name,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd == -1)
			continue;
		if (pread(fd, buf, 32, 0) == 32)
			(*sems)++;
		close(fd);
	}
	closedir(d);
	return n;
}

static long
proc_pass(long *fds)
{
	struct dirent *de, *fe;
	struct statx stx;
	char path[NAME_MAX + 8];
	long n = 0;
	DIR *d, *fdd;
	int fd;

	if ((d = opendir("/proc")) == NULL)
		err(1, "/proc");
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/maps", de->d_name);
		if ((fd = openat(dirfd(d), path, O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
		n++;
		snprintf(path, sizeof(path), "%s/fd", de->d_name);
		fd = openat(dirfd(d), path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd == -1 || (fdd = fdopendir(fd)) == NULL)
			continue;
		while ((fe = readdir(fdd)) != NULL)
			if (fe->d_name[0] != '.' && statx(fd, fe->d_name,
			    AT_STATX_DONT_SYNC, STATX_INO, &stx) == 0)
				(*fds)++;
		closedir(fdd);
	}
	closedir(d);
	return n;
}

int
main(int argc, char **argv)
{
	long files, sems = 0, procs = 0, fds = 0;

	if (argc != 3 || (strcmp(argv[1], "dir") != 0 &&
	    strcmp(argv[1], "full") != 0)) {
		fprintf(stderr, "usage: bareloop dir|full DIR\n");
		return 2;
	}
	files = dir_pass(argv[2], &sems);
	if (argv[1][0] == 'f')
		procs = proc_pass(&fds);
	printf("%ld files, %ld sems read, %ld processes, %ld fds\n", files,
	    sems, procs, fds);
	return 0;
}

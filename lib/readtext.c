/* Small text files of /proc and /sys, read whole in one call. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "internal.h"

/*
 * Read path (relative to dfd, or AT_FDCWD) into buf as a C string. Returns
 * its length, or -1 with errno; an empty file is an error (EIO), since
 * every file read this way says something.
 */
ssize_t
pipc_read_text(int dfd, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd, e;

	if ((fd = openat(dfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, size - 1);
	e = errno;
	close(fd);
	if (n <= 0) {
		errno = n == 0 ? EIO : e;
		return -1;
	}
	buf[n] = '\0';
	return n;
}

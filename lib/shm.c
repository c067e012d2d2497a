/* Shared memory: its row of the kind table, and its creation. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>

#include "internal.h"

/* Every file of the shared memory directory that no other kind claims. */
const struct pipc_kind pipc_kind_shm = {
	.name = "shm",
	.noun = "shared memory",
	.word = "shared memory",
	.missing = "object",
	.prefix = "",
	.dir = offsetof(struct pipc_dirs, shm),
	.cmds = (const char *const []){ "map", NULL },
	.flags = PIPC_KIND_PEEK,
	/* A mutex taken inside it (contents.c): pipc_classify judges. */
	.read = pipc_contents_peek,
};

/*
 * Create the shared memory object name (bare, checked) in dfd with exactly
 * this mode and size, or with PIPC_REUSE open the one already there (the
 * caller checks its size and mode). Returns an O_RDWR fd, or -1 with errno:
 * EEXIST when it exists, EINVAL when the entry there is no regular file.
 */
int
pipc_shm_create(int dfd, const char *name, uint64_t size, mode_t mode,
    int flags, int *created)
{
	struct stat st;
	int fd, e;

	*created = 0;
	fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		if (errno != EEXIST || !(flags & PIPC_REUSE))
			return -1;
		/* O_NONBLOCK: a fifo put there must not hang us. */
		fd = openat(dfd, name, O_RDWR | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);
		if (fd == -1)
			return -1;
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		return fd;
	}
	/* fchmod, not the open mode: the umask must not filter it. */
	if (fchmod(fd, mode) == -1 || ftruncate(fd, (off_t)size) == -1) {
		e = errno;
		unlinkat(dfd, name, 0);
		close(fd);
		errno = e;
		return -1;
	}
	*created = 1;
	return fd;
}

/* Named semaphores through a directory fd, made as glibc's sem_open does. */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pipc.h"

/*
 * Write a fresh sem_t under a temporary name, then link it to the real
 * one: other openers see either no semaphore or a complete one, never a
 * short file. Returns 0, or -1 with errno (EEXIST when the name is taken).
 */
static int
sem_make(int dfd, const char *file, unsigned value, mode_t mode)
{
	char tmp[sizeof("sem.XXXXXX")];
	sem_t sem;
	int fd, i, e;

	if (sem_init(&sem, 1, value) == -1)
		return -1;
	for (i = 0; i < 100; i++) {
		snprintf(tmp, sizeof(tmp), "sem.%06x",
		    (unsigned)arc4random_uniform(0x1000000));
		fd = openat(dfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd != -1 || errno != EEXIST)
			break;
	}
	if (fd == -1)
		return -1;
	/* Exactly the mode asked for: the umask does not apply. */
	if (fchmod(fd, mode) == -1 ||
	    pwrite(fd, &sem, sizeof(sem), 0) != (ssize_t)sizeof(sem) ||
	    linkat(dfd, tmp, dfd, file, 0) == -1) {
		e = errno;
		unlinkat(dfd, tmp, 0);
		close(fd);
		errno = e;
		return -1;
	}
	unlinkat(dfd, tmp, 0);
	close(fd);
	return 0;
}

/*
 * Open the semaphore NAME (bare, checked) in the directory dfd and map it.
 * PIPC_SEM_CREATE makes it at value if missing, PIPC_SEM_EXCL fails with
 * EEXIST if present; *created says which happened. With fdp, the file
 * stays open there, so that what the caller does to the file (a flock, an
 * owner record) is done to the very semaphore mapped. A sem.* file that is
 * not a regular file of a sem_t's size is refused (EINVAL), never mapped:
 * a short file mapped would be a SIGBUS.
 */
sem_t *
pipc_sem_open(int dfd, const char *name, int flags, unsigned value,
    mode_t mode, int *created, int *fdp)
{
	char file[NAME_MAX + 1];
	struct stat st;
	sem_t *sem;
	int fd, e;

	if (created != NULL)
		*created = 0;
	if ((size_t)snprintf(file, sizeof(file), "sem.%s", name) >=
	    sizeof(file)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	for (;;) {
		fd = openat(dfd, file, O_RDWR | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);
		if (fd != -1 || errno != ENOENT || !(flags & PIPC_SEM_CREATE))
			break;
		if (sem_make(dfd, file, value, mode) == 0) {
			if (created != NULL)
				*created = 1;
			flags &= ~PIPC_SEM_EXCL;
		} else if (errno != EEXIST)
			return NULL;
	}
	if (fd == -1)
		return NULL;
	if ((flags & PIPC_SEM_EXCL) && (created == NULL || !*created)) {
		close(fd);
		errno = EEXIST;
		return NULL;
	}
	if (fstat(fd, &st) == -1)
		e = errno;
	else if (!S_ISREG(st.st_mode) || st.st_size != PIPC_SEM_SIZE)
		e = EINVAL;
	else
		e = 0;
	if (e != 0) {
		close(fd);
		errno = e;
		return NULL;
	}
	sem = mmap(NULL, PIPC_SEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	e = errno;
	if (fdp != NULL && sem != MAP_FAILED)
		*fdp = fd;
	else
		close(fd);
	errno = e;
	return sem == MAP_FAILED ? NULL : sem;
}

void
pipc_sem_close(sem_t *sem)
{
	munmap(sem, PIPC_SEM_SIZE);
}

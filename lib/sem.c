/*
 * Named semaphores: their row of the kind table, what a sem_t file holds,
 * and opening and making one through a directory fd as glibc's sem_open does.
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

static int	sem_claim(const char *);
static void	sem_facts(int, struct pipc_obj *);
static enum pipc_state sem_state(const struct pipc_obj *, enum pipc_state);
static int	sem_taken(int);

/* glibc's sem_open keeps the semaphore NAME as /dev/shm/sem.NAME. */
const struct pipc_kind pipc_kind_sem = {
	.name = "sem",
	.noun = "a semaphore",
	.word = "semaphore",
	.missing = "object",
	.prefix = "sem.",
	.dir = offsetof(struct pipc_dirs, shm),
	.too_long = "a semaphore name is longer than 251 bytes (NAME_MAX "
	    "less the 4 of \"sem.\")",
	.taken = "a shared memory name cannot begin with \"sem.\": "
	    "sem.NAME is the file of the semaphore NAME",
	.cmds = (const char *const []){ "lock", "unlock", NULL },
	.claim = sem_claim,
	.read = sem_facts,
	.state = sem_state,
	.taken_by_owner = sem_taken,
};

static int
sem_claim(const char *file)
{
	return strncmp(file, "sem.", 4) == 0 && file[4] != '\0';
}

/*
 * The value of a glibc sem_t is the low 32 bits of its first 64-bit word,
 * the number of waiters the high 32 bits (little-endian and 64-bit only).
 */
int
pipc_sem_read(int fd, uint32_t *value, uint32_t *waiters)
{
	unsigned char b[PIPC_SEM_SIZE];
	uint64_t w;

	if (pread(fd, b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	memcpy(&w, b, sizeof(w));
	*value = (uint32_t)w;
	*waiters = (uint32_t)(w >> 32);
	return 0;
}

static void
sem_facts(int fd, struct pipc_obj *o)
{
	struct pipc_owner owner;

	o->temp = pipc_sem_tempname(o->name);
	if (fd == -1 || o->st.st_size != PIPC_SEM_SIZE)
		return;
	if (pipc_sem_read(fd, &o->value, &o->waiters) == 0)
		o->facts = 1;
	/* Only a held lock has an owner worth a look (lock.c, owner.c). */
	if (o->facts && o->value == 0 && pipc_owner_get(fd, &owner) == 1 &&
	    (o->lock = malloc(sizeof(*o->lock))) != NULL) {
		*o->lock = owner;
		pipc_owner_check(o->lock);
	}
}

/*
 * A file of another size than a sem_t's is corrupt, whoever holds it. A
 * semaphore at 0 that nobody holds is a lock whose owner is gone (a live
 * one was counted as a holder by pipc_classify).
 */
static enum pipc_state
sem_state(const struct pipc_obj *o, enum pipc_state s)
{
	if (o->st.st_size != PIPC_SEM_SIZE)
		return PIPC_CORRUPT;
	if (s == PIPC_ORPHAN && o->facts && o->value == 0)
		return PIPC_STALE_LOCK;
	return s;
}

/* A lock taken (at 0) whose recorded owner is not known dead. */
static int
sem_taken(int fd)
{
	struct pipc_owner owner;
	uint32_t value, waiters;

	if (pipc_sem_read(fd, &value, &waiters) == 0 && value == 0 &&
	    pipc_owner_get(fd, &owner) == 1) {
		pipc_owner_check(&owner);
		return owner.alive != PIPC_OWNER_DEAD;
	}
	return 0;
}

/*
 * glibc's sem_open builds a semaphore as "sem.XXXXXX", six random letters
 * and digits, before linking it to its name. Words like "mutex1" look the
 * same; asking for a lower-case letter and an upper-case letter or digit
 * spares most of them ("waited", "LOCKED") and misses few real leftovers.
 */
int
pipc_sem_tempname(const char *name)
{
	int lower = 0, other = 0;
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if (name[i] >= 'a' && name[i] <= 'z')
			lower = 1;
		else if ((name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9'))
			other = 1;
		else
			return 0;
	return i == 6 && lower && other;
}

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
	if (pipc_file_name(file, sizeof(file), PIPC_SEM, name) == -1)
		return NULL;
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

/* Objects by name through a directory fd: look up, remove. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "internal.h"

/*
 * Open the directory of kind t. One its kind refuses (a queue directory
 * that is no mqueue filesystem) fails with EMEDIUMTYPE: its files would
 * not be objects of that kind.
 */
int
pipc_dir_open(const struct pipc_dirs *d, enum pipc_type t)
{
	const char *dir = pipc_dir_of(d, t);

	if (pipc_kind(t)->dir_ok != NULL && pipc_kind(t)->dir_ok(dir) == 0) {
		errno = EMEDIUMTYPE;
		return -1;
	}
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* The file of object name (bare, checked): "sem.name" for a semaphore. */
int
pipc_file_name(char *buf, size_t size, enum pipc_type t, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s%s", pipc_kind(t)->prefix,
	    name) >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* What a directory entry that is no object is, for messages. */
const char *
pipc_file_what(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISFIFO(m))
		return "a fifo";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return S_ISREG(m) ? "a regular file" : "an unknown file type";
}

/* Which of the kinds in mask have an entry called name (bare, checked). */
unsigned
pipc_exists(const struct pipc_dirs *d, const char *name, unsigned mask)
{
	char file[NAME_MAX + 1];
	struct stat st;
	unsigned found = 0;
	int t, dfd;

	for (t = 0; t < PIPC_NTYPES; t++) {
		if (!(mask & PIPC_TYPE_BIT(t)) || pipc_file_name(file,
		    sizeof(file), (enum pipc_type)t, name) == -1 ||
		    (dfd = pipc_dir_open(d, (enum pipc_type)t)) == -1)
			continue;
		if (fstatat(dfd, file, &st, AT_SYMLINK_NOFOLLOW) == 0)
			found |= PIPC_TYPE_BIT(t);
		close(dfd);
	}
	return found;
}

/*
 * Remove file from dfd if it is still the regular file expect describes:
 * never a link (unlinkat does not follow one, and the name holds no '/'),
 * never a directory, never something swapped in since it was listed
 * (ESTALE). Returns -1 with errno.
 */
int
pipc_remove(int dfd, const char *file, const struct stat *expect)
{
	struct stat st;

	if (fstatat(dfd, file, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	if (!S_ISREG(st.st_mode) || st.st_dev != expect->st_dev ||
	    st.st_ino != expect->st_ino) {
		errno = ESTALE;
		return -1;
	}
	return unlinkat(dfd, file, 0);
}

/* Where the objects live: /dev/shm and /dev/mqueue unless told otherwise. */
#include <errno.h>
#include <stdlib.h>
#include <sys/vfs.h>

#include "internal.h"

#define MQUEUE_MAGIC	0x19800202

void
pipc_dirs_default(struct pipc_dirs *d)
{
	const char *s;

	d->shm = (s = getenv("PIPC_SHM_DIR")) != NULL && *s != '\0' ?
	    s : "/dev/shm";
	d->mq = (s = getenv("PIPC_MQUEUE_DIR")) != NULL && *s != '\0' ?
	    s : "/dev/mqueue";
}

/* The directory objects of kind t live in. */
const char *
pipc_dir_of(const struct pipc_dirs *d, enum pipc_type t)
{
	return *(const char *const *)(const void *)((const char *)d +
	    pipc_kind(t)->dir);
}

/* 1: an mqueue mount; 0: absent or another filesystem; -1: errno says. */
int
pipc_is_mqueue_dir(const char *path)
{
	struct statfs sf;

	if (statfs(path, &sf) == -1)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	return sf.f_type == MQUEUE_MAGIC;
}

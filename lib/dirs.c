/* Where the objects live: /dev/shm and /dev/mqueue unless told otherwise. */
#include <stdlib.h>
#include <sys/vfs.h>

#include "pipc.h"

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

const char *
pipc_dir_of(const struct pipc_dirs *d, enum pipc_type t)
{
	return t == PIPC_MQ ? d->mq : d->shm;
}

int
pipc_is_mqueue_dir(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == MQUEUE_MAGIC;
}

/* One pass over each IPC directory: what is there and what it holds. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipc.h"

/* Names live in chunks that never move, so obj.name stays valid. */
struct pipc_chunk {
	struct pipc_chunk *next;
	size_t		 used, size;
	char		 data[];
};

static char *
keep_name(struct pipc_list *l, const char *s, size_t n)
{
	struct pipc_chunk *c = l->names;
	size_t size;

	if (c == NULL || c->size - c->used < n + 1) {
		size = n + 1 > 65536 ? n + 1 : 65536;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->next = l->names;
		c->used = 0;
		c->size = size;
		l->names = c;
	}
	memcpy(c->data + c->used, s, n + 1);
	c->used += n + 1;
	return c->data + c->used - n - 1;
}

static struct pipc_obj *
add(struct pipc_list *l, enum pipc_type t, const char *file,
    const struct stat *st)
{
	struct pipc_obj *o, *v;
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 256;
		if ((v = reallocarray(l->v, cap, sizeof(*v))) == NULL)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	o = &l->v[l->n];
	memset(o, 0, sizeof(*o));
	if ((o->file = keep_name(l, file, strlen(file))) == NULL)
		return NULL;
	l->n++;
	o->type = t;
	o->name = t == PIPC_SEM ? o->file + 4 : o->file;
	o->st = *st;
	o->foreign = !S_ISREG(st->st_mode);
	return o;
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

/* "QSIZE:0 NOTIFY:0 SIGNO:0 NOTIFY_PID:0", as the mqueue file reads. */
int
pipc_mq_parse(const char *s, long *qsize, pid_t *notify_pid)
{
	const char *p;
	char *end;
	long v;
	int found = 0;

	if ((p = strstr(s, "QSIZE:")) != NULL) {
		errno = 0;
		v = strtol(p + 6, &end, 10);
		if (end != p + 6 && errno == 0 && v >= 0) {
			*qsize = v;
			found |= 1;
		}
	}
	if ((p = strstr(s, "NOTIFY_PID:")) != NULL) {
		errno = 0;
		v = strtol(p + 11, &end, 10);
		if (end != p + 11 && errno == 0 && v >= 0 && v <= INT32_MAX) {
			*notify_pid = (pid_t)v;
			found |= 2;
		}
	}
	return found == 3 ? 0 : -1;
}

/* Open a regular file without following a link or blocking on a fifo. */
static int
open_regular(int dfd, const struct pipc_obj *o)
{
	struct stat st;
	int fd;

	fd = openat(dfd, o->file,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	/* It may have been swapped for something else since the fstatat. */
	if (fstat(fd, &st) == -1 || st.st_ino != o->st.st_ino ||
	    st.st_dev != o->st.st_dev || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
read_sem(int dfd, struct pipc_obj *o)
{
	int fd;

	o->temp = pipc_sem_tempname(o->name);
	if (o->foreign || o->st.st_size != PIPC_SEM_SIZE)
		return;
	if ((fd = open_regular(dfd, o)) == -1)
		return;
	if (pipc_sem_read(fd, &o->value, &o->waiters) == 0)
		o->facts = 1;
	/* Only a held lock has an owner worth a look (lock.c, owner.c). */
	if (o->facts && o->value == 0 && pipc_owner_get(fd, &o->lock) == 1) {
		o->lockrec = 1;
		pipc_owner_check(&o->lock);
	}
	close(fd);
}

static void
read_mq(int dfd, struct pipc_obj *o)
{
	struct mq_attr a;
	char buf[256];
	ssize_t n;
	int fd;

	if (o->foreign || (fd = open_regular(dfd, o)) == -1)
		return;
	if ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		if (pipc_mq_parse(buf, &o->qsize, &o->notify_pid) == 0) {
			o->facts = 1;
			/* The file's own size is always 80: the bytes queued
			 * are the size that means something. */
			o->st.st_size = o->qsize;
		}
	}
	/* The fd of a plain open() serves mq_getattr as well as mq_open's. */
	if (mq_getattr(fd, &a) == 0) {
		o->msgs = a.mq_curmsgs;
		o->maxmsg = a.mq_maxmsg;
		o->msgsize = a.mq_msgsize;
		o->attrs = 1;
	}
	close(fd);
}

static int
scan_dir(struct pipc_list *l, const char *path, unsigned types, int mq)
{
	struct pipc_obj *o;
	struct dirent *de;
	struct stat st;
	enum pipc_type t;
	char origin[NAME_MAX + 1];
	DIR *d;
	int dfd;

	if ((dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (d = fdopendir(dfd)) == NULL) {
		if (l->scan_errno == 0) {
			l->scan_errno = errno;
			l->scan_path = path;
		}
		if (dfd != -1)
			close(dfd);
		return -1;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		if (mq)
			t = PIPC_MQ;
		else if (strncmp(de->d_name, "sem.", 4) == 0 &&
		    de->d_name[4] != '\0')
			t = PIPC_SEM;
		else
			t = PIPC_SHM;
		if (!(types & PIPC_TYPE_BIT(t)))
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
			if (errno == ENOENT)	/* removed since readdir */
				continue;
			break;
		}
		if ((o = add(l, t, de->d_name, &st)) == NULL)
			break;
		if (t == PIPC_SEM)
			read_sem(dfd, o);
		else if (t == PIPC_MQ)
			read_mq(dfd, o);
		/* An interrupted gc's quarantine, and the name it had. */
		if (pipc_gc_quarantined(path, o, origin) == 1) {
			o->quarantine = 1;
			if (origin[0] != '\0' && (o->origin = keep_name(l, origin,
			    strlen(origin))) == NULL)
				break;
		}
	}
	if (errno != 0 && l->scan_errno == 0) {
		l->scan_errno = errno;
		l->scan_path = path;
	}
	closedir(d);
	return l->scan_errno ? -1 : 0;
}

/*
 * Fill l with the objects of the kinds in typemask. Returns -1 with errno
 * when a directory could not be read; what was read is kept.
 */
int
pipc_scan(struct pipc_list *l, const struct pipc_dirs *d, unsigned typemask)
{
	int rv = 0;

	memset(l, 0, sizeof(*l));
	if (typemask & (PIPC_TYPE_BIT(PIPC_SHM) | PIPC_TYPE_BIT(PIPC_SEM)) &&
	    scan_dir(l, d->shm, typemask, 0) == -1)
		rv = -1;
	if (typemask & PIPC_TYPE_BIT(PIPC_MQ)) {
		if (pipc_is_mqueue_dir(d->mq) == 0)
			l->mq_missing = 1;
		else if (scan_dir(l, d->mq, typemask, 1) == -1)
			rv = -1;
	}
	errno = l->scan_errno;
	return rv;
}

static int
cmp_obj(const void *a, const void *b)
{
	const struct pipc_obj *x = a, *y = b;

	if (x->type != y->type)
		return (int)x->type - (int)y->type;
	return strcmp(x->name, y->name);
}

void
pipc_list_sort(struct pipc_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_obj);
}

void
pipc_list_free(struct pipc_list *l)
{
	struct pipc_chunk *c, *next;

	for (c = l->names; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(l->v);
	free(l->procs);
	free(l->holdv);
	memset(l, 0, sizeof(*l));
}

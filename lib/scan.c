/* One pass over each IPC directory: what is there and what it holds. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"

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

/* A new object of l: its name kept, the rest zero. */
struct pipc_obj *
pipc_list_add(struct pipc_list *l, enum pipc_type t, const char *file,
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
	o->name = o->file + strlen(pipc_kind(t)->prefix);
	o->st = *st;
	o->foreign = !S_ISREG(st->st_mode);
	return o;
}

#define OPEN_FLAGS (O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

/* What stat_entry opens besides: nothing, every regular file, or only a
 * regular file of the caller's (to ask the kernel about it). */
enum want { WANT_STAT, WANT_FD, WANT_OWN };

/*
 * Stat a directory entry. A regular file that will be read anyway (WANT_FD)
 * is opened first and stat'ed through its fd, one system call fewer per
 * object: the open cannot follow a link (O_NOFOLLOW) or block on a fifo or
 * on another's lease (O_NONBLOCK), and only root can put a device node in
 * a regular file's place. *fdp is then an fd of that very regular file, or
 * -1; *leased says an open failed because another process holds a lease
 * on the file, and so holds it open.
 */
static int
stat_entry(int dfd, const struct dirent *de, enum want want, uid_t euid,
    struct stat *st, int *fdp, int *leased)
{
	struct stat fst;
	int fd;

	*fdp = -1;
	*leased = 0;
	if (want == WANT_FD && de->d_type == DT_REG) {
		if ((fd = openat(dfd, de->d_name, OPEN_FLAGS)) != -1) {
			if (fstat(fd, st) == 0 && S_ISREG(st->st_mode)) {
				*fdp = fd;
				return 0;
			}
			close(fd);
		} else if (errno == ENOENT)
			return -1;
		else
			*leased = errno == EWOULDBLOCK;
	}
	if (fstatat(dfd, de->d_name, st, AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	if (want == WANT_STAT || !S_ISREG(st->st_mode) ||
	    (want == WANT_FD && de->d_type == DT_REG) ||
	    (want == WANT_OWN && st->st_uid != euid))
		return 0;
	/* Stat'ed first, so check the open found the same file. */
	if ((fd = openat(dfd, de->d_name, OPEN_FLAGS)) != -1) {
		if (fstat(fd, &fst) == 0 && S_ISREG(fst.st_mode) &&
		    fst.st_ino == st->st_ino && fst.st_dev == st->st_dev)
			*fdp = fd;
		else
			close(fd);
	} else
		*leased = errno == EWOULDBLOCK;
	return 0;
}

/*
 * Ask the kernel about the file open on fd (-1: none, leased: its open met
 * another's lease) if it is the caller's, or the caller is root. A lease
 * granted is let go by the close that follows the reading of the file,
 * microseconds later: one system call fewer per object.
 */
static enum pipc_held
probe(int fd, int leased, const struct pipc_obj *o, uid_t euid)
{
	if (leased)
		return PIPC_HELD_YES;
	if (fd == -1 || (o->st.st_uid != euid && euid != 0))
		return PIPC_HELD_UNKNOWN;
	if (pipc_lease_take(fd) == 0)
		return PIPC_HELD_NO;
	return errno == EAGAIN ? PIPC_HELD_YES : PIPC_HELD_UNKNOWN;
}

/* Read the directory at path, the one of the kinds whose dir is dir. */
static int
scan_dir(struct pipc_list *l, const char *path, size_t dir, unsigned types,
    uint32_t where)
{
	struct pipc_listdir *ld;
	const struct pipc_kind *k;
	struct pipc_obj *o;
	struct dirent *de;
	struct stat st;
	enum want want;
	char origin[NAME_MAX + 1];
	DIR *d;
	int dfd, e, fd, leased, t, held = types & PIPC_SCAN_HELD;
	uid_t euid = geteuid();

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
	/* Where its deleted objects will be: on its device. */
	if ((types & PIPC_SCAN_DELETED) && fstat(dfd, &st) == 0 &&
	    (ld = reallocarray(l->stores, l->nstores + 1, sizeof(*ld))) !=
	    NULL) {
		l->stores = ld;
		ld[l->nstores].dev = st.st_dev;
		ld[l->nstores].dir = dir;
		ld[l->nstores++].where = where;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		if ((t = pipc_kind_claim(dir, de->d_name)) == -1 ||
		    !(types & PIPC_TYPE_BIT(t)))
			continue;
		k = pipc_kind((enum pipc_type)t);
		/* A kind with facts is read; the others opened only to ask
		 * (and a kind that peeks looks at what was opened so). */
		want = k->read != NULL && !(k->flags & PIPC_KIND_PEEK) ?
		    WANT_FD : !held ? WANT_STAT :
		    euid == 0 ? WANT_FD : WANT_OWN;
		if (stat_entry(dfd, de, want, euid, &st, &fd, &leased) == -1) {
			if (errno == ENOENT)	/* removed since readdir */
				continue;
			break;
		}
		if ((o = pipc_list_add(l, (enum pipc_type)t, de->d_name, &st)) ==
		    NULL) {
			if (fd != -1)
				close(fd);
			break;
		}
		o->where = where;
		if (held)
			o->kernel = probe(fd, leased, o, euid);
		if (k->read != NULL)
			k->read(fd, o);
		if (fd != -1)
			close(fd);
		/* An interrupted gc's quarantine, and the name it had. */
		if (pipc_gc_quarantined(path, o, origin) == 1) {
			o->quarantine = 1;
			if (origin[0] != '\0' && (o->origin = keep_name(l, origin,
			    strlen(origin))) == NULL)
				break;
		}
	}
	e = errno;
	if (e != 0 && l->scan_errno == 0) {
		l->scan_errno = e;
		l->scan_path = path;
	}
	closedir(d);
	return e != 0 ? -1 : 0;
}

/*
 * Fill l with the objects of the kinds in typemask, each directory read
 * once for all the kinds that live there. Returns -1 with errno when a
 * directory could not be read; what was read is kept.
 */
int
pipc_scan(struct pipc_list *l, const struct pipc_dirs *d, unsigned typemask)
{
	memset(l, 0, sizeof(*l));
	return pipc_scan_add(l, d, typemask, 0);
}

int
pipc_scan_add(struct pipc_list *l, const struct pipc_dirs *d,
    unsigned typemask, uint32_t where)
{
	const struct pipc_kind *k;
	const char *path;
	unsigned here;
	int t, rv = 0;

	if (typemask & PIPC_SCAN_DELETED)
		l->deleted_types |= typemask & PIPC_ALL_TYPES;
	if (typemask & PIPC_SCAN_NSPID)
		l->nspid = 1;
	for (t = 0; t < PIPC_NTYPES; t++) {
		k = pipc_kind((enum pipc_type)t);
		here = pipc_kinds_at(k->dir);
		/* Read with the first kind there, if any kind there is asked. */
		if (ffs((int)here) - 1 != t || !(typemask & here))
			continue;
		path = pipc_dir_of(d, (enum pipc_type)t);
		if (k->dir_ok != NULL && k->dir_ok(path) == 0)
			l->mq_missing = 1;
		else if (scan_dir(l, path, k->dir, typemask, where) == -1)
			rv = -1;
	}
	errno = l->scan_errno;
	return rv;
}

static int
cmp_index(const void *a, const void *b, void *arg)
{
	const struct pipc_obj *v = arg;
	const struct pipc_obj *x = &v[*(const uint32_t *)a];
	const struct pipc_obj *y = &v[*(const uint32_t *)b];

	if (x->where != y->where)
		return x->where < y->where ? -1 : 1;
	if (x->type != y->type)
		return (int)x->type - (int)y->type;
	return strcmp(x->name, y->name);
}

/*
 * By place (pipc_scan_add's where), kind, then name. The objects are large: sort their indices, then move
 * each object once, following the permutation's cycles, so no second copy
 * of the list is ever made (qsort would make one).
 */
void
pipc_list_sort(struct pipc_list *l)
{
	struct pipc_obj tmp;
	uint32_t *ix;
	size_t i, j, k;

	if (l->n < 2 || (ix = reallocarray(NULL, l->n, sizeof(*ix))) == NULL)
		return;
	for (i = 0; i < l->n; i++)
		ix[i] = (uint32_t)i;
	qsort_r(ix, l->n, sizeof(*ix), cmp_index, l->v);
	for (i = 0; i < l->n; i++) {
		if (ix[i] == i)
			continue;
		tmp = l->v[i];
		for (j = i; (k = ix[j]) != i; j = k) {
			l->v[j] = l->v[k];
			ix[j] = (uint32_t)j;
		}
		l->v[j] = tmp;
		ix[j] = (uint32_t)j;
	}
	free(ix);
}

void
pipc_list_free(struct pipc_list *l)
{
	struct pipc_chunk *c, *next;
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].lock);
		free(l->v[i].contents);
	}
	for (c = l->names; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(l->v);
	free(l->procs);
	free(l->holdv);
	free(l->stores);
	memset(l, 0, sizeof(*l));
}

/*
 * Who holds what: one pass over /proc/PID/maps and /proc/PID/fd, matched to
 * the objects by (st_dev, st_ino), never by path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

#define NDEVS	8

struct index {
	uint32_t	*slot;		/* object index + 1; 0 is empty */
	size_t		 mask;
	dev_t		 devs[NDEVS];	/* the devices objects live on */
	size_t		 ndevs;		/* NDEVS + 1: too many to filter by */
	const struct pipc_list *l;
};

struct pair {
	uint32_t	 obj, proc;
};

struct scan {
	struct index	 ix;
	struct pair	*pairs;
	size_t		 npairs, cap;
	char		*buf;
	size_t		 bufsize;
};

static size_t
hash(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ull ^ (uint64_t)dev;

	return (size_t)(h ^ h >> 29);
}

static int
index_build(struct index *ix, const struct pipc_list *l)
{
	size_t i, j, size = 16;

	while (size < l->n * 2)
		size *= 2;
	if ((ix->slot = calloc(size, sizeof(*ix->slot))) == NULL)
		return -1;
	ix->mask = size - 1;
	ix->l = l;
	for (i = 0; i < l->n; i++) {
		if (l->v[i].foreign)
			continue;
		for (j = 0; j < ix->ndevs && j < NDEVS; j++)
			if (ix->devs[j] == l->v[i].st.st_dev)
				break;
		if (j == ix->ndevs && j <= NDEVS) {
			if (j < NDEVS)
				ix->devs[j] = l->v[i].st.st_dev;
			ix->ndevs++;
		}
		j = hash(l->v[i].st.st_dev, l->v[i].st.st_ino) & ix->mask;
		while (ix->slot[j] != 0)
			j = (j + 1) & ix->mask;
		ix->slot[j] = (uint32_t)i + 1;
	}
	return 0;
}

static int
pair_add(struct scan *s, long obj, uint32_t proc)
{
	struct pair *p;
	size_t cap;

	if (s->npairs == s->cap) {
		cap = s->cap ? s->cap * 2 : 64;
		if ((p = reallocarray(s->pairs, cap, sizeof(*p))) == NULL)
			return -1;
		s->pairs = p;
		s->cap = cap;
	}
	s->pairs[s->npairs].obj = (uint32_t)obj;
	s->pairs[s->npairs++].proc = proc;
	return 0;
}

/*
 * Every object whose file is (dev, ino) holds a pair with proc: several
 * names may be links to one inode, and a holder of one holds them all.
 */
static int
index_pairs(struct scan *s, dev_t dev, ino_t ino, uint32_t proc)
{
	const struct index *ix = &s->ix;
	const struct pipc_obj *o;
	size_t i, j;

	/* A quick no for the many files on other devices. */
	for (i = 0; i < ix->ndevs && i < NDEVS; i++)
		if (ix->devs[i] == dev)
			break;
	if ((i == ix->ndevs && i <= NDEVS) || ino == 0)
		return 0;
	for (j = hash(dev, ino) & ix->mask; ix->slot[j] != 0;
	    j = (j + 1) & ix->mask) {
		o = &ix->l->v[ix->slot[j] - 1];
		if (o->st.st_ino == ino && o->st.st_dev == dev &&
		    pair_add(s, (long)ix->slot[j] - 1, proc) == -1)
			return -1;
	}
	return 0;
}

static uint64_t
hex(const char **pp, const char *end)
{
	const char *p = *pp;
	uint64_t v = 0;
	int d;

	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else
			break;
		v = v << 4 | (uint64_t)d;
	}
	*pp = p;
	return v;
}

/*
 * Parse one line of /proc/PID/maps, "ADDR PERMS OFFSET MAJ:MIN INODE PATH",
 * from p up to end. Returns where the next line starts, or NULL when the
 * line is not of that form.
 */
const char *
pipc_maps_line(const char *p, const char *end, dev_t *dev, ino_t *ino)
{
	unsigned long long major, minor, inode = 0;
	const char *nl;
	int field;

	if ((nl = memchr(p, '\n', end - p)) == NULL)
		nl = end;
	for (field = 0; field < 3; field++) {
		while (p < nl && *p != ' ')
			p++;
		while (p < nl && *p == ' ')
			p++;
	}
	major = hex(&p, nl);
	if (p >= nl || *p++ != ':')
		return NULL;
	minor = hex(&p, nl);
	if (p >= nl || *p++ != ' ' || p >= nl || *p < '0' || *p > '9')
		return NULL;
	for (; p < nl && *p >= '0' && *p <= '9'; p++) {
		if (inode > (~0ull - 9) / 10)
			return NULL;
		inode = inode * 10 + (unsigned)(*p - '0');
	}
	if (major > 0xfffff || minor > 0xfffff)
		return NULL;
	*dev = makedev(major, minor);
	*ino = (ino_t)inode;
	return nl < end ? nl + 1 : end;
}

/* Read a whole /proc file; -1 with errno when it cannot be read. */
static ssize_t
slurp(struct scan *s, int dfd, const char *path)
{
	size_t len = 0;
	ssize_t n;
	char *b;
	int fd;

	if ((fd = openat(dfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	for (;;) {
		if (s->bufsize - len < 4096) {
			if ((b = realloc(s->buf, s->bufsize * 2)) == NULL) {
				close(fd);
				return -1;
			}
			s->buf = b;
			s->bufsize *= 2;
		}
		if ((n = read(fd, s->buf + len, s->bufsize - len)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	return n == -1 ? -1 : (ssize_t)len;
}

/*
 * Every object a task ("PID" or "PID/task/TID") maps or holds open becomes
 * a pair. Its open files are read before its maps: a process that opens an
 * object, maps it and closes it is then seen at least once, whenever it
 * does so. Returns 0, 1 when part of it could not be read (its pairs still
 * count), or -1 with errno when it is gone or memory ran out; *nomap says
 * it has no memory map.
 */
static int
scan_task(struct scan *s, int procfd, const char *pid, uint32_t proc,
    int *nomap)
{
	const char *p, *end, *next;
	struct dirent *de;
	struct statx stx;
	char path[2 * NAME_MAX + 16];
	int fd, unseen = 0;
	ssize_t n;
	dev_t dev;
	ino_t ino;
	DIR *d;

	*nomap = 0;
	snprintf(path, sizeof(path), "%s/fd", pid);
	if ((fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		if (errno == ENOENT || errno == ESRCH || errno == ENOMEM)
			return -1;
		unseen = 1;	/* EACCES, or anything else: not seen */
	} else {
		while ((errno = 0, de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			/* Cached attributes: a hung NFS or FUSE file cannot
			 * stall us. */
			if (statx(fd, de->d_name, AT_STATX_DONT_SYNC, STATX_INO,
			    &stx) == -1) {
				/* Closed since readdir, or not seen. */
				unseen |= errno != ENOENT;
				continue;
			}
			dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
			if (index_pairs(s, dev, stx.stx_ino, proc) == -1) {
				closedir(d);
				return -1;
			}
		}
		unseen |= errno != 0;
		closedir(d);
	}

	snprintf(path, sizeof(path), "%s/maps", pid);
	if ((n = slurp(s, procfd, path)) == -1)
		return errno == ENOENT || errno == ESRCH || errno == ENOMEM ?
		    -1 : 1;
	if (n == 0) {
		*nomap = 1;
		return unseen;
	}
	for (p = s->buf, end = s->buf + n; p < end; p = next) {
		/* A line of another form is passed over, not the rest. */
		if ((next = pipc_maps_line(p, end, &dev, &ino)) == NULL) {
			if ((next = memchr(p, '\n', (size_t)(end - p))) == NULL)
				break;
			next++;
		} else if (index_pairs(s, dev, ino, proc) == -1)
			return -1;
	}
	return unseen;
}

/*
 * A process is scanned through its main thread. One with no memory map is
 * a kernel thread, a zombie, or a process whose main thread has exited
 * while others run on: those still map and hold files, seen only under
 * /proc/PID/task/TID/. Returns as scan_task.
 */
static int
scan_pid(struct scan *s, int procfd, const char *pid, uint32_t proc)
{
	struct dirent *de;
	char path[2 * NAME_MAX + 16];
	int fd, nomap, rv, r;
	DIR *d;

	if ((rv = scan_task(s, procfd, pid, proc, &nomap)) == -1 || !nomap)
		return rv;
	snprintf(path, sizeof(path), "%s/task", pid);
	if ((fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return errno == ENOENT || errno == ESRCH || errno == ENOMEM ?
		    -1 : 1;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    strcmp(de->d_name, pid) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/task/%s", pid, de->d_name);
		if ((r = scan_task(s, procfd, path, proc, &nomap)) == -1) {
			if (errno == ENOMEM)
				break;
			continue;	/* that thread has exited */
		}
		rv |= r;
	}
	if (errno != 0)
		rv = errno == ENOMEM ? -1 : 1;
	closedir(d);
	return rv;
}

static void
read_comm(int procfd, struct pipc_proc *pr)
{
	char path[32];

	snprintf(path, sizeof(path), "%d/comm", (int)pr->pid);
	if (pipc_read_text(procfd, path, pr->comm, sizeof(pr->comm)) == -1)
		pr->comm[0] = '\0';
	pr->comm[strcspn(pr->comm, "\n")] = '\0';
}

/* Turn the pairs into each object's list of distinct holders. */
static int
attach(struct pipc_list *l, struct scan *s)
{
	uint32_t *start, *fill;
	size_t i, o;

	if ((start = calloc(l->n + 1, sizeof(*start))) == NULL)
		return -1;
	if ((l->holdv = reallocarray(NULL, s->npairs + 1, sizeof(*l->holdv))) ==
	    NULL) {
		free(start);
		return -1;
	}
	for (i = 0; i < s->npairs; i++)
		start[s->pairs[i].obj + 1]++;
	for (o = 0; o < l->n; o++)
		start[o + 1] += start[o];
	fill = start;
	for (i = 0; i < s->npairs; i++)
		l->holdv[fill[s->pairs[i].obj]++] = s->pairs[i].proc;
	/* fill[o] is now the end of o's run, which is the start of o + 1's. */
	for (o = l->n; o > 0; o--)
		fill[o] = fill[o - 1];
	fill[0] = 0;
	for (o = 0; o < l->n; o++) {
		l->v[o].hold = l->holdv + start[o];
		l->v[o].nhold = 0;
		/* Pairs came pid by pid, so repeats of a holder are adjacent. */
		for (i = start[o]; i < start[o + 1]; i++)
			if (l->v[o].nhold == 0 ||
			    l->v[o].hold[l->v[o].nhold - 1] != l->holdv[i])
				l->v[o].hold[l->v[o].nhold++] = l->holdv[i];
	}
	free(start);
	return 0;
}

static int
hidepid(void)
{
	/* With hidepid, processes we may not see are absent, not unreadable. */
	char buf[8192], *p;

	if (geteuid() == 0 || pipc_read_text(AT_FDCWD, "/proc/self/mountinfo",
	    buf, sizeof(buf)) == -1)
		return 0;
	for (p = buf; (p = strstr(p, " /proc ")) != NULL; p++) {
		char *nl = strchr(p, '\n');
		char *h = strstr(p, "hidepid=");

		if (h != NULL && (nl == NULL || h < nl) && h[8] != '0' &&
		    strncmp(h + 8, "off", 3) != 0)
			return 1;
	}
	return 0;
}

/*
 * Find the holders of every object in l. A process whose entries cannot be
 * read sets l->incomplete; a process that exits meanwhile is no holder.
 */
int
pipc_holders(struct pipc_list *l)
{
	struct scan s;
	struct pipc_proc *pr;
	struct dirent *de;
	size_t before;
	pid_t self = getpid();
	char *end;
	long pid;
	int procfd, rv = -1;
	DIR *d;

	memset(&s, 0, sizeof(s));
	l->incomplete = hidepid();
	if (index_build(&s.ix, l) == -1)
		return -1;
	if ((s.buf = malloc(s.bufsize = 65536)) == NULL)
		goto out;
	if ((procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto out;
	if ((d = fdopendir(procfd)) == NULL) {
		close(procfd);
		goto out;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid == self)
			continue;
		before = s.npairs;
		if ((rv = scan_pid(&s, procfd, de->d_name,
		    (uint32_t)l->nprocs)) == -1) {
			if (errno == ENOMEM)
				break;
			s.npairs = before;	/* ESRCH, ENOENT: it is gone */
			continue;
		}
		if (rv == 1) {
			l->incomplete = 1;
			if (l->nunread++ == 0)
				l->unread_pid = (pid_t)pid;
		}
		if (s.npairs == before)
			continue;
		pr = reallocarray(l->procs, l->nprocs + 1, sizeof(*pr));
		if (pr == NULL)
			break;
		l->procs = pr;
		pr[l->nprocs].pid = (pid_t)pid;
		read_comm(procfd, &pr[l->nprocs]);
		l->nprocs++;
	}
	/* A /proc that cannot be read to its end is no answer. */
	rv = de == NULL && errno == 0 ? attach(l, &s) : -1;
	closedir(d);
out:
	free(s.ix.slot);
	free(s.pairs);
	free(s.buf);
	return rv;
}

/*
 * The one verdict on every object, from what the kernel said (a lease,
 * PIPC_SCAN_HELD), what /proc showed (pipc_holders) and a lock's owner
 * record. Anyone /proc shows holds it; else the kernel's yes or no wins,
 * whatever processes could not be read; else a /proc pass that read every
 * process says no; else nobody can say. A semaphore at 0 that nobody
 * holds is a lock: held while its recorded owner lives, stale once it is
 * dead (or none is recorded). What is true of one kind only, as stale and
 * corrupt, its row's state hook says.
 */
void
pipc_classify(struct pipc_list *l)
{
	enum pipc_state (*state)(const struct pipc_obj *, enum pipc_state);
	struct pipc_obj *o;
	size_t i;

	for (i = 0; i < l->n; i++) {
		o = &l->v[i];
		o->by = 0;
		if (o->foreign)
			o->held = PIPC_HELD_NO;		/* no object */
		else if (o->nhold > 0) {
			o->held = PIPC_HELD_YES;
			o->by = PIPC_BY_PROC;
		} else if (o->kernel != PIPC_HELD_UNKNOWN) {
			o->held = o->kernel;
			o->by = PIPC_BY_KERNEL |
			    (o->kernel == PIPC_HELD_NO && !l->incomplete ?
			    PIPC_BY_PROC : 0);
		} else if (!l->incomplete) {
			o->held = PIPC_HELD_NO;
			o->by = PIPC_BY_PROC;
		} else
			o->held = PIPC_HELD_UNKNOWN;
		/* A lock whose owner lives, though nothing holds it open. */
		if (o->held != PIPC_HELD_YES && o->lock != NULL &&
		    o->lock->alive != PIPC_OWNER_DEAD) {
			o->held = o->lock->alive == PIPC_OWNER_ALIVE ?
			    PIPC_HELD_YES : PIPC_HELD_UNKNOWN;
			o->by = o->held == PIPC_HELD_YES ? PIPC_BY_PROC : 0;
		}
		if (o->foreign) {
			o->state = PIPC_FOREIGN;
			continue;
		}
		o->state = o->held == PIPC_HELD_YES ? PIPC_IN_USE :
		    o->held == PIPC_HELD_UNKNOWN ? PIPC_UNKNOWN : PIPC_ORPHAN;
		if ((state = pipc_kind(o->type)->state) != NULL)
			o->state = state(o, o->state);
	}
}

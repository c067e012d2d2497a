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

/* An object whose name was removed, seen held: one per inode. */
struct gone {
	enum pipc_type	 type;
	struct stat	 st;
	int		 exact;		/* st is its file's: else only st_dev,
					 * st_ino and the longest mapping */
	uint32_t	 where;		/* its directory's, as pipc_scan_add's */
	char		 file[NAME_MAX + 1];
};

struct scan {
	struct index	 ix;
	struct pair	*pairs;
	size_t		 npairs, cap;
	struct gone	*gone;		/* pairs' obj past the list's: these */
	size_t		 ngone, gonecap;
	char		*buf;
	size_t		 bufsize;
};

static size_t
hash(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ull ^ (uint64_t)dev;

	return (size_t)(h ^ h >> 29);
}

static void
dev_add(struct index *ix, dev_t dev)
{
	size_t j;

	for (j = 0; j < ix->ndevs && j < NDEVS; j++)
		if (ix->devs[j] == dev)
			return;
	if (j == ix->ndevs && j <= NDEVS) {
		if (j < NDEVS)
			ix->devs[j] = dev;
		ix->ndevs++;
	}
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
	for (i = 0; i < l->nstores; i++)
		dev_add(ix, l->stores[i].dev);
	for (i = 0; i < l->n; i++) {
		if (l->v[i].foreign)
			continue;
		dev_add(ix, l->v[i].st.st_dev);
		j = hash(l->v[i].st.st_dev, l->v[i].st.st_ino) & ix->mask;
		while (ix->slot[j] != 0)
			j = (j + 1) & ix->mask;
		ix->slot[j] = (uint32_t)i + 1;
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
 * Returns how many did (0 for a file on no device of interest), or -1.
 */
static int
index_pairs(struct scan *s, dev_t dev, ino_t ino, uint32_t proc)
{
	const struct index *ix = &s->ix;
	const struct pipc_obj *o;
	size_t i, j;
	int n = 0;

	/* A quick no for the many files on other devices. */
	for (i = 0; i < ix->ndevs && i < NDEVS; i++)
		if (ix->devs[i] == dev)
			break;
	if ((i == ix->ndevs && i <= NDEVS) || ino == 0)
		return 0;
	for (j = hash(dev, ino) & ix->mask; ix->slot[j] != 0;
	    j = (j + 1) & ix->mask) {
		o = &ix->l->v[ix->slot[j] - 1];
		if (o->st.st_ino == ino && o->st.st_dev == dev) {
			if (pair_add(s, (long)ix->slot[j] - 1, proc) == -1)
				return -1;
			n++;
		}
	}
	return n;
}

/*
 * A file (dev, ino) that no listed name leads to, at path as /proc shows
 * it: an object whose name was removed if it is on a directory's device
 * and /proc says "(deleted)". st is its file's stat, or NULL when only a
 * mapping of length maplen was seen. A pair with proc for it, one object
 * per inode; 0, or -1 when memory ran out.
 */
static const char mark[] = " (deleted)";

/* The store (index into l->stores) on device dev, or -1. */
static int
store_of(const struct pipc_list *l, dev_t dev)
{
	size_t i;

	for (i = 0; i < l->nstores; i++)
		if (l->stores[i].dev == dev)
			return (int)i;
	return -1;
}

static int
marked(const char *path, size_t len)
{
	return len >= sizeof(mark) && memcmp(path + len - (sizeof(mark) - 1),
	    mark, sizeof(mark) - 1) == 0;
}

static int
gone_pair(struct scan *s, dev_t dev, ino_t ino, const char *path, size_t len,
    const struct stat *st, uint64_t maplen, uint32_t proc)
{
	const struct pipc_list *l = s->ix.l;
	const char *file;
	struct gone *g;
	size_t cap, j;
	int i, t;

	if ((i = store_of(l, dev)) == -1 || ino == 0 || !marked(path, len))
		return 0;
	/* By index: s->gone is NULL until the first one (NULL + 0 is UB). */
	for (j = 0; j < s->ngone; j++)
		if (s->gone[j].st.st_ino == ino && s->gone[j].st.st_dev == dev)
			break;
	g = j < s->ngone ? &s->gone[j] : NULL;
	if (g == NULL) {
		len -= sizeof(mark) - 1;
		for (file = path + len; file > path && file[-1] != '/'; file--)
			continue;
		len -= (size_t)(file - path);
		if (len == 0 || len > NAME_MAX)
			return 0;
		if ((t = pipc_kind_claim(l->stores[i].dir, file)) == -1 ||
		    !(l->deleted_types & PIPC_TYPE_BIT(t)))
			return 0;
		if (s->ngone == s->gonecap) {
			cap = s->gonecap ? s->gonecap * 2 : 8;
			if ((g = reallocarray(s->gone, cap, sizeof(*g))) == NULL)
				return -1;
			s->gone = g;
			s->gonecap = cap;
		}
		g = &s->gone[s->ngone++];
		memset(g, 0, sizeof(*g));
		g->type = (enum pipc_type)t;
		g->where = l->stores[i].where;
		memcpy(g->file, file, len);
		g->st.st_dev = dev;
		g->st.st_ino = ino;
		g->st.st_mode = S_IFREG;
	}
	if (!g->exact && st != NULL && st->st_ino == ino &&
	    st->st_dev == dev) {
		g->st = *st;
		g->exact = 1;
	} else if (!g->exact && (uint64_t)g->st.st_size < maplen)
		g->st.st_size = (off_t)maplen;
	return pair_add(s, (long)(l->n + (size_t)(g - s->gone)), proc);
}

/* The deleted objects found become the list's, before attach. */
static int
gone_add(struct pipc_list *l, const struct scan *s)
{
	struct pipc_obj *o;
	size_t i;

	for (i = 0; i < s->ngone; i++) {
		if ((o = pipc_list_add(l, s->gone[i].type, s->gone[i].file,
		    &s->gone[i].st)) == NULL)
			return -1;
		o->deleted = 1;
		o->sizemapped = !s->gone[i].exact;
		o->where = s->gone[i].where;
	}
	return 0;
}

/* An fd of a task (its fd directory dfd, entry name) not of the list. */
static int
gone_fd(struct scan *s, int dfd, const char *name, dev_t dev, ino_t ino,
    uint32_t proc)
{
	char path[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (store_of(s->ix.l, dev) == -1 ||
	    (n = readlinkat(dfd, name, path, sizeof(path))) <= 0 ||
	    (size_t)n == sizeof(path) || !marked(path, (size_t)n))
		return 0;
	/* The magic link leads to the file, deleted or not. */
	return gone_pair(s, dev, ino, path, (size_t)n,
	    fstatat(dfd, name, &st, 0) == 0 ? &st : NULL, 0, proc);
}

/* A maps line (from p to its newline nl) of the task pid not of the list:
 * the file's stat through map_files where we may, else its length. */
static int
gone_map(struct scan *s, int procfd, const char *pid, const char *p,
    const char *nl, dev_t dev, ino_t ino, uint32_t proc)
{
	char path[2 * NAME_MAX + 64];
	const char *q = p, *name;
	uint64_t start, end;
	struct stat st;
	int f;

	if (store_of(s->ix.l, dev) == -1)
		return 0;
	start = hex(&q, nl);
	if (q >= nl || *q++ != '-')
		return 0;
	end = hex(&q, nl);
	/* The path follows perms, offset, device and inode. */
	for (name = q, f = 0; f < 4; f++) {
		while (name < nl && *name == ' ')
			name++;
		while (name < nl && *name != ' ')
			name++;
	}
	while (name < nl && *name == ' ')
		name++;
	if (!marked(name, (size_t)(nl - name)))
		return 0;
	snprintf(path, sizeof(path), "%s/map_files/%llx-%llx", pid,
	    (unsigned long long)start, (unsigned long long)end);
	return gone_pair(s, dev, ino, name, (size_t)(nl - name),
	    fstatat(procfd, path, &st, 0) == 0 ? &st : NULL,
	    end > start ? end - start : 0, proc);
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
	int fd, r, unseen = 0;
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
			if ((r = index_pairs(s, dev, stx.stx_ino, proc)) == 0 &&
			    s->ix.l->deleted_types)
				r = gone_fd(s, fd, de->d_name, dev,
				    stx.stx_ino, proc);
			if (r == -1) {
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
		} else if ((r = index_pairs(s, dev, ino, proc)) == -1 ||
		    (r == 0 && s->ix.l->deleted_types &&
		    gone_map(s, procfd, pid, p, next > p && next[-1] == '\n' ?
		    next - 1 : next, dev, ino, proc) == -1))
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

int
pipc_proc_hidden(void)
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
	pid_t ns, self = getpid();
	char *end;
	long pid;
	int procfd, rv = -1;
	DIR *d;

	memset(&s, 0, sizeof(s));
	l->incomplete = pipc_proc_hidden();
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
		pr[l->nprocs].nspid = 0;
		if (l->nspid && pipc_nspid((pid_t)pid, &ns) == 0 &&
		    ns != (pid_t)pid)
			pr[l->nprocs].nspid = ns;
		l->nprocs++;
	}
	/* A /proc that cannot be read to its end is no answer. */
	rv = de == NULL && errno == 0 && gone_add(l, &s) == 0 ?
	    attach(l, &s) : -1;
	closedir(d);
out:
	free(s.ix.slot);
	free(s.gone);
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
		if (o->deleted) {
			/* Found through its holders alone. */
			o->held = PIPC_HELD_YES;
			o->by = PIPC_BY_PROC;
			o->state = PIPC_DELETED;
			continue;
		}
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
		/* A mutex inside, taken by a thread that may be dead. */
		if (o->contents != NULL)
			o->state = pipc_contents_state(l, o, o->state);
	}
}

/*
 * What a shared memory object holds, whatever made it: the recognisers
 * (boost.c, and a bare mutex at the start of a segment here), glibc's
 * process-shared pthread_mutex_t read from bytes, whether the thread that
 * holds one lives, and the release of one whose holder is dead.
 *
 * glibc's mutex on x86-64 (struct __pthread_mutex_s): __lock at 0, __count
 * 4, __owner 8, __nusers 12, __kind 16, __spins and __elision 20, 22, the
 * robust list's two pointers 24 and 32. An ordinary mutex's lock word is 0
 * free, 1 taken, 2 taken with waiters, and __owner the taker's thread id;
 * a robust one's lock word is the owner's thread id with FUTEX_WAITERS and
 * FUTEX_OWNER_DIED, which the kernel sets when its owner dies.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

/* __kind's bits that glibc sets: type, robust, PI, PP, pshared, elision. */
#define KIND_BITS	(0x3 | PIPC_PMUTEX_ROBUST | PIPC_PMUTEX_PI | \
	PIPC_PMUTEX_PP | PIPC_PMUTEX_PSHARED | 0x100 | 0x200)
/* A PP mutex keeps its priority ceiling in the lock word's high bits. */
#define PP_CEILING_MASK	0xfff80000u

static uint32_t
u32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
}

/*
 * Decode the PIPC_PMUTEX_SIZE bytes at b, found at off in a file. 0 if
 * they are a process-shared mutex that glibc could have written; -1 if
 * not. The two words are read apart, so a mutex taken or given meanwhile
 * may show taken with no owner yet: tid 0, "not recorded".
 */
int
pipc_pmutex_decode(const unsigned char *b, uint64_t off, struct pipc_pmutex *m)
{
	uint32_t list0 = u32(b + 24) | u32(b + 28);
	uint32_t list1 = u32(b + 32) | u32(b + 36);

	memset(m, 0, sizeof(*m));
	m->off = off;
	m->lock = u32(b);
	m->count = u32(b + 4);
	m->owner = (int32_t)u32(b + 8);
	m->nusers = u32(b + 12);
	m->kind = (int32_t)u32(b + 16);
	m->alive = PIPC_OWNER_UNKNOWN;
	if (!(m->kind & PIPC_PMUTEX_PSHARED) || (m->kind & ~KIND_BITS))
		return -1;
	if (m->kind & (PIPC_PMUTEX_ROBUST | PIPC_PMUTEX_PI)) {
		m->robust = (m->kind & PIPC_PMUTEX_ROBUST) != 0;
		m->tid = (pid_t)(m->lock & PIPC_FUTEX_TID_MASK);
		m->owner_died = (m->lock & PIPC_FUTEX_OWNER_DIED) != 0;
		m->locked = m->tid != 0;
		/* glibc 2.36 gives back a robust mutex its taker did not make
		 * consistent with __owner still PTHREAD_MUTEX_INCONSISTENT
		 * (seen in tests/inspect.bats); its source names the other. */
		m->notrecoverable = m->owner == PIPC_PMUTEX_NOTRECOVERABLE ||
		    (m->owner == PIPC_PMUTEX_INCONSISTENT && !m->locked);
		return 0;
	}
	/* The robust list is never touched but by a robust mutex. */
	if (list0 != 0 || list1 != 0 || m->owner < 0)
		return -1;
	if (m->kind & PIPC_PMUTEX_PP) {
		m->locked = (m->lock & ~PP_CEILING_MASK) != 0;
	} else {
		if (m->lock > 2)
			return -1;
		m->locked = m->lock != 0;
	}
	m->tid = m->locked ? m->owner : 0;
	return 0;
}

/* Any segment may begin with a process-shared mutex of its own. */
static int
mutex_at_start(const unsigned char *b, size_t len, struct pipc_contents *c)
{
	struct pipc_pmutex *m = &c->mutex[0];

	memset(c, 0, sizeof(*c));
	if (len < PIPC_PMUTEX_SIZE || pipc_pmutex_decode(b, 0, m) == -1)
		return 0;
	m->role = "mutex";
	c->nmutex = 1;
	snprintf(c->evidence[c->nevidence++], sizeof(c->evidence[0]),
	    "kind word 0x%x at 16: process-shared, no other bit glibc does not "
	    "set", (unsigned)m->kind);
	if (m->robust)
		snprintf(c->evidence[c->nevidence++], sizeof(c->evidence[0]),
		    "robust: lock word 0x%x at 0 holds the owner's thread id",
		    (unsigned)m->lock);
	else
		snprintf(c->evidence[c->nevidence++], sizeof(c->evidence[0]),
		    "lock word %u at 0 (0, 1 or 2), robust list at 24 empty",
		    (unsigned)m->lock);
	c->what = "pthread_mutex_t";
	c->layout = "glibc, x86-64";
	return 1;
}

/*
 * What the first len bytes of a file of size bytes hold: 1 and c filled
 * when a recogniser's fingerprint holds, 0 and c empty when none does.
 */
int
pipc_contents_recognise(const unsigned char *b, size_t len, uint64_t size,
    struct pipc_contents *c)
{
	if (len > size)
		len = (size_t)size;
	if (pipc_boost_recognise(b, len, size, c))
		return 1;
	if (mutex_at_start(b, len, c))
		return 1;
	memset(c, 0, sizeof(*c));
	return 0;
}

/* The same, from the file open on fd: 1, 0, or -1 with errno. */
int
pipc_contents_read(int fd, uint64_t size, struct pipc_contents *c)
{
	unsigned char b[PIPC_CONTENTS_PEEK];
	size_t want = size < sizeof(b) ? (size_t)size : sizeof(b), len = 0;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	while (len < want && (n = pread(fd, b + len, want - len,
	    (off_t)len)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		len += (size_t)n;
	}
	return pipc_contents_recognise(b, len, size, c);
}

/* How many of its mutexes are taken by a thread whose id is recorded. */
int
pipc_pmutex_stuck(const struct pipc_contents *c)
{
	size_t i;
	int n = 0;

	for (i = 0; i < c->nmutex; i++)
		n += c->mutex[i].locked && c->mutex[i].tid > 0;
	return n;
}

/*
 * The scan's look at a shared memory file it opened: only the first bytes,
 * and only kept when a mutex in them is taken (pipc_contents_state judges).
 */
void
pipc_contents_peek(int fd, struct pipc_obj *o)
{
	struct pipc_contents c;

	if (fd == -1 || o->st.st_size < PIPC_PMUTEX_SIZE)
		return;
	if (pipc_contents_read(fd, (uint64_t)o->st.st_size, &c) != 1 ||
	    pipc_pmutex_stuck(&c) == 0)
		return;
	if ((o->contents = malloc(sizeof(*o->contents))) != NULL)
		*o->contents = c;
}

/*
 * Is thread tid, an id in its own PID namespace, a thread of process pid
 * (an id in ours)? 1 yes, 0 no, -1 its threads could not be read.
 */
static int
thread_of(pid_t pid, pid_t tid)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	pid_t t, ns;
	int rv = 0;

	/* In our namespace, its task directory bears the same id. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)pid, (int)tid);
	if (access(path, F_OK) == 0 && pipc_nspid(tid, &ns) == 0 && ns == tid)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT || errno == ESRCH ? 0 : -1;
	while (rv != 1 && (errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		t = (pid_t)strtol(de->d_name, NULL, 10);
		if (pipc_nspid(t, &ns) == 0) {
			if (ns == tid)
				rv = 1;
		} else if (errno != ENOENT && errno != ESRCH)
			rv = -1;
	}
	closedir(d);
	return rv;
}

/*
 * Does the thread holding m live? Its id is one of the PID namespace of the
 * process that took the lock, and that process, if it lives, still maps the
 * object: so it is looked for among the holders' threads, each by the id
 * its own namespace gives it (NSpid's last). Dead only when every holder
 * was read and none has it; why says why not, where it is unknown.
 */
enum pipc_alive
pipc_pmutex_alive(const struct pipc_list *l, const struct pipc_obj *o,
    struct pipc_pmutex *m, const char **why)
{
	uint32_t i;
	int r, unread = 0;

	*why = NULL;
	m->holder = 0;
	if (!m->locked)
		return m->alive = PIPC_OWNER_UNKNOWN;
	if (m->tid <= 0) {
		*why = "the lock word is set but no owner is recorded";
		return m->alive = PIPC_OWNER_UNKNOWN;
	}
	for (i = 0; i < o->nhold; i++) {
		if ((r = thread_of(l->procs[o->hold[i]].pid, m->tid)) == 1) {
			m->holder = l->procs[o->hold[i]].pid;
			return m->alive = PIPC_OWNER_ALIVE;
		}
		unread |= r == -1;
	}
	if (unread)
		*why = "a holder's threads could not be read";
	else if (l->incomplete)
		*why = "not every process could be read";
	else if (o->kernel == PIPC_HELD_YES && o->nhold == 0)
		*why = "the kernel says a process not seen here holds it";
	else
		return m->alive = PIPC_OWNER_DEAD;
	return m->alive = PIPC_OWNER_UNKNOWN;
}

/* pipc_classify's word on a shared memory object with a mutex taken. */
enum pipc_state
pipc_contents_state(const struct pipc_list *l, struct pipc_obj *o,
    enum pipc_state s)
{
	const char *why;
	size_t i;
	int dead = 0, unknown = 0;

	for (i = 0; i < o->contents->nmutex; i++) {
		if (!o->contents->mutex[i].locked ||
		    o->contents->mutex[i].tid <= 0)
			continue;
		switch (pipc_pmutex_alive(l, o, &o->contents->mutex[i], &why)) {
		case PIPC_OWNER_DEAD: dead = 1; break;
		case PIPC_OWNER_UNKNOWN: unknown = 1; break;
		default: break;
		}
	}
	return dead ? PIPC_STALE_LOCK : unknown ? PIPC_UNKNOWN : s;
}

/*
 * Release the mutex seen (decoded from this file, its owner found dead) in
 * the file open O_RDWR on fd, and wake one of its waiters, as its owner's
 * pthread_mutex_unlock would have. The only write pipc makes inside an
 * object; through a shared mapping of the mutex's page alone, because a
 * futex of a process-shared mutex is known by its file and offset.
 *
 * Two holders can never be let in. The owner word goes from the dead
 * thread's id to 0 by compare-and-swap first: of two releases of the same
 * death only one gets past it, and a new holder would have written its own
 * id. Until then the lock word was never 0 (a waiter only swaps 1 or 2 for
 * 2 and sleeps), so nobody got in; it goes to 0 by compare-and-swap from
 * the 1 or 2 it holds, and whoever then takes it is the one holder.
 * Returns 1 a waiter was woken, 0 none was, or -1 with errno: ESTALE the
 * mutex changed since it was seen (nothing written), ENOTSUP a robust, PI
 * or PP mutex, EINVAL no such mutex.
 */
int
pipc_pmutex_release(int fd, const struct pipc_pmutex *seen)
{
	struct pipc_pmutex now;
	struct stat st;
	unsigned char *map, *w;
	uint32_t *lockw, *nusersw, old, n;
	int32_t *ownerw, expect;
	long page = sysconf(_SC_PAGESIZE);
	off_t start;
	size_t len;
	int rv = -1;

	if (!seen->locked || seen->tid <= 0 || seen->off % 8 != 0 ||
	    page <= 0) {
		errno = EINVAL;
		return -1;
	}
	if (seen->kind & (PIPC_PMUTEX_ROBUST | PIPC_PMUTEX_PI | PIPC_PMUTEX_PP)) {
		errno = ENOTSUP;
		return -1;
	}
	if (fstat(fd, &st) == -1)
		return -1;
	if ((uint64_t)st.st_size < seen->off + PIPC_PMUTEX_SIZE) {
		errno = ESTALE;
		return -1;
	}
	start = (off_t)(seen->off & ~(uint64_t)(page - 1));
	len = (size_t)(seen->off - (uint64_t)start) + PIPC_PMUTEX_SIZE;
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, start);
	if (map == MAP_FAILED)
		return -1;
	w = map + (seen->off - (uint64_t)start);
	lockw = (uint32_t *)(void *)w;
	ownerw = (int32_t *)(void *)(w + 8);
	nusersw = (uint32_t *)(void *)(w + 12);
	if (pipc_pmutex_decode(w, seen->off, &now) == -1 ||
	    now.kind != seen->kind || !now.locked || now.tid != seen->tid) {
		errno = ESTALE;
		goto out;
	}
	expect = seen->owner;
	if (!__atomic_compare_exchange_n(ownerw, &expect, 0, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		errno = ESTALE;
		goto out;
	}
	/* Ours now: the users count is the holder's to lower, as it is. */
	if ((n = __atomic_load_n(nusersw, __ATOMIC_ACQUIRE)) > 0)
		__atomic_store_n(nusersw, n - 1, __ATOMIC_RELEASE);
	old = __atomic_load_n(lockw, __ATOMIC_ACQUIRE);
	do {
		if (old != 1 && old != 2) {
			errno = ESTALE;	/* cannot be: nobody else is in */
			goto out;
		}
	} while (!__atomic_compare_exchange_n(lockw, &old, 0, 0,
	    __ATOMIC_RELEASE, __ATOMIC_ACQUIRE));
	/* As glibc's unlock: a waiter sleeps on the word only once it is 2. */
	rv = 0;
	if (old == 2 && syscall(SYS_futex, lockw, FUTEX_WAKE, 1, NULL, NULL,
	    0) > 0)
		rv = 1;
out:
	munmap(map, len);
	return rv;
}

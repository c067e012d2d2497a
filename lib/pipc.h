/*
 * pipc: the library behind the pipc command, by concept. It never prints,
 * never exits: errors are returned, with errno. What only the library and
 * its fuzz harnesses use is in internal.h.
 */
#ifndef PIPC_H
#define PIPC_H

#include <limits.h>
#include <semaphore.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define PIPC_VERSION "0.1.0"

/*
 * Kinds of object (kind.c; each kind's row in its own file: shm.c, sem.c,
 * mq.c). A new kind is an enum value and its row's extern here, a pointer
 * in kind.c's table, and its file. The enum's order is every listing's.
 */
enum pipc_type { PIPC_SHM, PIPC_SEM, PIPC_MQ, PIPC_NTYPES };
#define PIPC_TYPE_BIT(t)	(1u << (t))
#define PIPC_ALL_TYPES		((1u << PIPC_NTYPES) - 1)

struct pipc_obj;
enum pipc_state {
	PIPC_IN_USE, PIPC_ORPHAN, PIPC_STALE_LOCK, PIPC_CORRUPT,
	PIPC_DELETED, PIPC_FOREIGN, PIPC_UNKNOWN, PIPC_NSTATES
};

struct pipc_kind {
	const char	*name;		/* "sem": -t, "sem:" prefixes, output */
	const char	*noun;		/* "a semaphore": "NAME is a semaphore" */
	const char	*word;		/* "semaphore": "the semaphore NAME" */
	const char	*missing;	/* "queue": "NAME: no such queue" */
	const char	*prefix;	/* of its file name: "sem.", or "" */
	size_t		 dir;		/* offsetof(struct pipc_dirs, ...) */
	/* Is path a directory such objects can live in: 1, 0, -1 with
	 * errno; NULL: any. Kinds that share a directory give the same. */
	int		(*dir_ok)(const char *);
	/* Why a name too long for it is refused (NULL: NAME_MAX's rule), and
	 * why a name of another kind may not begin with its prefix. */
	const char	*too_long;
	const char	*taken;
	const char *const *cmds;	/* commands whose operand is one
					 * ("lock", "unlock"), NULL-ended */
	unsigned	 flags;		/* PIPC_KIND_* */
	/* Whether an entry of its directory is one: by its file name. The
	 * kind without claim takes what no other kind of its directory
	 * claims, so a kind that recognises its files can join one. */
	int		(*claim)(const char *);
	/* Read its facts from the file the scanner opened (-1: could not).
	 * A kind with read has every regular file opened. */
	void		(*read)(int, struct pipc_obj *);
	/* Its own verdict from the state any object would have (in-use,
	 * orphan, unknown): corrupt, stale-lock. NULL keeps that state. */
	enum pipc_state	(*state)(const struct pipc_obj *, enum pipc_state);
	/* gc: is the file open on fd still taken, though nobody holds it? */
	int		(*taken_by_owner)(int);
};
extern const struct pipc_kind pipc_kind_shm, pipc_kind_sem, pipc_kind_mq;
const struct pipc_kind *pipc_kind(enum pipc_type);
int		 pipc_kind_of_command(const char *);
const char	*pipc_type_name(enum pipc_type);
int		 pipc_type_parse(const char *, enum pipc_type *);
const char	*pipc_state_name(enum pipc_state);

/* Where objects live (dirs.c, object.c). */
struct pipc_dirs {
	const char	*shm;		/* default /dev/shm, $PIPC_SHM_DIR */
	const char	*mq;		/* default /dev/mqueue, $PIPC_MQUEUE_DIR */
};
void		 pipc_dirs_default(struct pipc_dirs *);
const char	*pipc_dir_of(const struct pipc_dirs *, enum pipc_type);
int		 pipc_dir_open(const struct pipc_dirs *, enum pipc_type);

/* Names (names.c): the rules a name must follow, "KIND:" prefixes. */
const char	*pipc_name_check(const char *, enum pipc_type, const char **);
int		 pipc_name_taken(const char *, enum pipc_type, const char **);
enum pipc_type	 pipc_name_loosest(unsigned);
int		 pipc_name_split(const char *, unsigned *, const char **);
const char	*pipc_file_what(mode_t);
unsigned	 pipc_exists(const struct pipc_dirs *, const char *, unsigned);

/*
 * Listing (scan.c, holders.c): what is there, who holds it, its state.
 */
/* Whether anyone holds an object (lease.c, holders.c). */
enum pipc_held { PIPC_HELD_UNKNOWN, PIPC_HELD_NO, PIPC_HELD_YES };

/* How pipc_classify knew: a bit each (pipc_obj.by). */
#define PIPC_BY_PROC	0x1	/* /proc showed holders, or every process */
#define PIPC_BY_KERNEL	0x2	/* a lease was granted or refused */

/* A process that maps or holds open at least one object. */
struct pipc_proc {
	pid_t		 pid;
	pid_t		 nspid;		/* its PID in its own PID namespace, if
					 * that is not ours (PIPC_SCAN_NSPID);
					 * else 0 */
	char		 comm[17];
};

/* Who holds a lock, as recorded on its sem.NAME file (owner.c). */
enum pipc_alive { PIPC_OWNER_DEAD, PIPC_OWNER_ALIVE, PIPC_OWNER_UNKNOWN };
struct pipc_owner {
	pid_t		 pid;
	unsigned long long start;	/* /proc/PID/stat field 22, in ticks */
	unsigned long long pidns;	/* inode of the PID namespace */
	char		 boot_id[37];
	enum pipc_alive	 alive;		/* set by pipc_owner_check */
	char		 comm[17];	/* set by pipc_owner_check if alive */
};

struct pipc_obj {
	enum pipc_type	 type;
	enum pipc_state	 state;
	char		*name;		/* without '/' or "sem.", raw bytes */
	char		*file;		/* file name inside its directory */
	struct stat	 st;
	unsigned	 foreign:1;	/* not a regular file: never opened */
	unsigned	 temp:1;	/* sem: looks like a glibc sem.XXXXXX */
	unsigned	 facts:1;	/* value/waiters or mq attrs were read */
	unsigned	 attrs:1;	/* mq: maxmsg/msgsize/msgs were read */
	unsigned	 quarantine:1;	/* left by an interrupted gc (gc.c) */
	unsigned	 deleted:1;	/* its name was removed; held (holders.c) */
	unsigned	 sizemapped:1;	/* ...its file unseen: st_size is the
					 * longest mapping of it seen */
	char		*origin;	/* ...its file name before, or NULL */
	uint32_t	 value, waiters;			/* sem */
	long		 msgs, maxmsg, msgsize, qsize;		/* mq */
	pid_t		 notify_pid;				/* mq */
	struct pipc_owner *lock;	/* sem at 0: its recorded owner, checked */
	struct pipc_contents *contents;	/* shm: what it holds, kept by the
					 * scan when a mutex in it is locked */
	enum pipc_held	 kernel;	/* the lease's answer (PIPC_SCAN_HELD) */
	enum pipc_held	 held;		/* pipc_classify: does anyone hold it? */
	unsigned	 by;		/* pipc_classify: PIPC_BY_* */
	uint32_t	*hold;		/* indices into pipc_list.procs */
	uint32_t	 nhold;
	uint32_t	 where;		/* its store or namespace: as given to
					 * pipc_scan_add; 0 from pipc_scan */
};

struct pipc_list {
	struct pipc_obj	*v;
	size_t		 n, cap;
	int		 mq_missing;	/* mq dir is not an mqueue filesystem */
	int		 incomplete;	/* some process could not be read */
	size_t		 nunread;	/* how many processes could not be */
	pid_t		 unread_pid;	/* the first of them */
	int		 scan_errno;	/* first error reading a directory */
	const char	*scan_path;	/* and which one */
	struct pipc_proc *procs;	/* holders, filled by pipc_holders */
	size_t		 nprocs;
	uint32_t	*holdv;		/* backing store of every obj.hold */
	struct pipc_chunk *names;	/* backing store of every obj.name */
	/* With PIPC_SCAN_DELETED: the directories read, by device. */
	struct pipc_listdir {
		dev_t		 dev;
		size_t		 dir;		/* as pipc_kind.dir */
		uint32_t	 where;		/* as pipc_scan_add's */
	}		*stores;
	size_t		 nstores;
	unsigned	 deleted_types;	/* kinds to find deleted objects of */
	unsigned	 nspid:1;	/* PIPC_SCAN_NSPID was asked */
};

/* With PIPC_SCAN_HELD in the type mask, pipc_scan also asks the kernel
 * whether anyone holds each object the caller may ask about. */
#define PIPC_SCAN_HELD	0x100
/* With PIPC_SCAN_DELETED, pipc_holders also adds the objects of those kinds
 * whose name was removed while a process still maps or holds them (their
 * files on a directory's device that no name leads to), state deleted. */
#define PIPC_SCAN_DELETED 0x200
/* With PIPC_SCAN_NSPID, pipc_holders also reads each holder's PID in its
 * own PID namespace (pipc_proc.nspid). */
#define PIPC_SCAN_NSPID	0x400
int		 pipc_scan(struct pipc_list *, const struct pipc_dirs *, unsigned);
/* pipc_scan_add: more objects, of other directories (another store or IPC
 * namespace), into a list pipc_scan began; each gets where. */
int		 pipc_scan_add(struct pipc_list *, const struct pipc_dirs *,
		    unsigned, uint32_t);
void		 pipc_list_free(struct pipc_list *);
void		 pipc_list_sort(struct pipc_list *);
int		 pipc_holders(struct pipc_list *);
void		 pipc_classify(struct pipc_list *);

/* Making, opening and removing objects (shm.c, sem.c, mq.c, object.c). */
#define PIPC_REUSE	0x1
/* Size of a glibc sem_t on 64-bit Linux; the file of a named semaphore. */
#define PIPC_SEM_SIZE	32
#define PIPC_SEM_CREATE	0x1
#define PIPC_SEM_EXCL	0x2
/* The kernel's own ceilings (HARD_MSGMAX, HARD_MSGSIZEMAX): no sysctl
 * may raise fs.mqueue.msg_max or msgsize_max past them. */
#define PIPC_MQ_HARD_MSGMAX	65536L
#define PIPC_MQ_HARD_MSGSIZEMAX	(16L * 1024 * 1024)
struct pipc_mq_limits {
	long		 msg_max, msgsize_max, msg_default, msgsize_default;
};
int		 pipc_shm_create(int, const char *, uint64_t, mode_t, int,
		    int *);
sem_t		*pipc_sem_open(int, const char *, int, unsigned, mode_t, int *,
		    int *);
void		 pipc_sem_close(sem_t *);
void		 pipc_mq_limits(struct pipc_mq_limits *);
int		 pipc_mq_create(int, const char *, long, long, mode_t, int,
		    int *);
int		 pipc_mq_open(int, const char *, int);
int		 pipc_remove(int, const char *, const struct stat *);

/* Owners and locks (owner.c, lock.c): a named semaphore as a mutex. */
int		 pipc_proc_stat(pid_t, unsigned long long *, pid_t *, char *,
		    char [17]);
int		 pipc_owner_of(pid_t, struct pipc_owner *);
int		 pipc_owner_get(int, struct pipc_owner *);
int		 pipc_owner_clear(int);
enum pipc_alive	 pipc_owner_check(struct pipc_owner *);
/* lock.c: a named semaphore used as a mutex, with its owner record */
struct pipc_lock {
	sem_t		*sem;
	int		 fd;		/* O_RDWR|O_NONBLOCK, the mapping's: flock
					 * guard, owner record, lease */
	int		 norecord;	/* the filesystem keeps no xattrs */
	int		 counting;	/* not a mutex (value above 1 allowed):
					 * release posts whatever the value */
	/* How long the functions below wait for the guard (the flock on fd):
	 * until this CLOCK_MONOTONIC time, then ETIMEDOUT; NULL: forever. */
	const struct timespec *deadline;
};
#define PIPC_LOCK_FORCE		0x1	/* recover: take a record-less lock */
int		 pipc_lock_open(int, const char *, int, mode_t,
		    struct pipc_lock *);
void		 pipc_lock_close(struct pipc_lock *);
int		 pipc_lock_guard(struct pipc_lock *, const struct timespec *);
void		 pipc_lock_unguard(struct pipc_lock *);
int		 pipc_lock_take(struct pipc_lock *, int,
		    const struct timespec *);
int		 pipc_lock_record(struct pipc_lock *, const struct pipc_owner *);
int		 pipc_lock_transfer(struct pipc_lock *, const struct pipc_owner *,
		    const struct pipc_owner *);
int		 pipc_lock_recover(struct pipc_lock *, const struct pipc_owner *,
		    int, time_t, struct pipc_owner *);
int		 pipc_lock_release(struct pipc_lock *, const struct pipc_owner *,
		    const struct pipc_owner *);
int		 pipc_lock_held(struct pipc_lock *, pid_t *);

/* Collecting (gc.c, snapshot.c): through a quarantine, against the race. */
enum pipc_gc_result {
	PIPC_GC_REMOVED,	/* unlinked */
	PIPC_GC_HELD,		/* a holder appeared: put back */
	PIPC_GC_UNKNOWN,	/* holders could not all be seen: put back */
	PIPC_GC_RESTORED,	/* an old quarantine, held: put back */
	PIPC_GC_STUCK,		/* held, but its name is taken or unknown */
	PIPC_GC_CHANGED,	/* the name holds another object now */
	PIPC_GC_GONE,		/* removed by someone else meanwhile */
	PIPC_GC_FAILED		/* err says why; put back where possible */
};
struct pipc_gc {
	size_t		 obj;		/* index into the list */
	int		 restore;	/* in: put this quarantine back */
	enum pipc_gc_result result;
	int		 err;
	int		 moved, renamed, leased, fd;	/* private */
	struct stat	 st;		/* private */
};
#define PIPC_GC_FORCE	0x1	/* collect even if holders are unknown */
int		 pipc_gc_collect(struct pipc_list *, const struct pipc_dirs *,
		    struct pipc_gc *, size_t, int, unsigned);
const char	*pipc_gc_origin(const struct pipc_obj *);
void		 pipc_hold_signals(sigset_t *);
size_t		 pipc_gc_label(char *, size_t, const struct pipc_obj *, int);
/* What `pipc ls -J` listed, for gc --since. */
struct pipc_snap_obj {
	enum pipc_type	 type;
	ino_t		 ino;
	char		*name;
};
struct pipc_snapshot {
	struct pipc_snap_obj *v;
	size_t		 n, cap;
	int		 found;
};
int		 pipc_snapshot_parse(struct pipc_snapshot *, const char *,
		    size_t, const char **, size_t *);
int		 pipc_snapshot_has(const struct pipc_snapshot *, enum pipc_type,
		    const char *, ino_t);
void		 pipc_snapshot_free(struct pipc_snapshot *);

/* Words of a command line (parse.c, duration.c): -1 with EINVAL (syntax)
 * or ERANGE (too large). */
#define PIPC_SECONDS_MAX	2147483647.0
int		 pipc_parse_size(const char *, uint64_t *);
int		 pipc_parse_mode(const char *, mode_t *);
int		 pipc_parse_seconds(const char *, struct timespec *);
int		 pipc_parse_duration(const char *, time_t *);

/* Text for a terminal or JSON (escape.c): each returns the length the
 * escaped text needs, like snprintf. */
#define PIPC_ESC_SPACE	0x1	/* escape spaces too (raw output) */
size_t		 pipc_escape_text(char *, size_t, const char *, int);
size_t		 pipc_escape_json_mem(char *, size_t, const char *, size_t);

/* Containers: who runs a process, every store and IPC namespace. */
/* cgroup.c: who runs a process, from the text of /proc/PID/cgroup */
enum pipc_runtime {
	PIPC_RT_HOST,		/* "/", init.scope, user sessions */
	PIPC_RT_OTHER,		/* a cgroup of no runtime known here */
	PIPC_RT_SERVICE,	/* a systemd service: name */
	PIPC_RT_DOCKER, PIPC_RT_CONTAINERD, PIPC_RT_CRIO, PIPC_RT_PODMAN,
	PIPC_RT_KUBERNETES,	/* a pod's container: pod, id, engine */
	PIPC_RT_NSPAWN,		/* a machine of systemd-machined: name */
	PIPC_RT_LXC,		/* name */
	PIPC_NRUNTIMES
};
#define PIPC_CG_SHORT	12	/* a container id as shown: its first 12 */
struct pipc_cglabel {
	enum pipc_runtime runtime;
	enum pipc_runtime engine;	/* kubernetes: docker, containerd, cri-o,
					 * or other where the path does not say */
	unsigned	 monitor:1;	/* a runtime's monitor (conmon,
					 * lxc.monitor), not the container */
	unsigned	 v1:1;		/* read from a cgroup v1 line */
	char		 id[65];	/* container id, 64 hex digits, or "" */
	char		 shortid[PIPC_CG_SHORT + 1];
	char		 pod[65];	/* kubernetes pod UID, podman pod id */
	char		 name[256];	/* machine, LXC container, service (raw
					 * bytes, unescaped from the unit) */
};
const char	*pipc_runtime_name(enum pipc_runtime);
int		 pipc_cgroup_label(const char *, size_t, struct pipc_cglabel *);
/* pipc_cglabel_rank: 0 the host ... PIPC_CGRANK_CONTAINER a container */
#define PIPC_CGRANK_CONTAINER	5
int		 pipc_cglabel_rank(const struct pipc_cglabel *);
size_t		 pipc_cglabel_text(char *, size_t, const struct pipc_cglabel *);

/* stores.c: every shared-memory store and IPC namespace, one /proc pass */
enum pipc_mqseen {
	PIPC_MQ_MOUNTED,	/* its own mqueue at a process's /dev/mqueue */
	PIPC_MQ_ENTERED,	/* reached by entering the namespace */
	PIPC_MQ_UNSEEN		/* err says why */
};
struct pipc_store {
	dev_t		 dev;		/* st_dev of its /dev/shm */
	pid_t		 pid;		/* a process that has it as /dev/shm */
	unsigned	 host:1;	/* the host's (PID 1's, else ours) */
	unsigned	 statfs:1;	/* fstype, size, used, avail were read */
	int		 fd;		/* its directory, open; -1 if not */
	char		 path[48];	/* /proc/PID/root/dev/shm, or
					 * /proc/self/fd/FD where that lies */
	long		 fstype;	/* statfs f_type (tmpfs: 0x01021994) */
	uint64_t	 size, used, avail;	/* bytes; size 0: no limit */
	size_t		 nprocs;	/* processes seen using it */
	struct pipc_cglabel label;	/* its most specific process's;
					 * "host" for the host's */
};
struct pipc_ipcns {
	ino_t		 ino;		/* inode of /proc/PID/ns/ipc */
	pid_t		 pid;		/* a process in it */
	unsigned	 host:1;	/* the host's (PID 1's, else ours) */
	enum pipc_mqseen mq;
	int		 err;		/* PIPC_MQ_UNSEEN: why (an errno) */
	int		 fd;		/* its queues' directory, or -1 */
	char		 path[48];	/* MOUNTED: /proc/PID/root/dev/mqueue;
					 * ENTERED: /proc/self/fd/FD */
	dev_t		 mqdev;		/* its mqueue superblock, 0: unknown */
	pid_t		 mqpid;		/* UNSEEN: a process showing an mqueue
					 * not proved to be its own, or 0 */
	size_t		 nprocs;
	struct pipc_cglabel label;
	int		 nsfd;		/* private */
	void		*cand;		/* private */
};
struct pipc_stores {
	struct pipc_store *v;
	size_t		 n;
	struct pipc_ipcns *ns;
	size_t		 nns;
	size_t		 nprocs;	/* processes placed */
	size_t		 nunread;	/* processes that could not be */
	pid_t		 unread_pid;	/* the first of them */
	int		 unread_err;	/* and why */
	size_t		 nnoshm;	/* processes with no /dev/shm */
	int		 hidepid;	/* /proc hides processes from us */
};
#define PIPC_STORES_NOENTER	0x1	/* never enter a namespace */
#define PIPC_STORES_NOLABEL	0x2	/* read no /proc/PID/cgroup */
int		 pipc_stores_scan(struct pipc_stores *, unsigned);
void		 pipc_stores_free(struct pipc_stores *);
int		 pipc_ipcns_enter(int, int *);
int		 pipc_proc_cglabel(int, pid_t, struct pipc_cglabel *);
int		 pipc_nspid(pid_t, pid_t *);
int		 pipc_proc_shm_dev(pid_t, dev_t *);
int		 pipc_nspid_parse(const char *, size_t, pid_t *);

/*
 * logind's RemoveIPC= (removeipc.c): read under $PIPC_LOGIND_ROOT, else
 * "/". An object is exposed when logind runs, RemoveIPC= is in effect, and
 * the object is in use and belongs to a regular user (above SYS_UID_MAX,
 * not nobody), whose last session's end removes it.
 */
struct pipc_removeipc {
	int		 running;	/* /run/systemd/seats exists */
	int		 enabled;	/* RemoveIPC=, yes by default */
	char		 source[4096];	/* the file that set it; "": default */
	uid_t		 sys_uid_max;	/* login.defs SYS_UID_MAX, or 999 */
};
void		 pipc_removeipc_read(struct pipc_removeipc *);
int		 pipc_removeipc_exposed(const struct pipc_removeipc *,
		    const struct pipc_obj *);

/*
 * Who made an object (creator.c): the name patterns of well-known programs
 * and whether what they leave unheld may be collected. Name only: nothing
 * is read. pipc-gc(1) cites each pattern's source.
 */
enum pipc_keep {
	PIPC_KEEP_UNKNOWN,	/* nothing known: gc's usual rules */
	PIPC_KEEP_NO,		/* unheld, it is a leftover: usual rules */
	PIPC_KEEP_WHILE_RUNNING,	/* may be in use unheld while one of
				 * comms runs */
	PIPC_KEEP_NEVER		/* may be needed unheld at any time */
};
struct pipc_creator {
	const char	*program;	/* "postgresql": CREATOR, JSON */
	const char	*pattern;	/* of the name, as creator.c says */
	unsigned	 kinds;		/* PIPC_TYPE_BIT of each kind */
	enum pipc_keep	 keep;
	const char *const *comms;	/* WHILE_RUNNING: /proc/PID/comm of its
					 * processes, NULL-ended */
	const char	*note;		/* what the object is, why the rule */
	const char	*source;	/* "owner/repo path": the pattern's */
};
extern const struct pipc_creator pipc_creators[];
extern const size_t pipc_ncreators;
const struct pipc_creator *pipc_creator_of(enum pipc_type, const char *);
const char	*pipc_keep_name(enum pipc_keep);
int		 pipc_creator_running(const struct pipc_creator *, pid_t *);

/*
 * What a shared memory object holds (contents.c, boost.c): recognised from
 * its first bytes, read with pread and never mapped; each recogniser checks
 * a fingerprint before it trusts an offset, and keeps its evidence. Only
 * pipc_pmutex_release writes, and only a dead owner's lock word.
 */
#define PIPC_CONTENTS_PEEK	256	/* bytes read: every layout's header */
/* glibc's pthread_mutex_t on x86-64: the fields, and __kind's bits. */
#define PIPC_PMUTEX_SIZE	40
#define PIPC_PMUTEX_RECURSIVE	0x1
#define PIPC_PMUTEX_ROBUST	0x10
#define PIPC_PMUTEX_PI		0x20
#define PIPC_PMUTEX_PP		0x40
#define PIPC_PMUTEX_PSHARED	0x80
#define PIPC_FUTEX_WAITERS	0x80000000u
#define PIPC_FUTEX_OWNER_DIED	0x40000000u
#define PIPC_FUTEX_TID_MASK	0x3fffffffu
/* __owner values of a robust mutex */
#define PIPC_PMUTEX_INCONSISTENT 0x7ffffffe
#define PIPC_PMUTEX_NOTRECOVERABLE 0x7fffffff
struct pipc_pmutex {
	const char	*role;		/* "queue", "allocator", ... */
	uint64_t	 off;		/* of the pthread_mutex_t in the file */
	uint32_t	 lock;		/* __lock, the futex word */
	uint32_t	 count;		/* __count: a recursive one's depth */
	int32_t		 owner;		/* __owner */
	uint32_t	 nusers;	/* __nusers */
	int32_t		 kind;		/* __kind */
	unsigned	 locked:1;	/* held, by tid if not 0 */
	unsigned	 robust:1;
	unsigned	 owner_died:1;	/* robust: FUTEX_OWNER_DIED is set */
	unsigned	 notrecoverable:1;	/* robust: unusable for ever */
	/* The thread that holds it, in the PID namespace of the process
	 * that took it; 0: none, or not recorded. */
	pid_t		 tid;
	enum pipc_alive	 alive;		/* of tid: set by pipc_pmutex_alive */
	pid_t		 holder;	/* alive: the process it is in */
};
struct pipc_cond {
	const char	*role;
	uint64_t	 off;		/* of the pthread_cond_t in the file */
	uint32_t	 waiters;	/* __wrefs / 8 */
};
struct pipc_fact {
	const char	*key;		/* "max_msgs": JSON key and label */
	unsigned long long value;
};
#define PIPC_CONTENTS_FACTS	6
#define PIPC_CONTENTS_LOCKS	2
#define PIPC_CONTENTS_EVIDENCE	8
struct pipc_contents {
	const char	*what;		/* "boost::interprocess::message_queue" */
	const char	*layout;	/* whose layout: "boost 1.74, x86-64" */
	struct pipc_fact facts[PIPC_CONTENTS_FACTS];
	size_t		 nfacts;
	struct pipc_pmutex mutex[PIPC_CONTENTS_LOCKS];
	size_t		 nmutex;
	struct pipc_cond cond[PIPC_CONTENTS_LOCKS];
	size_t		 ncond;
	char		 evidence[PIPC_CONTENTS_EVIDENCE][128];
	size_t		 nevidence;
};
int		 pipc_contents_recognise(const unsigned char *, size_t,
		    uint64_t, struct pipc_contents *);
int		 pipc_contents_read(int, uint64_t, struct pipc_contents *);
int		 pipc_pmutex_decode(const unsigned char *, uint64_t,
		    struct pipc_pmutex *);
int		 pipc_pmutex_stuck(const struct pipc_contents *);
enum pipc_alive	 pipc_pmutex_alive(const struct pipc_list *,
		    const struct pipc_obj *, struct pipc_pmutex *, const char **);
int		 pipc_pmutex_release(int, const struct pipc_pmutex *);

#endif

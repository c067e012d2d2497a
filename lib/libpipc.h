/*
 * libpipc: named locks that survive their holder's crash, the listing of
 * POSIX IPC objects and who holds them, for C and C++ programs. Installed
 * as <pipc/pipc.h>; see libpipc(3).
 *
 * Every function returns 0 or an errno value (never -1 and errno), prints
 * nothing, never exits and changes no signal disposition. The handle types
 * are opaque: their layout is no part of the ABI. Symbols are versioned
 * (LIBPIPC_1); the soname is libpipc.so.1.
 */
#ifndef PIPC_PIPC_H
#define PIPC_PIPC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PIPC_LIB_VERSION_MAJOR	1

/*
 * Named locks (pipc_mutex_open(3)): the semaphore NAME as `pipc lock NAME`
 * takes it, with its owner recorded on the file and a dead owner's lock
 * taken over, never letting two holders in.
 */
typedef struct pipc_mutex pipc_mutex;

#define PIPC_MUTEX_CREATE	0x1	/* make it (value 1, mode) if missing */
#define PIPC_MUTEX_NORECOVER	0x2	/* never take over a dead owner's lock */
#define PIPC_MUTEX_ANYUSER	0x4	/* take one of another user (not root) */

int		 pipc_mutex_open(pipc_mutex **, const char *, int, mode_t);
int		 pipc_mutex_acquire(pipc_mutex *);
int		 pipc_mutex_tryacquire(pipc_mutex *);
int		 pipc_mutex_timedacquire(pipc_mutex *, const struct timespec *);
int		 pipc_mutex_release(pipc_mutex *);
int		 pipc_mutex_close(pipc_mutex *);

/*
 * Listing (pipc_objects_scan(3)): the objects of a store as `pipc ls -J`
 * sees them. Kinds and states are numbered for good: new ones are added,
 * none renumbered.
 */
typedef struct pipc_objects pipc_objects;
typedef struct pipc_object pipc_object;

#define PIPC_OBJ_SHM		1
#define PIPC_OBJ_SEM		2
#define PIPC_OBJ_MQ		3

#define PIPC_STATE_IN_USE	1
#define PIPC_STATE_ORPHAN	2
#define PIPC_STATE_STALE_LOCK	3
#define PIPC_STATE_CORRUPT	4
#define PIPC_STATE_DELETED	5
#define PIPC_STATE_FOREIGN	6
#define PIPC_STATE_UNKNOWN	7

/* Answers to "does anyone hold it" (pipc_held(3)). */
#define PIPC_HOLD_NO		0
#define PIPC_HOLD_YES		1
#define PIPC_HOLD_UNKNOWN	2

/* pipc_objects_scan flags: kinds (none: all), and what else to do. */
#define PIPC_LIST_SHM		0x1
#define PIPC_LIST_SEM		0x2
#define PIPC_LIST_MQ		0x4
#define PIPC_LIST_DELETED	0x10	/* also removed objects still held */

int		 pipc_objects_scan(pipc_objects **, unsigned);
size_t		 pipc_objects_count(const pipc_objects *);
const pipc_object *pipc_objects_get(const pipc_objects *, size_t);
int		 pipc_objects_complete(const pipc_objects *);
void		 pipc_objects_free(pipc_objects *);

int		 pipc_object_kind(const pipc_object *);
const char	*pipc_object_kind_name(const pipc_object *);
const char	*pipc_object_name(const pipc_object *);
int		 pipc_object_stat(const pipc_object *, struct stat *);
uint64_t	 pipc_object_size(const pipc_object *);
int		 pipc_object_state(const pipc_object *);
const char	*pipc_object_state_name(const pipc_object *);
int		 pipc_object_held(const pipc_object *);
pid_t		 pipc_object_lock_owner(const pipc_object *);
size_t		 pipc_object_nholders(const pipc_object *);
pid_t		 pipc_object_holder(const pipc_object *, size_t,
		    const char **);

/* Does anyone hold the object KIND NAME (pipc_held(3))? */
int		 pipc_held(int, const char *, int *);

#ifdef __cplusplus
}
#endif

#endif

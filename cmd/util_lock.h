/* What lock and unlock share: names, opening, telling who holds a lock. */
#ifndef UTIL_LOCK_H
#define UTIL_LOCK_H

#include "pipc.h"

const char	*lock_name(const char *);
/* How long -n or -w let lock and unlock wait, for every wait they make. */
struct lock_wait {
	int		 nonblock, timed;
	const char	*arg;		/* -w's argument, for messages */
	struct timespec	 end;		/* -w: on CLOCK_MONOTONIC */
	struct timespec	 bound;		/* what lock_bound last returned */
};
int		 lock_wait_arg(struct lock_wait *, const char *);
void		 lock_wait_start(struct lock_wait *, const struct timespec *);
const struct timespec *lock_bound(struct lock_wait *);
const char	*lock_waited(const struct lock_wait *);
int		 lock_open(struct pipc_lock *, const char *, int, mode_t,
		    struct lock_wait *);
void		 lock_guard_busy(const char *, const struct lock_wait *);
const char	*lock_who(struct pipc_owner *, char *, size_t);
void		 lock_busy(struct pipc_lock *, const char *, const char *);
void		 lock_took_over(const char *, struct pipc_owner *);
pid_t		 lock_parse_pid(const char *);
void		 lock_bus_status(int);
void		 lock_ts_add(struct timespec *, time_t, long);
int		 lock_ts_before(const struct timespec *, const struct timespec *);

#endif

/* What lock and unlock share: names, opening, telling who holds a lock. */
#ifndef UTIL_LOCK_H
#define UTIL_LOCK_H

#include "pipc.h"

const char	*lock_shown(const char *);
const char	*lock_name(const char *);
int		 lock_open(struct pipc_lock *, const char *, int, mode_t);
const char	*lock_who(struct pipc_owner *, char *, size_t);
void		 lock_busy(struct pipc_lock *, const char *, const char *);
void		 lock_took_over(const char *, struct pipc_owner *);
pid_t		 lock_parse_pid(const char *);

#endif

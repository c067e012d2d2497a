/* gc: what cmd/gc.c and cmd/util_gc.c share. */
#ifndef UTIL_GC_H
#define UTIL_GC_H

#include "cmd.h"

enum act {
	A_NONE, A_COLLECT, A_RESTORE, A_HELD, A_YOUNG, A_UNKNOWN, A_USER,
	A_FOREIGN, A_CREATOR, A_NACTS
};

struct row {
	size_t		 obj;
	const char	*reason;
	enum act	 act;
	struct pipc_gc	*gc;		/* its outcome when one was tried */
	const struct pipc_creator *creator;	/* its name's, or NULL */
	int		 runs;		/* A_CREATOR: its program runs (1),
					 * may run unseen (-1), or 0 (never) */
	pid_t		 pid;		/* runs: a process of it */
};

struct opts {
	time_t		 min_age;
	uid_t		 uid;
	int		 all_users, dry, check, json, verbose, force, bytes;
	struct pipc_snapshot snap;
	int		 since;
};

enum {
	K_HELD, K_YOUNG, K_UNKNOWN, K_USER, K_STUCK, K_CHANGED, K_GONE,
	K_CREATOR, K_N
};
struct tally {
	size_t		 removed, restored, failed, foreign, kept[K_N];
	long long	 bytes;
};

const char	*gc_action(const struct row *, const struct opts *, char *, size_t);
int		 gc_shown(const struct row *, const struct opts *);
void		 gc_print_begin(const struct opts *);
void		 gc_print_row(const struct pipc_list *, const struct row *,
		    const struct opts *, const char *, int);
void		 gc_count(struct tally *, const struct row *,
		    const struct pipc_obj *, const struct opts *);
void		 gc_summary(const struct tally *, const struct opts *);
void		 gc_warn_unknown(const struct pipc_list *, const struct tally *);

#endif

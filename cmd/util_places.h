/* Places: the stores and IPC namespaces of -A and -N (util_places.c). */
#ifndef UTIL_PLACES_H
#define UTIL_PLACES_H

#include "cmd.h"

/* A store (shm, sem) or an IPC namespace's queues; obj.where indexes. */
struct place {
	const struct pipc_store *store;	/* one of these two */
	const struct pipc_ipcns *ns;
	int		 host;
	char		 label[128];	/* "host", "docker:0123456789ab" */
	char		 id[32];	/* "0:52" (a store's device), or
					 * "ipc:[4026531839]" */
	char		 path[48];	/* where to read it; "": nowhere */
	char		 shown[4096];	/* where a user finds it */
};
struct places {
	int		 active;	/* -A or -N given */
	pid_t		 target;	/* -N's */
	struct pipc_stores s;
	struct place	*v;
	size_t		 n;
	double		 seconds;	/* finding them took */
};
extern struct places places;

void		 places_find(pid_t);
unsigned	 place_dirs(size_t, unsigned, struct pipc_dirs *);
int		 places_warn(unsigned, const char *);
size_t		 places_unread(unsigned);
int		 places_scan(struct pipc_list *, unsigned, unsigned,
		    const char *);
pid_t		 pid_arg(const char *);
int		 places_label_width(void);

/* The options, one row each for ls, gc and metrics. */
#define OPT_ALL_NS \
	{ 'A', "all-namespaces", NULL, "every store and IPC namespace of " \
	    "the host", O_GROUP(3) }
#define OPT_NS \
	{ 'N', "ns", "PID", "the store and IPC namespace of process PID", \
	    O_GROUP(3) }

#endif

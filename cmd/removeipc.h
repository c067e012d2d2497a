/* removeipc: logind's RemoveIPC= in ls's warning and metrics' gauges. */
#ifndef REMOVEIPC_H
#define REMOVEIPC_H

#include <stdio.h>

#include "cmd.h"

struct removeipc_tally {
	struct pipc_removeipc r;
	unsigned long long exposed[PIPC_NTYPES];
};

void	removeipc_warn(const struct pipc_list *, const char *);
void	removeipc_tally_init(struct removeipc_tally *);
void	removeipc_tally_add(struct removeipc_tally *, const struct pipc_obj *);
void	removeipc_metrics(FILE *, const struct removeipc_tally *, unsigned);

#endif

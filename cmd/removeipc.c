/* removeipc: what ls and metrics say of logind's RemoveIPC= (lib/removeipc.c). */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "removeipc.h"

#define UIDS_SHOWN	3

/*
 * Once, on stderr, where some object shown is in use by a regular user's
 * processes and logind would remove it: the listing itself is unchanged.
 */
void
removeipc_warn(const struct pipc_list *l, const char *show)
{
	struct pipc_removeipc r;
	char uids[UIDS_SHOWN * 12 + 8] = "";
	uid_t seen[UIDS_SHOWN];
	size_t i, j, n = 0, nuid = 0, more = 0;

	pipc_removeipc_read(&r);
	if (!r.running || !r.enabled)
		return;
	for (i = 0; i < l->n; i++) {
		if (!show[i] || !pipc_removeipc_exposed(&r, &l->v[i]))
			continue;
		n++;
		for (j = 0; j < nuid && seen[j] != l->v[i].st.st_uid; j++)
			continue;
		if (j < nuid)
			continue;
		if (nuid == UIDS_SHOWN) {
			more = 1;
			continue;
		}
		seen[nuid++] = l->v[i].st.st_uid;
		snprintf(uids + strlen(uids), sizeof(uids) - strlen(uids),
		    "%s%u", nuid > 1 ? ", " : "", (unsigned)l->v[i].st.st_uid);
	}
	if (n == 0)
		return;
	if (more)
		strlcat(uids, ", ...", sizeof(uids));
	warnx("%zu object%s in use belong%s to regular users (UID %s): "
	    "logind removes a user's objects when the user's last session "
	    "ends (RemoveIPC=yes %s%s); run such services as system users, or "
	    "set RemoveIPC=no", n, n == 1 ? "" : "s", n == 1 ? "s" : "", uids,
	    r.source[0] != '\0' ? "in " : "by default: no logind.conf sets it",
	    shown(r.source));
}

void
removeipc_tally_init(struct removeipc_tally *t)
{
	memset(t, 0, sizeof(*t));
	pipc_removeipc_read(&t->r);
}

void
removeipc_tally_add(struct removeipc_tally *t, const struct pipc_obj *o)
{
	t->exposed[o->type] += pipc_removeipc_exposed(&t->r, o);
}

void
removeipc_metrics(FILE *fp, const struct removeipc_tally *t, unsigned types)
{
	int k;

	fprintf(fp, "# HELP pipc_removeipc_enabled 1 if systemd-logind runs "
	    "and RemoveIPC= is in effect: it removes a regular user's IPC "
	    "objects when the user's last session ends.\n"
	    "# TYPE pipc_removeipc_enabled gauge\n"
	    "pipc_removeipc_enabled %d\n", t->r.running && t->r.enabled);
	fprintf(fp, "# HELP pipc_removeipc_exposed_objects Objects in use "
	    "that belong to regular users (UID above SYS_UID_MAX) and that "
	    "logind would remove at the end of the owner's last session; 0 "
	    "where RemoveIPC= is not in effect.\n"
	    "# TYPE pipc_removeipc_exposed_objects gauge\n");
	for (k = 0; k < PIPC_NTYPES; k++)
		if (types & PIPC_TYPE_BIT(k))
			fprintf(fp, "pipc_removeipc_exposed_objects{kind=\"%s\"} "
			    "%llu\n", pipc_type_name((enum pipc_type)k),
			    t->exposed[k]);
}

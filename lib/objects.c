/*
 * libpipc's listing: scan.c and holders.c as `pipc ls -J` runs them, behind
 * opaque handles, and the one answer of "does anyone hold this object".
 *
 * The kernel's answer (a write lease) comes with a SIGIO to us should
 * another process open the file while we hold the lease, and SIGIO's
 * default action ends the process. The library changes no disposition:
 * it asks the kernel only where the caller ignores or handles SIGIO, and
 * otherwise answers from /proc alone.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "libpipc.h"

struct pipc_objects {
	struct pipc_list l;
	struct pipc_object *v;		/* one per l.v[i], what callers see */
};

/* An object with the list whose process table its holders index. */
struct pipc_object {
	const struct pipc_obj *o;
	const struct pipc_objects *list;
};

/* The public numbers, fixed whatever the order of the internal enums. */
static const int kinds[PIPC_NTYPES] = {
	[PIPC_SHM] = PIPC_OBJ_SHM, [PIPC_SEM] = PIPC_OBJ_SEM,
	[PIPC_MQ] = PIPC_OBJ_MQ,
};
static const int states[PIPC_NSTATES] = {
	[PIPC_IN_USE] = PIPC_STATE_IN_USE, [PIPC_ORPHAN] = PIPC_STATE_ORPHAN,
	[PIPC_STALE_LOCK] = PIPC_STATE_STALE_LOCK,
	[PIPC_CORRUPT] = PIPC_STATE_CORRUPT, [PIPC_DELETED] = PIPC_STATE_DELETED,
	[PIPC_FOREIGN] = PIPC_STATE_FOREIGN, [PIPC_UNKNOWN] = PIPC_STATE_UNKNOWN,
};

static const struct pipc_obj *
obj(const pipc_object *o)
{
	return o->o;
}

/* Does the caller ignore or handle SIGIO (so a lease may be asked for)? */
static int
sigio_handled(void)
{
	struct sigaction sa;

	return sigaction(SIGIO, NULL, &sa) == 0 &&
	    ((sa.sa_flags & SA_SIGINFO) || sa.sa_handler != SIG_DFL);
}

/* Scan the kinds of types (internal bits), with holders and states. */
static int
scan(struct pipc_list *l, unsigned types)
{
	struct pipc_dirs dirs;
	int e;

	pipc_api_init();
	pipc_dirs_default(&dirs);
	if (sigio_handled())
		types |= PIPC_SCAN_HELD;
	if (pipc_scan(l, &dirs, types) == -1) {
		e = errno != 0 ? errno : EIO;
		pipc_list_free(l);
		return e;
	}
	/* A pass that could not read /proc says so through incomplete. */
	if (pipc_holders(l) == -1)
		l->incomplete = 1;
	pipc_classify(l);
	return 0;
}

int
pipc_objects_scan(pipc_objects **op, unsigned flags)
{
	struct pipc_objects *o;
	unsigned types = 0;
	size_t i;
	int e;

	*op = NULL;
	if (flags & ~(PIPC_LIST_SHM | PIPC_LIST_SEM | PIPC_LIST_MQ |
	    PIPC_LIST_DELETED))
		return EINVAL;
	if (flags & PIPC_LIST_SHM)
		types |= PIPC_TYPE_BIT(PIPC_SHM);
	if (flags & PIPC_LIST_SEM)
		types |= PIPC_TYPE_BIT(PIPC_SEM);
	if (flags & PIPC_LIST_MQ)
		types |= PIPC_TYPE_BIT(PIPC_MQ);
	if (types == 0)
		types = PIPC_ALL_TYPES;
	if (flags & PIPC_LIST_DELETED)
		types |= PIPC_SCAN_DELETED;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return ENOMEM;
	if ((e = scan(&o->l, types)) != 0) {
		free(o);
		return e;
	}
	pipc_list_sort(&o->l);
	if (o->l.n > 0 && (o->v = calloc(o->l.n, sizeof(*o->v))) == NULL) {
		pipc_objects_free(o);
		return ENOMEM;
	}
	for (i = 0; i < o->l.n; i++) {
		o->v[i].o = &o->l.v[i];
		o->v[i].list = o;
	}
	*op = o;
	return 0;
}

size_t
pipc_objects_count(const pipc_objects *o)
{
	return o->l.n;
}

const pipc_object *
pipc_objects_get(const pipc_objects *o, size_t i)
{
	if (i >= o->l.n)
		return NULL;
	return &o->v[i];
}

/* 1 when every process could be read, so an orphan is one for sure. */
int
pipc_objects_complete(const pipc_objects *o)
{
	return !o->l.incomplete;
}

void
pipc_objects_free(pipc_objects *o)
{
	if (o == NULL)
		return;
	pipc_list_free(&o->l);
	free(o->v);
	free(o);
}

int
pipc_object_kind(const pipc_object *o)
{
	return kinds[obj(o)->type];
}

const char *
pipc_object_kind_name(const pipc_object *o)
{
	return pipc_type_name(obj(o)->type);
}

const char *
pipc_object_name(const pipc_object *o)
{
	return obj(o)->name;
}

int
pipc_object_stat(const pipc_object *o, struct stat *st)
{
	*st = obj(o)->st;
	return 0;
}

uint64_t
pipc_object_size(const pipc_object *o)
{
	return (uint64_t)obj(o)->st.st_size;
}

int
pipc_object_state(const pipc_object *o)
{
	return states[obj(o)->state];
}

const char *
pipc_object_state_name(const pipc_object *o)
{
	return pipc_state_name(obj(o)->state);
}

int
pipc_object_held(const pipc_object *o)
{
	switch (obj(o)->held) {
	case PIPC_HELD_NO:
		return PIPC_HOLD_NO;
	case PIPC_HELD_YES:
		return PIPC_HOLD_YES;
	default:
		return PIPC_HOLD_UNKNOWN;
	}
}

/* The PID recorded as the owner of a lock taken (a semaphore at 0), or 0. */
pid_t
pipc_object_lock_owner(const pipc_object *o)
{
	return obj(o)->lock != NULL ? obj(o)->lock->pid : 0;
}

/*
 * The processes /proc showed holding it (never the caller itself): the
 * list owns them, so the handle is needed to reach them.
 */
size_t
pipc_object_nholders(const pipc_object *o)
{
	return obj(o)->nhold;
}

pid_t
pipc_object_holder(const pipc_object *o, size_t i, const char **comm)
{
	const struct pipc_proc *p;

	if (comm != NULL)
		*comm = NULL;
	if (i >= obj(o)->nhold)
		return 0;
	p = &o->list->l.procs[obj(o)->hold[i]];
	if (comm != NULL)
		*comm = p->comm;
	return p->pid;
}

/*
 * Does anyone hold the object? *answer: PIPC_HOLD_YES, _NO or _UNKNOWN, as
 * `pipc ls` would say in its one verdict (a live lock owner holds it).
 * ENOENT: no such object; EINVAL: a bad name or kind, or the name is no
 * object (a directory, a link: foreign).
 */
int
pipc_held(int kind, const char *name, int *answer)
{
	struct pipc_list l;
	const char *bare, *why;
	enum pipc_type t;
	size_t i;
	int e;

	*answer = PIPC_HOLD_UNKNOWN;
	for (t = 0; t < PIPC_NTYPES && kinds[t] != kind; t++)
		continue;
	if (t == PIPC_NTYPES || name == NULL ||
	    (bare = pipc_name_check(name, t, &why)) == NULL)
		return EINVAL;
	if ((e = scan(&l, PIPC_TYPE_BIT(t))) != 0)
		return e;
	e = ENOENT;
	for (i = 0; i < l.n; i++) {
		if (l.v[i].type != t || l.v[i].deleted ||
		    strcmp(l.v[i].name, bare) != 0)
			continue;
		if (l.v[i].foreign)
			e = EINVAL;
		else {
			*answer = pipc_object_held(&(struct pipc_object){
			    &l.v[i], NULL });
			e = 0;
		}
		break;
	}
	pipc_list_free(&l);
	return e;
}

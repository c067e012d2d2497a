/* ls's fields: one table makes the columns, -o, -H, the JSON and completion. */
#include <err.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util_ls.h"
#include "util_places.h"

struct cellctx {
	const struct pipc_list	*l;
	const struct pipc_obj	*o;
	int			 raw, bytes;
	char			*buf;		/* the field's to write in */
	size_t			 size;
};

struct val {
	enum { V_SET, V_UNKNOWN, V_NONE } has;	/* a cell: as is, "?", "-" */
	long long	 n;			/* J_NUM, J_BOOL */
	const char	*pre, *s;		/* J_STR: JSON writes pre, s */
};

#define ALL	PIPC_ALL_TYPES
#define SEM	PIPC_TYPE_BIT(PIPC_SEM)
#define MQ	PIPC_TYPE_BIT(PIPC_MQ)

/* A listing has thousands of objects but few owners: keep a few names. */
static const char *
id_name(int group, unsigned id)
{
	static struct { int group; unsigned id; char *name; } cache[32];
	static size_t n;
	const struct passwd *pw;
	const struct group *gr;
	const char *name;
	size_t i;

	for (i = 0; i < n; i++)
		if (cache[i].id == id && cache[i].group == group)
			return cache[i].name;
	if (group)
		name = (gr = getgrgid(id)) != NULL ? gr->gr_name : NULL;
	else
		name = (pw = getpwuid(id)) != NULL ? pw->pw_name : NULL;
	if (n == sizeof(cache) / sizeof(cache[0]))
		return name;
	cache[n].group = group;
	cache[n].id = id;
	cache[n].name = name != NULL ? strdup(name) : NULL;
	return cache[n++].name;
}

static int
esc_flags(const struct cellctx *c)
{
	return c->raw ? PIPC_ESC_SPACE : 0;
}

static void
get_type(const struct cellctx *c, struct val *v)
{
	v->s = pipc_type_name(c->o->type);
}

static void
get_name(const struct cellctx *c, struct val *v)
{
	v->pre = "/";
	v->s = c->o->name;
}

/* A gc quarantine shows the name it had: pipc-gc(1). */
static const char *
text_name(const struct cellctx *c)
{
	pipc_gc_label(c->buf, c->size, c->o, esc_flags(c));
	return c->buf;
}

static void
get_quarantine(const struct cellctx *c, struct val *v)
{
	v->pre = "/";
	if ((v->s = pipc_gc_origin(c->o)) == NULL)
		v->has = V_UNKNOWN;
}

/*
 * "DIR/" of each kind, or of each place (-A, -N), made once: a listing has
 * thousands of paths.
 */
static const char *
dir_slash(const struct pipc_obj *o)
{
	static char *v[PIPC_NTYPES], **pv;
	static size_t npv;
	size_t i;

	if (places.active) {
		if (pv == NULL) {
			if ((pv = calloc(places.n + 1, sizeof(*pv))) == NULL)
				err(1, NULL);
			for (i = 0; i < places.n; i++)
				if (asprintf(&pv[i], "%s/",
				    places.v[i].shown) == -1)
					err(1, NULL);
			npv = places.n;
		}
		return o->where < npv ? pv[o->where] : "";
	}
	if (v[o->type] == NULL && asprintf(&v[o->type], "%s/",
	    pipc_dir_of(&dirs, o->type)) == -1)
		err(1, NULL);
	return v[o->type];
}

static void
get_path(const struct cellctx *c, struct val *v)
{
	v->pre = dir_slash(c->o);
	v->s = c->o->file;
}

static const char *
text_path(const struct cellctx *c)
{
	size_t n = strlcpy(c->buf, dir_slash(c->o), c->size);

	if (n < c->size)
		pipc_escape_text(c->buf + n, c->size - n, c->o->file,
		    esc_flags(c));
	return c->buf;
}

/* Its place, with -A and -N; NULL without. */
static const struct place *
place_of(const struct pipc_obj *o)
{
	return places.active && o->where < places.n ? &places.v[o->where] :
	    NULL;
}

static void
get_container(const struct cellctx *c, struct val *v)
{
	const struct place *p = place_of(c->o);

	if (p == NULL)
		v->has = V_NONE;
	else
		v->s = p->label;
}

/* The label, and what it was made of. */
static void
json_container(struct json *j, const char *key, const struct cellctx *c)
{
	const struct place *p = place_of(c->o);
	const struct pipc_cglabel *cl;

	if (p == NULL) {
		json_null(j, key);
		return;
	}
	cl = p->store != NULL ? &p->store->label : &p->ns->label;
	json_object(j, key);
	json_str(j, "label", p->label);
	json_str(j, "runtime", pipc_runtime_name(cl->runtime));
	if (cl->runtime == PIPC_RT_KUBERNETES)
		json_str(j, "engine", pipc_runtime_name(cl->engine));
	if (cl->id[0] != '\0')
		json_str(j, "id", cl->id);
	else
		json_null(j, "id");
	if (cl->pod[0] != '\0')
		json_str(j, "pod", cl->pod);
	else
		json_null(j, "pod");
	if (cl->name[0] != '\0')
		json_str(j, "name", cl->name);
	else
		json_null(j, "name");
	json_end(j);
}

static void
get_store(const struct cellctx *c, struct val *v)
{
	const struct place *p = place_of(c->o);

	if (p == NULL)
		v->has = V_NONE;
	else
		v->s = p->id;
}

static void
get_size(const struct cellctx *c, struct val *v)
{
	v->n = c->o->st.st_size;
}

static const char *
text_size(const struct cellctx *c)
{
	return size_shown(c->buf, c->o->st.st_size, c->bytes);
}

static void
get_uid(const struct cellctx *c, struct val *v)
{
	v->n = c->o->st.st_uid;
}

static void
get_user(const struct cellctx *c, struct val *v)
{
	if ((v->s = id_name(0, c->o->st.st_uid)) == NULL)
		v->has = V_UNKNOWN;
}

/* A user or group without a name shows as its ID. */
static const char *
text_user(const struct cellctx *c)
{
	const char *s = id_name(0, c->o->st.st_uid);

	return s != NULL ? s : decimal(c->buf, c->o->st.st_uid);
}

static void
get_gid(const struct cellctx *c, struct val *v)
{
	v->n = c->o->st.st_gid;
}

static void
get_group(const struct cellctx *c, struct val *v)
{
	if ((v->s = id_name(1, c->o->st.st_gid)) == NULL)
		v->has = V_UNKNOWN;
}

static const char *
text_group(const struct cellctx *c)
{
	const char *s = id_name(1, c->o->st.st_gid);

	return s != NULL ? s : decimal(c->buf, c->o->st.st_gid);
}

/* Four octal digits without printf, like "%04o". */
static void
get_mode(const struct cellctx *c, struct val *v)
{
	int i;

	for (i = 0; i < 4; i++)
		c->buf[i] = (char)('0' + (c->o->st.st_mode >> (9 - 3 * i) & 7));
	c->buf[4] = '\0';
	v->s = c->buf;
}

static void
get_mtime(const struct cellctx *c, struct val *v)
{
	v->n = c->o->st.st_mtime;
}

static const char *
text_mtime(const struct cellctx *c)
{
	struct tm tm;

	localtime_r(&c->o->st.st_mtime, &tm);
	strftime(c->buf, c->size, "%Y-%m-%dT%H:%M:%S", &tm);
	return c->buf;
}

static void
get_inode(const struct cellctx *c, struct val *v)
{
	v->n = (long long)c->o->st.st_ino;
}

/* Held, says the kernel, by a process /proc did not show. */
static int
unseen(const struct pipc_obj *o)
{
	return o->held == PIPC_HELD_YES && o->nhold == 0 &&
	    (o->by & PIPC_BY_KERNEL);
}

static const char *
text_holders(const struct cellctx *c)
{
	if (c->o->nhold == 0 && c->o->state == PIPC_UNKNOWN)
		return "?";
	if (!unseen(c->o))
		return decimal(c->buf, c->o->nhold);
	snprintf(c->buf, c->size, "%u+", (unsigned)c->o->nhold);
	return c->buf;
}

static void
json_holders(struct json *j, const char *key, const struct cellctx *c)
{
	const struct pipc_proc *p;
	uint32_t i;

	json_array(j, key, 0);
	for (i = 0; i < c->o->nhold; i++) {
		p = &c->l->procs[c->o->hold[i]];
		json_object(j, NULL);
		json_int(j, "pid", p->pid);
		if (places.active && p->nspid != 0)
			json_int(j, "nspid", p->nspid);
		else if (places.active)
			json_null(j, "nspid");
		json_str(j, "comm", p->comm);
		json_end(j);
	}
	json_end(j);
}

static const char *
text_pids(const struct cellctx *c)
{
	const struct pipc_proc *p;
	char comm[64];
	size_t n, i;

	if (c->o->nhold == 0)
		return "-";
	for (n = 0, i = 0; i < c->o->nhold && n < c->size; i++) {
		p = &c->l->procs[c->o->hold[i]];
		pipc_escape_text(comm, sizeof(comm), p->comm, esc_flags(c));
		n += (size_t)snprintf(c->buf + n, c->size - n, "%s%d", i ? "," :
		    "", (int)p->pid);
		if (p->nspid != 0 && n < c->size)
			n += (size_t)snprintf(c->buf + n, c->size - n, "[%d]",
			    (int)p->nspid);
		if (n < c->size)
			n += (size_t)snprintf(c->buf + n, c->size - n, "(%s)",
			    comm);
	}
	return c->buf;
}

static void
get_unseen(const struct cellctx *c, struct val *v)
{
	v->n = unseen(c->o);
}

static void
get_source(const struct cellctx *c, struct val *v)
{
	switch (c->o->by) {
	case PIPC_BY_PROC:
		v->s = "proc";
		break;
	case PIPC_BY_KERNEL:
		v->s = "kernel";
		break;
	case PIPC_BY_PROC | PIPC_BY_KERNEL:
		v->s = "both";
		break;
	default:
		v->has = V_NONE;
	}
}

static void
get_state(const struct cellctx *c, struct val *v)
{
	v->s = pipc_state_name(c->o->state);
}

/* A number of the semaphore's or the queue's file: unknown if unread. */
static void
fact(const struct cellctx *c, struct val *v, long long n)
{
	v->n = n;
	if (!c->o->facts)
		v->has = V_UNKNOWN;
}

/* A number mq_getattr gives: unknown if the queue could not be opened. */
static void
attr(const struct cellctx *c, struct val *v, long long n)
{
	v->n = n;
	if (!c->o->attrs)
		v->has = V_UNKNOWN;
}

static void
get_value(const struct cellctx *c, struct val *v)
{
	fact(c, v, c->o->value);
}

static void
get_waiters(const struct cellctx *c, struct val *v)
{
	fact(c, v, c->o->waiters);
}

static void
get_temp(const struct cellctx *c, struct val *v)
{
	v->n = c->o->temp;
}

static void
get_size_mapped(const struct cellctx *c, struct val *v)
{
	v->n = c->o->sizemapped;
}

static const char *
text_lock_owner(const struct cellctx *c)
{
	const struct pipc_owner *w = c->o->lock;
	char comm[64];

	if (w == NULL)
		return "-";
	pipc_escape_text(comm, sizeof(comm), w->comm, esc_flags(c));
	snprintf(c->buf, c->size, "%d(%s)", (int)w->pid,
	    w->alive == PIPC_OWNER_DEAD ? "dead" :
	    w->alive == PIPC_OWNER_UNKNOWN ? "?" : comm);
	return c->buf;
}

/* The record of a held lock, or null; alive is null if unknown. */
static void
json_lock_owner(struct json *j, const char *key, const struct cellctx *c)
{
	const struct pipc_owner *w = c->o->lock;

	if (w == NULL) {
		json_null(j, key);
		return;
	}
	json_object(j, key);
	json_int(j, "pid", w->pid);
	json_uint(j, "start", w->start);
	json_str(j, "boot_id", w->boot_id);
	json_uint(j, "pidns", w->pidns);
	if (w->alive == PIPC_OWNER_UNKNOWN)
		json_null(j, "alive");
	else
		json_bool(j, "alive", w->alive == PIPC_OWNER_ALIVE);
	json_end(j);
}

static void
get_msgs(const struct cellctx *c, struct val *v)
{
	attr(c, v, c->o->msgs);
}

static void
get_maxmsg(const struct cellctx *c, struct val *v)
{
	attr(c, v, c->o->maxmsg);
}

static void
get_msgsize(const struct cellctx *c, struct val *v)
{
	attr(c, v, c->o->msgsize);
}

static void
get_qsize(const struct cellctx *c, struct val *v)
{
	fact(c, v, c->o->qsize);
}

/* A gc quarantine is its origin's; an unknown name is null. */
static void
get_creator(const struct cellctx *c, struct val *v)
{
	const char *name = c->o->quarantine ? pipc_gc_origin(c->o) : NULL;
	const struct pipc_creator *w;

	w = pipc_creator_of(c->o->type, name != NULL ? name : c->o->name);
	if (w == NULL)
		v->has = V_NONE;
	else
		v->s = w->program;
}

static void
get_notify(const struct cellctx *c, struct val *v)
{
	fact(c, v, c->o->notify_pid);
}

/*
 * The fields, in the order of the JSON object. A new field is a row here
 * (and its get or text above if none of those fits); place puts a column
 * in -H's order, numbered apart because that order is not the JSON's.
 */
#define R	F_RIGHT
#define H	F_HOLDERS
#define D	F_DEFAULT
const struct field ls_fields[] = {
	/* heading, place, key, jtype, kinds, flags, get, text, json, help */
	{ "CONTAINER", 24, "container", J_OBJECT, ALL, F_PLACES, get_container,
	    NULL, json_container,
	    "with -A or -N: the container, pod or host it is in" },
	{ "STORE", 25, "store", J_STR, ALL, F_PLACES, get_store, NULL, NULL,
	    "with -A or -N: its store's device, a queue's ipc:[INODE]" },
	{ "TYPE", 1, "type", J_STR, ALL, D, get_type, NULL, NULL,
	    "kind: %K" },
	{ "NAME", 2, "name", J_STR, ALL, D, get_name, text_name, NULL,
	    "name, as given to *_open" },
	{ NULL, 0, "quarantine", J_STR, ALL, F_QUARANTINE, get_quarantine,
	    NULL, NULL, NULL },
	{ "PATH", 3, "path", J_STR, ALL, 0, get_path, text_path, NULL,
	    "file of the object" },
	{ "SIZE", 4, "size", J_NUM, ALL, R | D, get_size, text_size, NULL,
	    "size in bytes (human unless -b)" },
	{ NULL, 0, "size_mapped", J_BOOL, ALL, F_DELETED, get_size_mapped,
	    NULL, NULL, NULL },
	{ "UID", 6, "uid", J_NUM, ALL, R, get_uid, NULL, NULL,
	    "owning user ID" },
	{ "OWNER", 5, "user", J_STR, ALL, D, get_user, text_user, NULL,
	    "owning user" },
	{ "GID", 8, "gid", J_NUM, ALL, R, get_gid, NULL, NULL,
	    "owning group ID" },
	{ "GROUP", 7, "group", J_STR, ALL, 0, get_group, text_group, NULL,
	    "owning group" },
	{ "MODE", 9, "mode", J_STR, ALL, D, get_mode, NULL, NULL,
	    "permissions, octal" },
	{ "MTIME", 10, "mtime", J_NUM, ALL, 0, get_mtime, text_mtime, NULL,
	    "last change of contents" },
	{ "INODE", 11, "inode", J_NUM, ALL, R, get_inode, NULL, NULL,
	    "inode number" },
	{ "HOLDERS", 12, "holders", J_ARRAY, ALL, R | H | D, NULL,
	    text_holders, json_holders,
	    "processes seen holding it; N+: and more the kernel knows of" },
	{ "PIDS", 13, NULL, J_STR, ALL, H, NULL, text_pids, NULL,
	    "holders as PID(command) or PID[NSPID](command)" },
	{ NULL, 0, "unseen_holder", J_BOOL, ALL, 0, get_unseen, NULL, NULL,
	    NULL },
	{ "SOURCE", 23, "source", J_STR, ALL, H, get_source, NULL, NULL,
	    "what told the state: proc, kernel or both" },
	{ "STATE", 14, "state", J_STR, ALL, H | D, get_state, NULL, NULL,
	    "in-use, orphan, stale-lock, corrupt, deleted, foreign,"
	    " unknown" },
	{ "VALUE", 15, "value", J_NUM, SEM, R | D, get_value, NULL, NULL,
	    "semaphore value" },
	{ "WAITERS", 16, "waiters", J_NUM, SEM, R, get_waiters, NULL, NULL,
	    "semaphore waiters" },
	{ NULL, 0, "temp", J_BOOL, SEM, 0, get_temp, NULL, NULL, NULL },
	{ "LOCKOWNER", 17, "lock_owner", J_OBJECT, SEM, 0, NULL,
	    text_lock_owner, json_lock_owner,
	    "held lock's recorded owner, PID(command) or PID(dead)" },
	{ "MSGS", 18, "msgs", J_NUM, MQ, R | D, get_msgs, NULL, NULL,
	    "messages in the queue" },
	{ "MAXMSG", 19, "maxmsg", J_NUM, MQ, R, get_maxmsg, NULL, NULL,
	    "queue capacity in messages" },
	{ "MSGSIZE", 20, "msgsize", J_NUM, MQ, R, get_msgsize, NULL, NULL,
	    "largest message in bytes" },
	{ "QSIZE", 21, "qsize", J_NUM, MQ, R, get_qsize, NULL, NULL,
	    "bytes of messages queued" },
	{ "NOTIFY", 22, "notify_pid", J_NUM, MQ, R, get_notify, NULL, NULL,
	    "PID registered for notification" },
	{ "CREATOR", 26, "creator", J_STR, ALL, 0, get_creator, NULL, NULL,
	    "program its name says made it: pipc-gc(1) CREATORS" },
};
#undef R
#undef H
#undef D
const size_t ls_nfields = sizeof(ls_fields) / sizeof(ls_fields[0]);

_Static_assert(sizeof(ls_fields) / sizeof(ls_fields[0]) * 2 <= LS_COLS_MAX,
    "-o takes each column twice");

/*
 * A field of some kinds only says nothing of other kinds, nor of a foreign
 * entry, which is no object of any kind.
 */
static const char *
cell(const struct field *f, const struct cellctx *c)
{
	struct val v = { V_SET, 0, NULL, NULL };

	if (!(f->kinds & PIPC_TYPE_BIT(c->o->type)) ||
	    (f->kinds != ALL && c->o->foreign))
		return "-";
	if (f->text != NULL)
		return f->text(c);
	f->get(c, &v);
	if (v.has != V_SET)
		return v.has == V_UNKNOWN ? "?" : "-";
	if (f->jtype == J_NUM)
		return decimal(c->buf, v.n);
	if (f->jtype == J_BOOL)
		return v.n ? "yes" : "no";
	return v.s;
}

/* Terminal cells count code points, not bytes. */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/*
 * The table is formatted once into one buffer, cell after cell, each ended
 * by NUL; widths are taken on the way, then lines are written whole. Pad
 * with memset, not printf("%*s"): a 20,000-row table spent a tenth of its
 * time parsing that format.
 */
struct cells {
	char		*text;
	size_t		 len, cap;
};

static void
cells_add(struct cells *c, const char *s)
{
	size_t n = strlen(s) + 1, cap;
	char *t;

	if (c->cap - c->len < n) {
		cap = c->cap ? c->cap : 65536;
		while (cap - c->len < n)
			cap *= 2;
		if ((t = realloc(c->text, cap)) == NULL)
			err(1, NULL);
		c->text = t;
		c->cap = cap;
	}
	memcpy(c->text + c->len, s, n);
	c->len += n;
}

static void
put_line(char **line, size_t *cap, size_t len)
{
	if (*cap < len) {
		if ((*line = realloc(*line, len)) == NULL)
			err(1, NULL);
		*cap = len;
	}
}

void
ls_print_table(const struct pipc_list *l, const struct opts *op,
    const char *show)
{
	size_t w[LS_COLS_MAX] = { 0 }, i, j, n, pad, cap = 0, len;
	struct cells c = { NULL, 0, 0 };
	char buf[4096], *line = NULL;
	struct cellctx ctx = { l, NULL, op->raw, op->bytes, buf, sizeof(buf) };
	const char *s;
	int right;

	for (j = 0; j < op->ncols && !op->noheadings; j++)
		cells_add(&c, op->cols[j]->heading);
	for (i = 0; i < l->n; i++) {
		ctx.o = &l->v[i];
		for (j = 0; show[i] && j < op->ncols; j++)
			cells_add(&c, cell(op->cols[j], &ctx));
	}
	if (c.len == 0)
		return;
	for (s = c.text, j = 0; !op->raw && s < c.text + c.len;
	    s += strlen(s) + 1, j = (j + 1) % op->ncols)
		if ((n = width(s)) > w[j])
			w[j] = n;
	for (s = c.text; s < c.text + c.len; ) {
		for (len = 0, j = 0; j < op->ncols; j++, s += n + 1) {
			n = strlen(s);
			pad = op->raw ? 0 : w[j] - width(s);
			right = op->cols[j]->flags & F_RIGHT;
			put_line(&line, &cap, len + pad + n + 2);
			if (j > 0)
				line[len++] = ' ';
			if (right) {
				memset(line + len, ' ', pad);
				len += pad;
			}
			memcpy(line + len, s, n);
			len += n;
			if (!right && j + 1 < op->ncols) {
				memset(line + len, ' ', pad);
				len += pad;
			}
		}
		line[len++] = '\n';
		fwrite(line, 1, len, stdout);
	}
	free(line);
	free(c.text);
}

/* A field of some kinds is no key of the others' objects. */
static void
field_json(struct json *j, const struct field *f, const struct cellctx *c)
{
	struct val v = { V_SET, 0, NULL, NULL };

	if (f->key == NULL || !(f->kinds & PIPC_TYPE_BIT(c->o->type)) ||
	    ((f->flags & F_QUARANTINE) && !c->o->quarantine) ||
	    ((f->flags & F_DELETED) && !c->o->deleted) ||
	    ((f->flags & F_PLACES) && !places.active))
		return;
	if (f->json != NULL) {
		f->json(j, f->key, c);
		return;
	}
	f->get(c, &v);
	if (v.has != V_SET)
		json_null(j, f->key);
	else if (f->jtype == J_NUM)
		json_int(j, f->key, v.n);
	else if (f->jtype == J_BOOL)
		json_bool(j, f->key, v.n != 0);
	else
		json_str_pre(j, f->key, v.pre, v.s);
}

void
ls_print_json(const struct pipc_list *l, const char *show)
{
	struct json j;
	char buf[4096];
	struct cellctx ctx = { l, NULL, 0, 0, buf, sizeof(buf) };
	size_t i, k;

	json_begin(&j, JSON_COMPACT);
	json_object(&j, NULL);
	json_array(&j, "objects", 1);
	for (i = 0; i < l->n; i++) {
		if (!show[i])
			continue;
		ctx.o = &l->v[i];
		json_object(&j, NULL);
		for (k = 0; k < ls_nfields; k++)
			field_json(&j, &ls_fields[k], &ctx);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
}

/* inspect: every field of one object, as ls -J writes them. */
void
ls_object_json(struct json *j, const struct pipc_list *l,
    const struct pipc_obj *o)
{
	char buf[4096];
	struct cellctx ctx = { l, o, 0, 1, buf, sizeof(buf) };
	size_t k;

	for (k = 0; k < ls_nfields; k++)
		field_json(j, &ls_fields[k], &ctx);
}

/* inspect: each column of its kind, heading and cell (sizes in bytes). */
void
ls_object_cells(const struct pipc_list *l, const struct pipc_obj *o,
    void (*fn)(const char *, const char *, void *), void *arg)
{
	char buf[4096];
	struct cellctx ctx = { l, o, 0, 1, buf, sizeof(buf) };
	size_t k;

	for (k = 0; k < ls_nfields; k++)
		if (ls_fields[k].heading != NULL &&
		    (ls_fields[k].kinds & PIPC_TYPE_BIT(o->type)) &&
		    (!(ls_fields[k].flags & F_PLACES) || places.active))
			fn(ls_fields[k].heading, cell(&ls_fields[k], &ctx), arg);
}

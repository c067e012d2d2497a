/* ls: list POSIX IPC objects, their holders and their state. */
#include <err.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd.h"

enum col {
	C_TYPE, C_NAME, C_PATH, C_SIZE, C_OWNER, C_UID, C_GROUP, C_GID,
	C_MODE, C_MTIME, C_INODE, C_HOLDERS, C_PIDS, C_STATE, C_VALUE,
	C_WAITERS, C_LOCKOWNER, C_MSGS, C_MAXMSG, C_MSGSIZE, C_QSIZE, C_NOTIFY,
	C_SOURCE, C_NCOLS
};

/* One table drives -o, -H, the help text and the completions. */
static const struct column {
	const char	*name;
	int		 right;		/* numbers are right-aligned */
	int		 holders;	/* needs the /proc scan */
	const char	*help;
} columns[C_NCOLS] = {
	[C_TYPE]	= { "TYPE", 0, 0, "kind: shm, sem or mq" },
	[C_NAME]	= { "NAME", 0, 0, "name, as given to *_open" },
	[C_PATH]	= { "PATH", 0, 0, "file of the object" },
	[C_SIZE]	= { "SIZE", 1, 0, "size in bytes (human unless -b)" },
	[C_OWNER]	= { "OWNER", 0, 0, "owning user" },
	[C_UID]		= { "UID", 1, 0, "owning user ID" },
	[C_GROUP]	= { "GROUP", 0, 0, "owning group" },
	[C_GID]		= { "GID", 1, 0, "owning group ID" },
	[C_MODE]	= { "MODE", 0, 0, "permissions, octal" },
	[C_MTIME]	= { "MTIME", 0, 0, "last change of contents" },
	[C_INODE]	= { "INODE", 1, 0, "inode number" },
	[C_HOLDERS]	= { "HOLDERS", 1, 1, "processes seen holding it; N+: and "
			    "more the kernel knows of" },
	[C_PIDS]	= { "PIDS", 0, 1, "holders as PID(command)" },
	[C_STATE]	= { "STATE", 0, 1, "in-use, orphan, stale-lock, corrupt, "
			    "foreign or unknown" },
	[C_VALUE]	= { "VALUE", 1, 0, "semaphore value" },
	[C_WAITERS]	= { "WAITERS", 1, 0, "semaphore waiters" },
	[C_LOCKOWNER]	= { "LOCKOWNER", 0, 0, "held lock's recorded owner, "
			    "PID(command) or PID(dead)" },
	[C_MSGS]	= { "MSGS", 1, 0, "messages in the queue" },
	[C_MAXMSG]	= { "MAXMSG", 1, 0, "queue capacity in messages" },
	[C_MSGSIZE]	= { "MSGSIZE", 1, 0, "largest message in bytes" },
	[C_QSIZE]	= { "QSIZE", 1, 0, "bytes of messages queued" },
	[C_NOTIFY]	= { "NOTIFY", 1, 0, "PID registered for notification" },
	[C_SOURCE]	= { "SOURCE", 0, 1, "what told the state: proc, kernel "
			    "or both" },
};

static const enum col defaults[] = {
	C_TYPE, C_NAME, C_SIZE, C_OWNER, C_MODE, C_HOLDERS, C_STATE, C_VALUE,
	C_MSGS
};

enum { OPT_ORPHANS = OPT_COMMON_LAST, OPT_STALE };

static const struct option longopts[] = {
	{ "bytes",	  no_argument,	     NULL, 'b' },
	{ "list-columns", no_argument,	     NULL, 'H' },
	{ "json",	  no_argument,	     NULL, 'J' },
	{ "noheadings",	  no_argument,	     NULL, 'n' },
	{ "output",	  required_argument, NULL, 'o' },
	{ "pids",	  no_argument,	     NULL, 'p' },
	{ "raw",	  no_argument,	     NULL, 'r' },
	{ "type",	  required_argument, NULL, 't' },
	{ "null",	  no_argument,	     NULL, '0' },
	{ "orphans",	  no_argument,	     NULL, OPT_ORPHANS },
	{ "stale",	  no_argument,	     NULL, OPT_STALE },
	COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int ls_main(int, char **);

const struct cmd cmd_ls = {
	"ls", ls_main,
	"[-bJnpr0] [-t TYPE]... [-o [+]LIST] [--orphans] [--stale] "
	"[PATTERN...]",
	"  -t, --type TYPE       only shm, sem or mq objects (repeatable)\n"
	"  -p, --pids            add the PIDS column: who holds each object\n"
	"      --orphans         only objects nobody holds\n"
	"      --stale           only stale locks\n"
	"  -o, --output LIST     these columns; +LIST adds to the default\n"
	"  -H, --list-columns    list the columns and exit\n"
	"  -b, --bytes           sizes in bytes\n"
	"  -J, --json            JSON, every field\n"
	"  -n, --noheadings      no heading line\n"
	"  -r, --raw             no alignment, spaces escaped\n"
	"  -0, --null            only names, each ended by NUL\n"
	COMMON_HELP,
	"bHJno:prt:0h", longopts
};

struct opts {
	enum col	 cols[C_NCOLS * 2];
	size_t		 ncols;
	int		 bytes, json, noheadings, raw, null, orphans, stale, pids;
};

/* Small caches: a listing has thousands of objects but few owners. */
static const char *
user_name(uid_t uid)
{
	static struct { uid_t id; char *name; } cache[16];
	static size_t n;
	struct passwd *pw;
	size_t i;

	for (i = 0; i < n; i++)
		if (cache[i].id == uid)
			return cache[i].name;
	pw = getpwuid(uid);
	if (n == sizeof(cache) / sizeof(cache[0]))
		return pw != NULL ? pw->pw_name : NULL;
	cache[n].id = uid;
	cache[n].name = pw != NULL ? strdup(pw->pw_name) : NULL;
	return cache[n++].name;
}

static const char *
group_name(gid_t gid)
{
	static struct { gid_t id; char *name; } cache[16];
	static size_t n;
	struct group *gr;
	size_t i;

	for (i = 0; i < n; i++)
		if (cache[i].id == gid)
			return cache[i].name;
	gr = getgrgid(gid);
	if (n == sizeof(cache) / sizeof(cache[0]))
		return gr != NULL ? gr->gr_name : NULL;
	cache[n].id = gid;
	cache[n].name = gr != NULL ? strdup(gr->gr_name) : NULL;
	return cache[n++].name;
}

static int
parse_columns(struct opts *op, const char *list)
{
	char *copy, *s, *tok;
	size_t i;

	op->ncols = 0;
	if (*list == '+') {
		list++;
		for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			op->cols[op->ncols++] = defaults[i];
	}
	if ((copy = strdup(list)) == NULL)
		err(1, NULL);
	for (s = copy; (tok = strsep(&s, ",")) != NULL; ) {
		for (i = 0; i < C_NCOLS; i++)
			if (strcasecmp(tok, columns[i].name) == 0)
				break;
		if (i == C_NCOLS) {
			warnx("unknown column '%s'; 'pipc ls -H' lists them",
			    shown(tok));
			free(copy);
			return -1;
		}
		if (op->ncols == sizeof(op->cols) / sizeof(op->cols[0])) {
			warnx("too many columns");
			free(copy);
			return -1;
		}
		op->cols[op->ncols++] = (enum col)i;
	}
	free(copy);
	return 0;
}

/* Decimal without printf: a listing formats a hundred thousand numbers. */
static const char *
num(char *buf, unsigned long long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	size_t n;

	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	return buf;
}

/* Held, says the kernel, by a process /proc did not show. */
static int
unseen(const struct pipc_obj *o)
{
	return o->held == PIPC_HELD_YES && o->nhold == 0 &&
	    (o->by & PIPC_BY_KERNEL);
}

static const char *
source(const struct pipc_obj *o)
{
	switch (o->by) {
	case PIPC_BY_PROC:
		return "proc";
	case PIPC_BY_KERNEL:
		return "kernel";
	case PIPC_BY_PROC | PIPC_BY_KERNEL:
		return "both";
	}
	return NULL;
}

static const char *
cell(enum col c, const struct pipc_list *l, const struct pipc_obj *o,
    const struct opts *op, char *buf, size_t size)
{
	char tmp[64];
	const char *s;
	size_t n, i;
	struct tm tm;

	switch (c) {
	case C_TYPE:
		return pipc_type_name(o->type);
	case C_NAME:
		/* A gc quarantine shows the name it had: pipc-gc(1). */
		pipc_gc_label(buf, size, o, op->raw ? PIPC_ESC_SPACE : 0);
		return buf;
	case C_PATH:
		n = (size_t)snprintf(buf, size, "%s/",
		    pipc_dir_of(&dirs, o->type));
		if (n < size)
			pipc_escape_text(buf + n, size - n, o->file,
			    op->raw ? PIPC_ESC_SPACE : 0);
		return buf;
	case C_SIZE:
		return size_shown(buf, o->st.st_size, op->bytes);
	case C_OWNER:
		if ((s = user_name(o->st.st_uid)) != NULL)
			return s;
		/* FALLTHROUGH */
	case C_UID:
		return num(buf, o->st.st_uid);
	case C_GROUP:
		if ((s = group_name(o->st.st_gid)) != NULL)
			return s;
		/* FALLTHROUGH */
	case C_GID:
		return num(buf, o->st.st_gid);
	case C_MODE:
		for (i = 0; i < 4; i++)
			buf[i] = (char)('0' + (o->st.st_mode >> (9 - 3 * i) & 7));
		buf[4] = '\0';
		return buf;
	case C_MTIME:
		localtime_r(&o->st.st_mtime, &tm);
		strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
		return buf;
	case C_INODE:
		return num(buf, o->st.st_ino);
	case C_HOLDERS:
		if (o->nhold == 0 && o->state == PIPC_UNKNOWN)
			return "?";
		num(buf, o->nhold);
		if (unseen(o))
			strlcat(buf, "+", size);
		return buf;
	case C_PIDS:
		if (o->nhold == 0)
			return "-";
		for (n = 0, i = 0; i < o->nhold && n < size; i++) {
			pipc_escape_text(tmp, sizeof(tmp),
			    l->procs[o->hold[i]].comm,
			    op->raw ? PIPC_ESC_SPACE : 0);
			n += (size_t)snprintf(buf + n, size - n, "%s%d(%s)",
			    i ? "," : "", (int)l->procs[o->hold[i]].pid, tmp);
		}
		return buf;
	case C_STATE:
		return pipc_state_name(o->state);
	case C_VALUE:
	case C_WAITERS:
		if (o->type != PIPC_SEM || o->foreign)
			return "-";
		if (!o->facts)
			return "?";
		return num(buf, c == C_VALUE ? o->value : o->waiters);
	case C_LOCKOWNER:
		if (o->lock == NULL)
			return "-";
		pipc_escape_text(tmp, sizeof(tmp), o->lock->comm,
		    op->raw ? PIPC_ESC_SPACE : 0);
		snprintf(buf, size, "%d(%s)", (int)o->lock->pid,
		    o->lock->alive == PIPC_OWNER_DEAD ? "dead" :
		    o->lock->alive == PIPC_OWNER_UNKNOWN ? "?" : tmp);
		return buf;
	case C_MSGS:
	case C_MAXMSG:
	case C_MSGSIZE:
		if (o->type != PIPC_MQ || o->foreign)
			return "-";
		if (!o->attrs)
			return "?";
		snprintf(buf, size, "%ld", c == C_MSGS ? o->msgs :
		    c == C_MAXMSG ? o->maxmsg : o->msgsize);
		return buf;
	case C_QSIZE:
	case C_NOTIFY:
		if (o->type != PIPC_MQ || o->foreign)
			return "-";
		if (!o->facts)
			return "?";
		snprintf(buf, size, "%ld",
		    c == C_QSIZE ? o->qsize : (long)o->notify_pid);
		return buf;
	case C_SOURCE:
		return source(o) != NULL ? source(o) : "-";
	case C_NCOLS:
		break;
	}
	return "";
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
 * Pad with fwrite, not printf("%*s"): a 20,000-row table spent a tenth of
 * its time parsing that format.
 */
/*
 * The table is formatted once into one buffer, cell after cell, each ended
 * by NUL; widths are taken on the way, then lines are written whole.
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

static void
print_table(const struct pipc_list *l, const struct opts *op,
    const char *show)
{
	size_t w[C_NCOLS * 2] = { 0 }, i, j, n, pad, cap = 0, len;
	struct cells c = { NULL, 0, 0 };
	char buf[4096], *line = NULL;
	const char *s;

	for (j = 0; j < op->ncols && !op->noheadings; j++)
		cells_add(&c, columns[op->cols[j]].name);
	for (i = 0; i < l->n; i++)
		for (j = 0; show[i] && j < op->ncols; j++)
			cells_add(&c, cell(op->cols[j], l, &l->v[i], op, buf,
			    sizeof(buf)));
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
			put_line(&line, &cap, len + pad + n + 2);
			if (j > 0)
				line[len++] = ' ';
			if (columns[op->cols[j]].right) {
				memset(line + len, ' ', pad);
				len += pad;
			}
			memcpy(line + len, s, n);
			len += n;
			if (!columns[op->cols[j]].right && j + 1 < op->ncols) {
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

/* "lock_owner": the record of a held lock, or null; alive null if unknown. */
static void
print_lock_owner(struct json *j, const struct pipc_obj *o)
{
	if (o->lock == NULL) {
		json_null(j, "lock_owner");
		return;
	}
	json_object(j, "lock_owner");
	json_int(j, "pid", o->lock->pid);
	json_uint(j, "start", o->lock->start);
	json_str(j, "boot_id", o->lock->boot_id);
	json_uint(j, "pidns", o->lock->pidns);
	if (o->lock->alive == PIPC_OWNER_UNKNOWN)
		json_null(j, "alive");
	else
		json_bool(j, "alive", o->lock->alive == PIPC_OWNER_ALIVE);
	json_end(j);
}

/* A number, or null where it could not be read. */
static void
json_known(struct json *j, const char *key, long long v, int known)
{
	if (known)
		json_int(j, key, v);
	else
		json_null(j, key);
}

static void
print_json(const struct pipc_list *l, const char *show)
{
	const struct pipc_obj *o;
	struct json j;
	char dir[4096];
	size_t i, k;

	json_begin(&j, JSON_COMPACT);
	json_object(&j, NULL);
	json_array(&j, "objects", 1);
	for (i = 0; i < l->n; i++) {
		if (!show[i])
			continue;
		o = &l->v[i];
		json_object(&j, NULL);
		json_str(&j, "type", pipc_type_name(o->type));
		json_str_pre(&j, "name", "/", o->name);
		if (o->quarantine)
			json_str_pre(&j, "quarantine", "/", pipc_gc_origin(o));
		snprintf(dir, sizeof(dir), "%s/", pipc_dir_of(&dirs, o->type));
		json_str_pre(&j, "path", dir, o->file);
		json_int(&j, "size", o->st.st_size);
		json_int(&j, "uid", o->st.st_uid);
		json_str(&j, "user", user_name(o->st.st_uid));
		json_int(&j, "gid", o->st.st_gid);
		json_str(&j, "group", group_name(o->st.st_gid));
		snprintf(dir, sizeof(dir), "%04o",
		    (unsigned)o->st.st_mode & 07777);
		json_str(&j, "mode", dir);
		json_int(&j, "mtime", o->st.st_mtime);
		json_int(&j, "inode", (long long)o->st.st_ino);
		json_array(&j, "holders", 0);
		for (k = 0; k < o->nhold; k++) {
			json_object(&j, NULL);
			json_int(&j, "pid", l->procs[o->hold[k]].pid);
			json_str(&j, "comm", l->procs[o->hold[k]].comm);
			json_end(&j);
		}
		json_end(&j);
		json_bool(&j, "unseen_holder", unseen(o));
		json_str(&j, "source", source(o));
		json_str(&j, "state", pipc_state_name(o->state));
		if (o->type == PIPC_SEM) {
			json_known(&j, "value", o->value, o->facts);
			json_known(&j, "waiters", o->waiters, o->facts);
			json_bool(&j, "temp", o->temp);
			print_lock_owner(&j, o);
		} else if (o->type == PIPC_MQ) {
			json_known(&j, "msgs", o->msgs, o->attrs);
			json_known(&j, "maxmsg", o->maxmsg, o->attrs);
			json_known(&j, "msgsize", o->msgsize, o->attrs);
			json_known(&j, "qsize", o->qsize, o->facts);
			json_known(&j, "notify_pid", o->notify_pid, o->facts);
		}
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
}

static void
list_columns(void)
{
	size_t i;

	for (i = 0; i < C_NCOLS; i++)
		printf("%-8s %s\n", columns[i].name, columns[i].help);
}

/*
 * Which objects to show: the kinds asked for, matching a PATTERN if any
 * (each may carry a kind prefix), passing --orphans/--stale. Returns how
 * many PATTERNs matched nothing.
 */
static int
select_objects(const struct pipc_list *l, const struct opts *op,
    int argc, char **argv, char *show)
{
	char *hit;
	size_t i;
	int a, bad = 0;

	if ((hit = calloc(argc + 1, 1)) == NULL)
		err(1, NULL);
	for (i = 0; i < l->n; i++) {
		const struct pipc_obj *o = &l->v[i];

		show[i] = argc == 0;
		for (a = 0; a < argc; a++)
			if (pattern_match(argv[a], o, NULL))
				show[i] = hit[a] = 1;
		if ((op->orphans && o->state != PIPC_ORPHAN &&
		    o->state != PIPC_STALE_LOCK) ||
		    (op->stale && o->state != PIPC_STALE_LOCK))
			show[i] = 0;
	}
	for (a = 0; a < argc; a++)
		if (!hit[a]) {
			warnx("%s: no such object", shown(argv[a]));
			bad++;
		}
	free(hit);
	return bad;
}

/* Say why objects are unknown, once, and only where some are. */
static void
warn_unread(const struct pipc_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].state == PIPC_UNKNOWN)
			break;
	if (i < l->n)
		warn_unseen(l, "are 'unknown'");
}

static int
ls_main(int argc, char **argv)
{
	struct pipc_list l;
	struct opts op;
	unsigned types = 0;
	char *show;
	size_t i;
	int ch, rv = 0, holders;

	memset(&op, 0, sizeof(op));
	memcpy(op.cols, defaults, sizeof(defaults));
	op.ncols = sizeof(defaults) / sizeof(defaults[0]);
	while ((ch = getopt_long(argc, argv, cmd_ls.shortopts, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b': op.bytes = 1; break;
		case 'H': list_columns(); return 0;
		case 'J': op.json = 1; break;
		case 'n': op.noheadings = 1; break;
		case 'o':
			if (parse_columns(&op, optarg) == -1)
				return 2;
			break;
		case 'p': op.pids = 1; break;
		case 'r': op.raw = 1; break;
		case 't': types |= type_arg(optarg); break;
		case '0': op.null = 1; break;
		case OPT_ORPHANS: op.orphans = 1; break;
		case OPT_STALE: op.stale = 1; break;
		default:
			common_option(&cmd_ls, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	/* -p adds PIDS to whatever -o chose, before or after it. */
	for (i = 0; op.pids && i < op.ncols && op.cols[i] != C_PIDS; i++)
		continue;
	if (op.pids && i == op.ncols) {
		if (op.ncols == sizeof(op.cols) / sizeof(op.cols[0])) {
			warnx("too many columns");
			return 2;
		}
		op.cols[op.ncols++] = C_PIDS;
	}
	types = pattern_types(types, argc, argv);
	holders = op.json || op.orphans || op.stale;
	for (i = 0; i < op.ncols && !op.null; i++)
		holders |= columns[op.cols[i]].holders;

	if (pipc_scan(&l, &dirs, types | (holders ? PIPC_SCAN_HELD : 0)) ==
	    -1) {
		warn("%s", l.scan_path);
		rv = 1;
	}
	if (l.mq_missing && (types & PIPC_TYPE_BIT(PIPC_MQ))) {
		warn_no_mqueue("queues not listed");
		if (types == PIPC_TYPE_BIT(PIPC_MQ))
			rv = 1;
	}
	if (holders) {
		if (pipc_holders(&l) == -1) {
			warn("/proc");
			l.incomplete = 1;
			rv = 1;
		}
		pipc_classify(&l);
		warn_unread(&l);
	}
	pipc_list_sort(&l);
	if ((show = malloc(l.n + 1)) == NULL)
		err(1, NULL);
	if (select_objects(&l, &op, argc, argv, show) > 0)
		rv = 1;
	if (op.null) {
		for (i = 0; i < l.n; i++)
			if (show[i])
				printf("/%s%c", l.v[i].name, '\0');
	} else if (op.json)
		print_json(&l, show);
	else
		print_table(&l, &op, show);
	free(show);
	pipc_list_free(&l);
	return rv;
}

int
ls_complete_columns(void)
{
	size_t i;

	for (i = 0; i < C_NCOLS; i++)
		printf("%s\n", columns[i].name);
	return 0;
}

int
ls_complete_objects(const char *type)
{
	struct pipc_list l;
	enum pipc_type t;
	size_t i;

	if (type != NULL && pipc_type_parse(type, &t) == -1)
		return 2;
	pipc_scan(&l, &dirs, type != NULL ? PIPC_TYPE_BIT(t) : PIPC_ALL_TYPES);
	pipc_list_sort(&l);
	for (i = 0; i < l.n; i++)
		if (!l.v[i].foreign && strpbrk(l.v[i].name, "\n\t ") == NULL)
			printf("/%s\n", l.v[i].name);
	pipc_list_free(&l);
	return 0;
}

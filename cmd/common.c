/* Helpers every subcommand shares: usage, common options, stdout errors. */
#include <err.h>
#include <errno.h>
#include <fnmatch.h>
#include <libutil.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd.h"

struct pipc_dirs dirs;

void
usage(const struct cmd *c)
{
	fprintf(stderr, "usage: pipc %s %s\n", c->name, synopsis(c));
	fprintf(stderr, "Try 'pipc %s -h' for more information.\n", c->name);
	exit(2);
}

void
help(const struct cmd *c)
{
	printf("usage: pipc %s %s\n\n", c->name, synopsis(c));
	print_options(c->opts);
	exit(finish_stdout(0));
}

/* Handle an option that means the same in every subcommand. */
int
common_option(const struct cmd *c, int ch, const char *arg)
{
	switch (ch) {
	case OPT_SHM_DIR:
		dirs.shm = arg;
		return 1;
	case OPT_MQUEUE_DIR:
		dirs.mq = arg;
		return 1;
	case 'h':
		help(c);
	default:
		usage(c);
	}
}

/* A name in a message, every byte of it escaped (\xHH), and a prefix. */
#define SHOWN_NAME_MAX	(NAME_MAX * 4 + 8)

/*
 * Words in messages are escaped, so that no control byte reaches the
 * terminal: prefix, then s escaped, into buf. shown, obj_label and
 * shown_kept differ only in their buffers: some callers keep what they
 * got while others show more words, so each set is its own.
 */
static const char *
escaped_word(char *buf, size_t size, const char *prefix, const char *s)
{
	size_t n = strlcpy(buf, prefix, size);

	pipc_escape_text(buf + n, size - n, s, 0);
	return buf;
}

/* A word from the command line. Four buffers in turn: up to four may
 * stand in one message; keep none. */
const char *
shown(const char *s)
{
	static char buf[4][1024];
	static unsigned next;

	next = (next + 1) % 4;
	return escaped_word(buf[next], sizeof(buf[next]), "", s);
}

/* An object's name as "kind:/name", or "/name" for no kind (t < 0). Two
 * buffers in turn: a command may keep one as its label for a while. */
const char *
obj_label(int t, const char *name)
{
	static char buf[2][SHOWN_NAME_MAX];
	static unsigned next;
	char prefix[16];

	next = !next;
	snprintf(prefix, sizeof(prefix), "%s%s/",
	    t >= 0 ? pipc_type_name((enum pipc_type)t) : "", t >= 0 ? ":" : "");
	return escaped_word(buf[next], sizeof(buf[next]), prefix,
	    name[0] == '/' ? name + 1 : name);
}

/* The name a command shows in every message (lock's), and lock's other
 * words: one buffer, kept until the next call. */
const char *
shown_kept(const char *s)
{
	static char buf[SHOWN_NAME_MAX];

	return escaped_word(buf, sizeof(buf), "", s);
}

/*
 * Decimal without printf: a listing formats a hundred thousand numbers.
 * Written at the end of buf (DECIMAL_MAX bytes); returns where it begins.
 */
const char *
decimal(char *buf, long long v)
{
	unsigned long long u = v < 0 ? -(unsigned long long)v :
	    (unsigned long long)v;
	char *p = buf + DECIMAL_MAX;

	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	return p;
}

/* A size as tables show it, in four characters at most (4.1K, 1.5M), or in
 * bytes with -b or where those will not do. buf holds DECIMAL_MAX bytes. */
const char *
size_shown(char *buf, long long v, int bytes)
{
	if (!bytes && humanize_number(buf, 5, v, "", HN_AUTOSCALE,
	    HN_NOSPACE | HN_DECIMAL) != -1)
		return buf;
	return decimal(buf, v);
}

/*
 * Why some objects are 'unknown': processes that could not be read, or a
 * /proc that hides them. what says what that meant for the command.
 */
void
warn_unseen(const struct pipc_list *l, const char *what)
{
	if (l->nunread == 0)
		warnx("/proc hides other users' processes (hidepid): objects "
		    "nobody is seen to hold %s", what);
	else
		warnx("%zu process%s (PID %d%s) could not be read: objects "
		    "nobody is seen to hold %s%s", l->nunread,
		    l->nunread > 1 ? "es" : "", (int)l->unread_pid,
		    l->nunread > 1 ? ", ..." : "", what,
		    geteuid() != 0 ? "; run as root to see every holder" : "");
}

/*
 * The kinds to read for -t's kinds (all when none) and these PATTERNs:
 * a PATTERN with a kind prefix asks for that kind alone.
 */
unsigned
pattern_types(unsigned types, int argc, char **argv)
{
	unsigned mask = 0, m;
	const char *rest, *taken;
	int a;

	if (types == 0)
		types = PIPC_ALL_TYPES;
	for (a = 0; a < argc; a++) {
		m = 0;
		pipc_name_split(argv[a], &m, &rest);
		mask |= m ? m : types;
		/* Such a file is another kind's ("sem.x" a semaphore's): no
		 * pattern of this kind can match it. */
		if (m != 0 && pipc_name_taken(rest + (*rest == '/'),
		    (enum pipc_type)(ffs((int)m) - 1), &taken) != -1)
			check_name(rest, (enum pipc_type)(ffs((int)m) - 1));
	}
	return argc > 0 ? types & mask : types;
}

/* Whether PATTERN (a glob, with an optional kind prefix and '/') matches
 * the object, by its name or by the name given. */
int
pattern_match(const char *pattern, const struct pipc_obj *o,
    const char *name)
{
	unsigned mask = PIPC_ALL_TYPES;
	const char *pat;

	pipc_name_split(pattern, &mask, &pat);
	if (*pat == '/')
		pat++;
	return (mask & PIPC_TYPE_BIT(o->type)) &&
	    fnmatch(pat, name != NULL ? name : o->name, 0) == 0;
}

/* "shm, sem or mq": every kind, as a sentence lists them; keep none. */
const char *
kind_list(void)
{
	const char *names[PIPC_NTYPES];
	int i;

	for (i = 0; i < PIPC_NTYPES; i++)
		names[i] = pipc_type_name((enum pipc_type)i);
	return list_words(names, PIPC_NTYPES);
}

/*
 * A help text with "%K" where the kinds are listed, so that a new kind
 * is named in every help by its row alone; keep none.
 */
const char *
with_kinds(const char *help)
{
	static char buf[512];
	const char *k;

	if ((k = strstr(help, "%K")) == NULL)
		return help;
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(k - help), help,
	    kind_list(), k + 2);
	return buf;
}

/* The kind -t names, as a bit of a type mask; exit 2 for an unknown one. */
unsigned
type_arg(const char *arg)
{
	enum pipc_type t;

	if (pipc_type_parse(arg, &t) == -1)
		errx(2, "unknown type '%s': use %s", shown(arg), kind_list());
	return PIPC_TYPE_BIT(t);
}

/* "a, b or c", as a sentence lists words; keep none. */
const char *
list_words(const char *const *words, size_t n)
{
	static char buf[512];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strlcat(buf, i + 1 == n ? " or " : ", ", sizeof(buf));
		strlcat(buf, words[i], sizeof(buf));
	}
	return buf;
}

/*
 * The queue directory is missing or is no mqueue mount: say so, and how to
 * mount one. what, if not NULL, says what that means for this command.
 */
void
warn_no_mqueue(const char *what)
{
	struct stat st;
	int missing = stat(dirs.mq, &st) == -1;

	warnx("%s %s%s%s (%s%s%smount -t mqueue none %s, or give --mqueue-dir)",
	    dirs.mq, missing ? "does not exist" : "is not an mqueue filesystem",
	    what != NULL ? ": " : "", what != NULL ? what : "",
	    missing ? "mkdir -p " : "", missing ? dirs.mq : "",
	    missing ? " && " : "", dirs.mq);
}

/* A write error on stdout is a failure, except a closed pipe. */
int
finish_stdout(int status)
{
	errno = 0;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno == EPIPE)
			return status;
		/* An earlier write failed: its errno is gone. */
		if (errno == 0)
			warnx("write error on standard output");
		else
			warn("write error on standard output");
		return status ? status : 1;
	}
	return status;
}

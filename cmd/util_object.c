/* What create, rm, map, send and recv share: names, numbers, directories. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

/* The bare name, or exit 2 naming the rule the name broke. */
const char *
check_name(const char *arg, enum pipc_type t)
{
	const char *name, *why, *rest, *dummy;
	char buf[NAME_MAX * 4 + 8], othername[NAME_MAX * 4 + 8];
	int other;

	if ((name = pipc_name_check(arg, t, &why)) != NULL)
		return name;
	pipc_escape_text(buf, sizeof(buf), arg, 0);
	/* A shm name that begins "sem." is the file of a semaphore: the user
	 * may have meant that one, if its name is good as it stands (a
	 * leading '/' there would be a second one). */
	if ((other = pipc_name_taken(arg[0] == '/' ? arg + 1 : arg, t,
	    &rest)) != -1 &&
	    pipc_name_check(rest, (enum pipc_type)other, &dummy) == rest) {
		pipc_escape_text(othername, sizeof(othername), rest, 0);
		errx(2, "'%s': %s; for the %s /%s, say %s:%s", buf, why,
		    pipc_kind((enum pipc_type)other)->word, othername,
		    pipc_type_name((enum pipc_type)other), othername);
	}
	errx(2, "'%s': %s", buf, why);
}

/* Open the directory of kind t, or say why not and return -1. */
int
open_dir(enum pipc_type t)
{
	const char *dir = pipc_dir_of(&dirs, t);
	int dfd;

	if ((dfd = pipc_dir_open(&dirs, t)) != -1)
		return dfd;
	if (errno == EMEDIUMTYPE)
		warn_no_mqueue(NULL);
	else
		warn("%s", dir);
	return -1;
}

/* "-s: '12Q' is not a size: ..." or "... is too large: ...", exit 2. */
static void __attribute__((noreturn))
bad_number(const char *opt, const char *arg, const char *what,
    const char *max)
{
	char buf[256];

	pipc_escape_text(buf, sizeof(buf), arg, 0);
	if (errno == ERANGE)
		errx(2, "%s: '%s' is too large: %s", opt, buf, max);
	errx(2, "%s: '%s' is not %s", opt, buf, what);
}

uint64_t
size_arg(const char *opt, const char *arg)
{
	uint64_t v;

	if (pipc_parse_size(arg, &v) == -1)
		bad_number(opt, arg, "a size: give bytes, or a number with a "
		    "K, M, G, T, P or E suffix (powers of 1024)",
		    "at most 2^63-1 bytes");
	return v;
}

mode_t
mode_arg(const char *arg)
{
	mode_t m;

	if (pipc_parse_mode(arg, &m) == -1)
		bad_number("-m", arg, "an octal mode from 0 to 7777 (like 600 "
		    "or 0644)", "an octal mode goes up to 7777");
	return m;
}

long long
count_arg(const char *opt, const char *arg, long long min, long long max)
{
	const char *e;
	long long v;

	v = strtonum(arg, min, max, &e);
	if (e != NULL)
		errx(2, "%s: '%s' is %s: give a whole number from %lld to "
		    "%lld", opt, arg, e, min, max);
	return v;
}

struct timespec
seconds_arg(const char *opt, const char *arg)
{
	struct timespec ts;

	if (pipc_parse_seconds(arg, &ts) == -1)
		bad_number(opt, arg, "a number of seconds (like 5 or 0.25)",
		    "at most 2147483647 seconds");
	return ts;
}

/* "pipc lock, unlock or ls": the commands for an object of kind t. */
static const char *
served_by(enum pipc_type t)
{
	static char buf[256];
	const char *words[16];
	size_t n;

	for (n = 0; pipc_kind(t)->cmds[n] != NULL && n < 15; n++)
		words[n] = pipc_kind(t)->cmds[n];
	words[n++] = "ls";
	snprintf(buf, sizeof(buf), "pipc %s", list_words(words, n));
	return buf;
}

/*
 * The bare name of an operand of kind want, or exit 2 when its prefix says
 * another kind; serves says what the command is for ("map serves shared
 * memory").
 */
const char *
kind_operand(const char *arg, enum pipc_type want, const char *serves)
{
	const char *rest;
	unsigned mask = 0;
	enum pipc_type t;

	if (pipc_name_split(arg, &mask, &rest) && mask != PIPC_TYPE_BIT(want)) {
		t = (enum pipc_type)(ffs((int)mask) - 1);
		errx(2, "%s: %s; for %s use %s", shown(arg), serves,
		    pipc_kind(t)->noun, served_by(t));
	}
	return check_name(rest, want);
}

/* No such object of kind want: exit 2 if the name is one of another kind,
 * naming the command for it, else 1. */
void
no_such(const char *name, const char *label, enum pipc_type want,
    const char *serves)
{
	unsigned other;
	int t;

	other = pipc_exists(&dirs, name, PIPC_ALL_TYPES & ~PIPC_TYPE_BIT(want));
	for (t = 0; t < PIPC_NTYPES; t++)
		if (other & PIPC_TYPE_BIT(t))
			errx(2, "%s is %s: %s; use %s", label,
			    pipc_kind((enum pipc_type)t)->noun, serves,
			    served_by((enum pipc_type)t));
	errx(1, "%s: no such %s", label, pipc_kind(want)->missing);
}

/*
 * Open the queue an operand names, by its file in the queue directory
 * (see pipc_mq_open), or exit: 2 for a name of another kind, 1 else.
 *
 * Another process's lease on the file would hold the open up for the
 * kernel's lease-break-time, whatever -n or -w say: the file is opened
 * O_NONBLOCK, which fails at once instead, and tried again until end (a
 * CLOCK_REALTIME deadline; NULL: for ever), or not at all with O_NONBLOCK
 * in oflags; then exit 3, saying so (-w's argument in waitarg). The fd
 * keeps O_NONBLOCK only if oflags asked for it.
 */
int
open_queue(const char *arg, int oflags, const char **label,
    const struct timespec *end, const char *waitarg)
{
	static const char serves[] = "send and recv serve message queues";
	struct timespec pause = { 0, 1000000 }, now;
	const char *name;
	int dfd, fd, fl;

	name = kind_operand(arg, PIPC_MQ, serves);
	*label = obj_label(-1, name);
	if ((dfd = open_dir(PIPC_MQ)) == -1)
		exit(1);
	while ((fd = pipc_mq_open(dfd, name, oflags | O_NONBLOCK)) == -1 &&
	    (errno == EWOULDBLOCK || errno == EINTR) &&
	    !(oflags & O_NONBLOCK)) {
		clock_gettime(CLOCK_REALTIME, &now);
		if (end != NULL && (now.tv_sec > end->tv_sec ||
		    (now.tv_sec == end->tv_sec && now.tv_nsec >= end->tv_nsec)))
			break;
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 32000000)
			pause.tv_nsec *= 2;
	}
	if (fd == -1) {
		if (errno == ENOENT)
			no_such(name, *label, PIPC_MQ, serves);
		if (errno == EINVAL)
			errx(1, "%s: not a message queue", *label);
		if (errno == EWOULDBLOCK && waitarg != NULL &&
		    !(oflags & O_NONBLOCK))
			errx(3, "%s: timed out after %s s: another process "
			    "holds a lease on its file", *label, waitarg);
		if (errno == EWOULDBLOCK)
			errx(3, "%s: busy: another process holds a lease on "
			    "its file", *label);
		err(1, "%s", *label);
	}
	close(dfd);
	if (!(oflags & O_NONBLOCK) && ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1))
		err(1, "%s", *label);
	return fd;
}

/* When -w SECS ends, as the CLOCK_REALTIME deadline mq_timed* want. */
struct timespec
deadline(struct timespec wait)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec += wait.tv_sec;
	if ((now.tv_nsec += wait.tv_nsec) >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	return now;
}

/*
 * rm, inspect: the kinds and bare name of an operand (a KIND: prefix
 * narrows types to mask); a bad one is a usage error before anything.
 */
const char *
object_operand(const char *arg, unsigned types, unsigned *mask)
{
	const char *rest, *name, *why;
	unsigned m = 0;
	int t;

	*mask = types;
	if (pipc_name_split(arg, &m, &rest)) {
		if (!(types & m))
			errx(2, "%s: its prefix contradicts -t", shown(arg));
		*mask = m;
	}
	/* A name good for one kind asked for will do ("sem.x" may be a
	 * queue's, never shared memory's); else the rule of the kind with
	 * the fewest. */
	for (t = 0; t < PIPC_NTYPES; t++)
		if ((*mask & PIPC_TYPE_BIT(t)) &&
		    (name = pipc_name_check(rest, t, &why)) != NULL)
			return name;
	return check_name(rest, pipc_name_loosest(*mask));
}

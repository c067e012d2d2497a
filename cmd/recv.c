/* recv: take messages off a queue and print them. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

static const struct opt opts[] = {
	{ 'c', "count", "N", "take N messages (1)", 0 },
	{ '0', "null", NULL, "end each message with NUL, not newline",
	    O_GROUP(1) },
	{ 'J', "json", NULL, "one JSON object per message, with its priority",
	    O_GROUP(1) },
	{ 'n', "nonblock", NULL, "an empty queue is exit 3 at once", O_GROUP(2) },
	{ 'w', "wait", "SECS", "wait at most SECS in all (0.5 works), else exit 3",
	    O_GROUP(2) },
	{ 'w', "timeout", "SECS", "the same as --wait", O_ALIAS },
	COMMON_OPTS,
	END_OPTS
};

static int recv_main(int, char **);

const struct cmd cmd_recv = {
	"recv", recv_main, opts,
	"NAME",
	OPND_OBJECT, 0
};

/* One document per message, on a line of its own. */
static void
print_json(const char *msg, size_t len, unsigned prio)
{
	struct json j;

	json_begin(&j, JSON_COMPACT);
	json_object(&j, NULL);
	json_uint(&j, "priority", prio);
	json_uint(&j, "size", len);
	json_mem(&j, "message", msg, len);
	json_end(&j);
}

static int
recv_main(int argc, char **argv)
{
	struct timespec wait = { 0, 0 }, end = { 0, 0 };
	struct mq_attr a;
	const char *label, *waitarg = NULL;
	long long count = 1, i;
	unsigned prio;
	ssize_t n;
	char *buf;
	int ch, json = 0, null = 0, nonblock = 0, timed = 0, q, rv = 0;

	while ((ch = getopt_cmd(&cmd_recv, argc, argv)) != -1) {
		switch (ch) {
		case 'c': count = count_arg("-c", optarg, 1, LLONG_MAX); break;
		case 'J': json = 1; break;
		case 'n': nonblock = 1; break;
		case 'w':
			wait = seconds_arg("-w", waitarg = optarg);
			timed = 1;
			break;
		case '0': null = 1; break;
		default:
			common_option(&cmd_recv, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(&cmd_recv);
	if (nonblock && timed)
		errx(2, "-n and -w exclude each other");
	if (json && null)
		errx(2, "-0 and -J exclude each other");

	/* One deadline for the open and all N: the command never waits
	 * longer than SECS. */
	if (timed)
		end = deadline(wait);
	q = open_queue(argv[0], O_RDONLY | (nonblock ? O_NONBLOCK : 0),
	    &label, timed ? &end : NULL, waitarg);
	if (mq_getattr(q, &a) == -1)
		err(1, "%s", label);
	if ((buf = malloc((size_t)a.mq_msgsize)) == NULL)
		err(1, NULL);
	for (i = 0; i < count; i++) {
		n = timed ? mq_timedreceive(q, buf, (size_t)a.mq_msgsize, &prio,
		    &end) : mq_receive(q, buf, (size_t)a.mq_msgsize, &prio);
		if (n == -1 && errno == ETIMEDOUT) {
			warnx("%s: timed out after %s s: queue empty", label,
			    waitarg);
			rv = 3;
			break;
		}
		if (n == -1 && errno == EAGAIN) {
			warnx("%s: queue empty", label);
			rv = 3;
			break;
		}
		if (n == -1)
			err(1, "%s", label);
		if (json)
			print_json(buf, (size_t)n, prio);
		else {
			fwrite(buf, 1, (size_t)n, stdout);
			putchar(null ? '\0' : '\n');
		}
		/* Each message is out before the next leaves the queue. */
		if (fflush(stdout) == EOF)
			break;
	}
	free(buf);
	close(q);
	return rv;
}

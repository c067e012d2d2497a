/* send: put one message on a queue. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

static const struct opt opts[] = {
	{ 'p', "priority", "PRIO",
	    "0 (default) to 32767; higher is received first", 0 },
	{ 'n', "nonblock", NULL, "a full queue is exit 3 at once", O_GROUP(1) },
	{ 'w', "wait", "SECS",
	    "wait at most SECS (0.5 works) for room, else exit 3", O_GROUP(1) },
	{ 'w', "timeout", "SECS", "the same as --wait", O_ALIAS },
	COMMON_OPTS,
	END_OPTS
};

static int send_main(int, char **);

const struct cmd cmd_send = {
	"send", send_main, opts,
	"NAME [MESSAGE | -]",
	OPND_OBJECT, 0
};

/* Standard input up to one byte more than fits, to tell it is too long. */
static char *
read_message(size_t max, size_t *len)
{
	char *b;
	ssize_t n;

	if ((b = malloc(max + 1)) == NULL)
		err(1, NULL);
	*len = 0;
	while (*len <= max) {
		n = read(STDIN_FILENO, b + *len, max + 1 - *len);
		if (n == 0)
			break;
		if (n == -1 && errno != EINTR)
			err(1, "standard input");
		if (n > 0)
			*len += (size_t)n;
	}
	return b;
}

static int
send_main(int argc, char **argv)
{
	struct timespec wait = { 0, 0 }, end;
	struct mq_attr a;
	const char *label, *waitarg = NULL;
	char *msg, *in = NULL;
	size_t len;
	unsigned prio = 0;
	int ch, nonblock = 0, timed = 0, q, r, over, e;

	while ((ch = getopt_cmd(&cmd_send, argc, argv)) != -1) {
		switch (ch) {
		case 'n': nonblock = 1; break;
		case 'p':
			prio = (unsigned)count_arg("-p", optarg, 0,
			    sysconf(_SC_MQ_PRIO_MAX) - 1);
			break;
		case 'w':
			wait = seconds_arg("-w", waitarg = optarg);
			timed = 1;
			break;
		default:
			common_option(&cmd_send, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		usage(&cmd_send);
	if (nonblock && timed)
		errx(2, "-n and -w exclude each other");

	/* One deadline for the open and the send. */
	if (timed)
		end = deadline(wait);
	q = open_queue(argv[0], O_WRONLY | (nonblock ? O_NONBLOCK : 0),
	    &label, timed ? &end : NULL, waitarg);
	if (mq_getattr(q, &a) == -1)
		err(1, "%s", label);
	if (argc == 2 && strcmp(argv[1], "-") != 0) {
		msg = argv[1];
		len = strlen(msg);
	} else
		msg = in = read_message((size_t)a.mq_msgsize, &len);
	/* Refused here, not by the kernel, to say what the limit is. */
	if (len > (size_t)a.mq_msgsize) {
		over = in != NULL;
		free(in);	/* no leak reported at exit */
		errx(1, "%s: the message (%s%zu bytes) is larger than the "
		    "queue's msgsize (%ld bytes)", label, over ? "over " : "",
		    over ? len - 1 : len, a.mq_msgsize);
	}
	if (timed)
		r = mq_timedsend(q, msg, len, prio, &end);
	else
		r = mq_send(q, msg, len, prio);
	e = errno;
	free(in);
	errno = e;
	if (r == -1 && errno == ETIMEDOUT) {
		warnx("%s: timed out after %s s: queue still full (%ld "
		    "messages)", label, waitarg, a.mq_maxmsg);
		return 3;
	}
	if (r == -1 && errno == EAGAIN) {
		warnx("%s: queue full (%ld messages)", label, a.mq_maxmsg);
		return 3;
	}
	if (r == -1)
		err(1, "%s", label);
	close(q);
	return 0;
}

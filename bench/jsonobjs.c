/*
 * Objects whose `pipc ls -J` is a realistic --since snapshot: names of
 * twenty patterns, plain ones and the kinds pipc has to escape (space,
 * newline, quote, backslash, tab, ESC, invisible and astral characters).
 *
 *   jsonobjs create DIR MQDIR N [utf8]
 *	N objects: 100 queues (of this IPC namespace, which MQDIR shows;
 *	mq_open, so the name is only checked), the rest shared memory and glibc
 *	semaphore files in DIR, by turns. Two patterns in twenty hold bytes
 *	that are not UTF-8 (written as \udcXX in JSON); with "utf8" those
 *	bytes are UTF-8 characters instead, so a reader that refuses lone
 *	surrogates can be timed on a file of the same shape.
 *   jsonobjs hold DIR COUNT
 *	a process holding open every file in DIR up to COUNT, so that some
 *	objects have a holder; prints its PID once ready, sleeps until killed.
 */
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const patterns[20][2] = {
	/* mixed, utf8 */
	{ "app.%06ld", NULL },
	{ "worker-%ld.ring", NULL },
	{ "caf\xc3\xa9.%06ld", NULL },
	{ "with space %06ld", NULL },
	{ "new\nline.%06ld", NULL },
	{ "quote\"%06ld", NULL },
	{ "back\\slash.%06ld", NULL },
	{ "tab\t%06ld", NULL },
	{ "esc\x1b[31m%06ld", NULL },
	{ "\xe6\x97\xa5\xe6\x9c\xac.%06ld", NULL },
	{ "zero\xe2\x80\x8bwidth.%06ld", NULL },
	{ "emoji\xf0\x9f\x98\x80.%06ld", NULL },
	{ "tag\xf3\xa0\x80\x81.%06ld", NULL },
	{ "bad\xff%06ld", "bad\xc3\xbf%06ld" },
	{ "lat1-\xe9t\xe9.%06ld", "lat1-\xc3\xa9t\xc3\xa9.%06ld" },
	{ "org.example.Service.%06ld", NULL },
	{ "pulse-shm-%010ld", NULL },
	{ "lock.%06ld", NULL },
	{ "MyApp_Segment_%ld", NULL },
	{ "session-%08lx", NULL },
};

/* What glibc's sem_open writes for a process-shared sem_t on 64-bit Linux. */
struct sem_file {
	uint64_t	 data;
	uint32_t	 private;
	uint32_t	 pad[5];
};

static long
num(const char *s)
{
	const char *e;
	long v;

	v = strtonum(s, 1, 10000000, &e);
	if (e != NULL)
		errx(2, "%s: %s", s, e);
	return v;
}

static void
name_of(char *buf, size_t size, long i, int utf8)
{
	const char *const *p = patterns[i % 20];

	/* The patterns are constants of this file. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(buf, size, utf8 && p[1] ? p[1] : p[0], i);
#pragma GCC diagnostic pop
}

static void
create(const char *dir, long n, int utf8)
{
	struct sem_file sf;
	char name[128], file[140];
	struct mq_attr qa;
	long i, nmq = n < 1000 ? n / 10 : 100;
	mqd_t q;
	int dfd, fd;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) == -1)
		err(1, "%s", dir);
	memset(&qa, 0, sizeof(qa));
	qa.mq_maxmsg = 1;
	qa.mq_msgsize = 64;
	memset(&sf, 0, sizeof(sf));
	sf.private = 128;
	for (i = 0; i < n; i++) {
		name_of(name, sizeof(name), i, utf8);
		if (i < nmq) {
			/* Small queues: RLIMIT_MSGQUEUE counts their bytes. */
			snprintf(file, sizeof(file), "/%s", name);
			if ((q = mq_open(file, O_RDWR | O_CREAT | O_EXCL, 0600,
			    &qa)) == (mqd_t)-1)
				err(1, "mq %s", name);
			mq_close(q);
			continue;
		} else if (i % 2 == 0) {
			if ((fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL,
			    0600)) == -1 || ftruncate(fd, 4096) == -1)
				err(1, "shm %s", name);
		} else {
			snprintf(file, sizeof(file), "sem.%s", name);
			sf.data = (uint64_t)(i / 2 % 2);
			if ((fd = openat(dfd, file, O_RDWR | O_CREAT | O_EXCL,
			    0600)) == -1 ||
			    write(fd, &sf, sizeof(sf)) != (ssize_t)sizeof(sf))
				err(1, "sem %s", name);
		}
		close(fd);
	}
	close(dfd);
}

static void
hold(const char *dir, long count)
{
	struct dirent *d;
	DIR *dp;
	pid_t pid;
	long k = 0;
	int p[2], fd;
	char c = 'r';

	if (pipe(p) == -1)
		err(1, "pipe");
	fflush(stdout);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		/* Leave the caller's $(...) free to end. */
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, STDOUT_FILENO);
		if ((dp = opendir(dir)) == NULL)
			c = 'f';
		while (c == 'r' && k < count && (d = readdir(dp)) != NULL)
			if (d->d_type == DT_REG &&
			    openat(dirfd(dp), d->d_name, O_RDONLY) != -1)
				k++;
		if (write(p[1], &c, 1) != 1 || c != 'r')
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1 || c != 'r')
		errx(1, "the holder failed");
	printf("%d\n", (int)pid);
}

int
main(int argc, char **argv)
{
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "create") == 0 &&
	    (argc == 5 || strcmp(argv[5], "utf8") == 0))
		create(argv[2], num(argv[4]), argc == 6);
	else if (argc == 4 && strcmp(argv[1], "hold") == 0)
		hold(argv[2], num(argv[3]));
	else {
		fprintf(stderr, "usage: jsonobjs create DIR MQDIR N [utf8]\n"
		    "       jsonobjs hold DIR COUNT\n");
		return 2;
	}
	return 0;
}

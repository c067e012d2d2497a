/*
 * interop_posix: use POSIX IPC objects only through the libc calls a plain
 * program uses (shm_open, sem_open, mq_open), for the interop tests.
 *
 *   interop_posix shm-make NAME SIZE TEXT   create, size, write TEXT at 0
 *   interop_posix shm-read NAME             print its bytes up to a NUL
 *   interop_posix shm-write NAME TEXT       write TEXT at offset 0
 *   interop_posix sem-make NAME VALUE       create at VALUE
 *   interop_posix sem-value NAME            print its value
 *   interop_posix sem-post NAME | sem-trywait NAME
 *   interop_posix mq-make NAME MAXMSG MSGSIZE
 *   interop_posix mq-send NAME TEXT PRIO
 *   interop_posix mq-recv NAME              print "PRIO TEXT"
 *   interop_posix mq-attr NAME              print "MAXMSG MSGSIZE CURMSGS"
 *   interop_posix unlink shm|sem|mq NAME
 */
#include <err.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <unistd.h>

static void *
shm_map(const char *name, int flags, off_t size, size_t *len)
{
	struct stat st;
	void *p;
	int fd;

	if ((fd = shm_open(name, flags, 0600)) == -1)
		err(1, "shm_open %s", name);
	if (size >= 0 && ftruncate(fd, size) == -1)
		err(1, "ftruncate");
	if (fstat(fd, &st) == -1)
		err(1, "fstat");
	*len = (size_t)st.st_size;
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	close(fd);
	return p;
}

int
main(int argc, char **argv)
{
	const char *op = argc > 2 ? argv[1] : "";
	const char *name = argc > 2 ? argv[2] : "";
	struct mq_attr a;
	unsigned prio;
	size_t len;
	ssize_t n;
	char *p, buf[65536];
	sem_t *s;
	mqd_t q;
	int v;

	if (strcmp(op, "shm-make") == 0 && argc == 5) {
		p = shm_map(name, O_RDWR | O_CREAT | O_EXCL, atol(argv[3]),
		    &len);
		memcpy(p, argv[4], MIN(strlen(argv[4]), len));
	} else if (strcmp(op, "shm-read") == 0) {
		p = shm_map(name, O_RDWR, -1, &len);
		printf("%.*s\n", (int)strnlen(p, len), p);
	} else if (strcmp(op, "shm-write") == 0 && argc == 4) {
		p = shm_map(name, O_RDWR, -1, &len);
		memcpy(p, argv[3], MIN(strlen(argv[3]), len));
	} else if (strcmp(op, "sem-make") == 0 && argc == 4) {
		if (sem_open(name, O_CREAT | O_EXCL, 0600,
		    (unsigned)atoi(argv[3])) == SEM_FAILED)
			err(1, "sem_open %s", name);
	} else if (strncmp(op, "sem-", 4) == 0) {
		if ((s = sem_open(name, 0)) == SEM_FAILED)
			err(1, "sem_open %s", name);
		if (strcmp(op, "sem-value") == 0 && sem_getvalue(s, &v) == 0)
			printf("%d\n", v);
		else if (strcmp(op, "sem-post") == 0 && sem_post(s) == -1)
			err(1, "sem_post");
		else if (strcmp(op, "sem-trywait") == 0 && sem_trywait(s) == -1)
			err(3, "sem_trywait");
	} else if (strcmp(op, "mq-make") == 0 && argc == 5) {
		memset(&a, 0, sizeof(a));
		a.mq_maxmsg = atol(argv[3]);
		a.mq_msgsize = atol(argv[4]);
		if (mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a) ==
		    (mqd_t)-1)
			err(1, "mq_open %s", name);
	} else if (strncmp(op, "mq-", 3) == 0) {
		if ((q = mq_open(name, O_RDWR | O_NONBLOCK)) == (mqd_t)-1)
			err(1, "mq_open %s", name);
		if (mq_getattr(q, &a) == -1)
			err(1, "mq_getattr");
		if (strcmp(op, "mq-send") == 0 && argc == 5) {
			if (mq_send(q, argv[3], strlen(argv[3]),
			    (unsigned)atoi(argv[4])) == -1)
				err(1, "mq_send");
		} else if (strcmp(op, "mq-recv") == 0) {
			if ((n = mq_receive(q, buf, sizeof(buf), &prio)) == -1)
				err(3, "mq_receive");
			printf("%u %.*s\n", prio, (int)n, buf);
		} else if (strcmp(op, "mq-attr") == 0)
			printf("%ld %ld %ld\n", a.mq_maxmsg, a.mq_msgsize,
			    a.mq_curmsgs);
		else
			errx(2, "bad usage");
	} else if (strcmp(op, "unlink") == 0 && argc == 4) {
		name = argv[3];
		if ((strcmp(argv[2], "shm") == 0 ? shm_unlink(name) :
		    strcmp(argv[2], "sem") == 0 ? sem_unlink(name) :
		    mq_unlink(name)) == -1)
			err(1, "unlink %s", name);
	} else
		errx(2, "bad usage: see the comment at the top");
	return 0;
}

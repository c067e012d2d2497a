/*
 * ls_hold: open (or create) one IPC object the way a program would, hold it,
 * print "ready" and wait to be killed. For the tests of pipc ls.
 *
 * usage: ls_hold [-cfmux] [-P PATH] [-s SIZE] [-v VALUE] [-l] [-W N]
 *                [-M MAXMSG] [-S MSGSIZE] [-n MSGS] [-N] shm|sem|mq NAME
 *   -c  create it          -u  unlink it once open     -x  exit, do not wait
 *   shm: -f keep only the fd (no mapping), -m keep only the mapping,
 *        -s SIZE set its size, -P PATH open this file instead of shm_open
 *   sem: -v VALUE initial value, -l take it once (sem_wait),
 *        -W N start N threads blocked in sem_wait
 *   mq:  -M MAXMSG, -S MSGSIZE attributes, -n MSGS send that many 10-byte
 *        messages, -N register for notification
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void *
waiter(void *sem)
{
	sem_wait(sem);
	return NULL;
}

/* glibc keeps the count of waiters in the high half of the first word. */
static uint32_t
waiters(sem_t *s)
{
	return (uint32_t)(__atomic_load_n((uint64_t *)(void *)s,
	    __ATOMIC_SEQ_CST) >> 32);
}

int
main(int argc, char **argv)
{
	const char *path = NULL, *kind, *name;
	int ch, create = 0, fdonly = 0, maponly = 0, unlink_it = 0, quit = 0;
	int lock = 0, notify = 0, fd;
	long size = -1, value = 0, nwait = 0, maxmsg = 0, msgsize = 0, msgs = 0;
	struct timespec ms = { 0, 1000000 };
	struct mq_attr attr;
	struct sigevent ev;
	struct stat st;
	pthread_t t;
	sem_t *sem;
	mqd_t mq;
	long i;

	while ((ch = getopt(argc, argv, "cfmuxP:s:v:lW:M:S:n:N")) != -1) {
		switch (ch) {
		case 'c': create = O_CREAT; break;
		case 'f': fdonly = 1; break;
		case 'm': maponly = 1; break;
		case 'u': unlink_it = 1; break;
		case 'x': quit = 1; break;
		case 'P': path = optarg; break;
		case 's': size = atol(optarg); break;
		case 'v': value = atol(optarg); break;
		case 'l': lock = 1; break;
		case 'W': nwait = atol(optarg); break;
		case 'M': maxmsg = atol(optarg); break;
		case 'S': msgsize = atol(optarg); break;
		case 'n': msgs = atol(optarg); break;
		case 'N': notify = 1; break;
		default: errx(2, "bad usage");
		}
	}
	if (argc - optind != 2)
		errx(2, "usage: ls_hold [options] shm|sem|mq NAME");
	kind = argv[optind];
	name = argv[optind + 1];

	if (strcmp(kind, "shm") == 0) {
		fd = path != NULL ? open(path, O_RDWR | create, 0644) :
		    shm_open(name, O_RDWR | create, 0644);
		if (fd == -1)
			err(1, "open %s", name);
		if (size >= 0 && ftruncate(fd, size) == -1)
			err(1, "ftruncate");
		if (fstat(fd, &st) == -1)
			err(1, "fstat");
		if (!fdonly && mmap(NULL, st.st_size > 0 ? st.st_size : 1,
		    PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
			err(1, "mmap");
		if (maponly)
			close(fd);
		if (unlink_it && (path != NULL ? unlink(path) :
		    shm_unlink(name)) == -1)
			err(1, "unlink");
	} else if (strcmp(kind, "sem") == 0) {
		if ((sem = sem_open(name, create, 0644, (unsigned)value)) ==
		    SEM_FAILED)
			err(1, "sem_open %s", name);
		if (lock && sem_wait(sem) == -1)
			err(1, "sem_wait");
		for (i = 0; i < nwait; i++)
			if ((errno = pthread_create(&t, NULL, waiter, sem)) != 0)
				err(1, "pthread_create");
		while (waiters(sem) < (uint32_t)nwait)
			nanosleep(&ms, NULL);
		if (unlink_it && sem_unlink(name) == -1)
			err(1, "sem_unlink");
	} else if (strcmp(kind, "mq") == 0) {
		/* glibc's mq_open insists on the leading slash. */
		if (name[0] != '/' && asprintf((char **)&name, "/%s", name) == -1)
			err(1, NULL);
		memset(&attr, 0, sizeof(attr));
		attr.mq_maxmsg = maxmsg;
		attr.mq_msgsize = msgsize;
		mq = mq_open(name, O_RDWR | create, 0644,
		    maxmsg > 0 ? &attr : NULL);
		if (mq == (mqd_t)-1)
			err(1, "mq_open %s", name);
		for (i = 0; i < msgs; i++)
			if (mq_send(mq, "0123456789", 10, 0) == -1)
				err(1, "mq_send");
		memset(&ev, 0, sizeof(ev));
		ev.sigev_notify = SIGEV_NONE;
		if (notify && mq_notify(mq, &ev) == -1)
			err(1, "mq_notify");
		if (unlink_it && mq_unlink(name) == -1)
			err(1, "mq_unlink");
	} else
		errx(2, "unknown kind %s", kind);

	if (quit)
		return 0;
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

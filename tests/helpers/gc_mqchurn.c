/*
 * gc_mqchurn N OPENS: gc_churn for message queues. Keeps opening random
 * queues /mqchurn.K (K < N) with mq_open, holds each for up to half a
 * millisecond (one in 16 for 10 to 30 ms), then asks whether it was
 * unlinked under it (st_nlink 0 on the queue's descriptor). A missing queue
 * is created again, closed, for the collector to take; an open refused
 * (EACCES: gc's mode 01000 guard) is counted. Stops after OPENS opens:
 *	opens=N unlinked=N missing=N denied=N
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

int
main(int argc, char **argv)
{
	long n, want, opens = 0, unlinked = 0, missing = 0, denied = 0;
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	struct timespec hold;
	struct stat st;
	char name[64];
	mqd_t q;

	if (argc != 3 || (n = atol(argv[1])) <= 0 || (want = atol(argv[2])) <= 0)
		errx(2, "usage: gc_mqchurn N OPENS");
	srand((unsigned)time(NULL));
	while (opens < want) {
		snprintf(name, sizeof(name), "/mqchurn.%ld", rand() % n);
		if ((q = mq_open(name, O_RDWR)) == (mqd_t)-1) {
			if (errno == EACCES) {
				denied++;
				continue;
			}
			if (errno != ENOENT)
				err(1, "%s", name);
			missing++;
			q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
			if (q != (mqd_t)-1)
				mq_close(q);
			continue;
		}
		opens++;
		hold.tv_sec = 0;
		hold.tv_nsec = rand() % 16 ? (rand() % 500) * 1000L :
		    (10 + rand() % 20) * 1000000L;
		nanosleep(&hold, NULL);
		if (fstat(q, &st) == -1)
			err(1, "fstat");
		if (st.st_nlink == 0)
			unlinked++;
		mq_close(q);
	}
	printf("opens=%ld unlinked=%ld missing=%ld denied=%ld\n", opens,
	    unlinked, missing, denied);
	return 0;
}

/*
 * libpipc's tests drive this program, built against the installed library
 * through pkg-config: lockdemo MODE ARGS (see usage).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pipc/pipc.h>

static const char *name, *counter, *marker;
static pipc_mutex *shared;
static int n;

static void
usage(void)
{
	fprintf(stderr, "usage: lockdemo count NAME FILE N [THREADS]\n"
	    "       lockdemo semcount NAME FILE N\n"
	    "       lockdemo hold NAME [FILE]\n"
	    "       lockdemo try NAME\n"
	    "       lockdemo timed NAME MS\n"
	    "       lockdemo ls|lsx\n"
	    "       lockdemo sigcheck NAME\n"
	    "       lockdemo fork NAME\n"
	    "       lockdemo held shm|sem|mq NAME\n");
	exit(2);
}

static void
die(const char *what, int e)
{
	fprintf(stderr, "lockdemo: %s: %s\n", what, strerror(e));
	exit(1);
}

/* Add one to the number in the file counter: a read and a write, racy
 * unless the lock keeps others out. */
static void
bump(void)
{
	char buf[32] = "";
	FILE *f;
	long v;

	if ((f = fopen(counter, "r+")) == NULL)
		die(counter, errno);
	v = fgets(buf, sizeof(buf), f) != NULL ? atol(buf) : 0;
	rewind(f);
	fprintf(f, "%ld\n", v + 1);
	if (fclose(f) != 0)
		die(counter, errno);
}

/* Inside: the marker must not exist; a dead holder's is removed first. */
static void
enter(int recovered)
{
	int fd;

	if (recovered)
		unlink(marker);
	if ((fd = open(marker, O_CREAT | O_EXCL | O_WRONLY, 0600)) == -1) {
		fprintf(stderr, "lockdemo: two inside (%s)\n",
		    strerror(errno));
		_exit(3);
	}
	close(fd);
}

static void
leave(void)
{
	unlink(marker);
}

static void *
count(void *arg)
{
	long recovered = 0;
	int i, r;

	(void)arg;
	for (i = 0; i < n; i++) {
		if ((r = pipc_mutex_acquire(shared)) != 0 && r != EOWNERDEAD)
			die("acquire", r);
		recovered += r == EOWNERDEAD;
		enter(r == EOWNERDEAD);
		bump();
		leave();
		if ((r = pipc_mutex_release(shared)) != 0)
			die("release", r);
	}
	return (void *)recovered;
}

static void
marker_of(const char *file)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s.inside", file);
	marker = buf;
}

int
main(int argc, char **argv)
{
	const pipc_object *o;
	pipc_objects *l;
	struct timespec ts;
	pthread_t *t;
	void *rec;
	long recovered = 0;
	size_t i;
	int r, k, nt = 1, ans;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "count") == 0 && (argc == 5 || argc == 6)) {
		name = argv[2];
		counter = argv[3];
		marker_of(counter);
		n = atoi(argv[4]);
		if (argc == 6)
			nt = atoi(argv[5]);
		if ((r = pipc_mutex_open(&shared, name, PIPC_MUTEX_CREATE,
		    0600)) != 0)
			die("open", r);
		if ((t = calloc((size_t)nt, sizeof(*t))) == NULL)
			die("calloc", errno);
		for (k = 0; k < nt; k++)
			if ((r = pthread_create(&t[k], NULL, count, NULL)) != 0)
				die("pthread_create", r);
		for (k = 0; k < nt; k++) {
			pthread_join(t[k], &rec);
			recovered += (long)rec;
		}
		free(t);
		if ((r = pipc_mutex_close(shared)) != 0)
			die("close", r);
		printf("recovered %ld\n", recovered);
		return 0;
	}
	if (strcmp(argv[1], "semcount") == 0 && argc == 5) {
		/* A plain sem_open user of the same semaphore. */
		sem_t *s;

		counter = argv[3];
		marker_of(counter);
		if ((s = sem_open(argv[2], O_CREAT, 0600, 1)) == SEM_FAILED)
			die("sem_open", errno);
		for (k = atoi(argv[4]); k > 0; k--) {
			while (sem_wait(s) == -1)
				if (errno != EINTR)
					die("sem_wait", errno);
			enter(0);
			bump();
			leave();
			sem_post(s);
		}
		return 0;
	}
	if (strcmp(argv[1], "hold") == 0 && (argc == 3 || argc == 4)) {
		if ((r = pipc_mutex_open(&shared, argv[2], PIPC_MUTEX_CREATE,
		    0600)) != 0)
			die("open", r);
		if ((r = pipc_mutex_acquire(shared)) != 0 && r != EOWNERDEAD)
			die("acquire", r);
		if (argc == 4) {
			marker_of(argv[3]);
			enter(r == EOWNERDEAD);
		}
		printf("%s\n", r == EOWNERDEAD ? "recovered" : "locked");
		fflush(stdout);
		for (;;)
			pause();
	}
	if ((strcmp(argv[1], "try") == 0 && argc == 3) ||
	    (strcmp(argv[1], "timed") == 0 && argc == 4)) {
		if ((r = pipc_mutex_open(&shared, argv[2], 0, 0)) != 0)
			die("open", r);
		if (argc == 4) {
			k = atoi(argv[3]);
			ts.tv_sec = k / 1000;
			ts.tv_nsec = k % 1000 * 1000000L;
			r = pipc_mutex_timedacquire(shared, &ts);
		} else
			r = pipc_mutex_tryacquire(shared);
		if (r == EBUSY || r == ETIMEDOUT) {
			printf("%s\n", r == EBUSY ? "busy" : "timed out");
			return 3;
		}
		if (r != 0 && r != EOWNERDEAD)
			die("acquire", r);
		printf("%s\n", r == EOWNERDEAD ? "recovered" : "acquired");
		if ((r = pipc_mutex_release(shared)) != 0)
			die("release", r);
		/* Released twice: not ours any more. */
		if ((r = pipc_mutex_release(shared)) != EPERM)
			die("second release", r);
		pipc_mutex_close(shared);
		return 0;
	}
	if (strcmp(argv[1], "fork") == 0 && argc == 3) {
		/* A child inherits the handle, not the lock. */
		pid_t pid;
		int status;

		if ((r = pipc_mutex_open(&shared, argv[2], PIPC_MUTEX_CREATE,
		    0600)) != 0)
			die("open", r);
		if ((r = pipc_mutex_acquire(shared)) != 0)
			die("acquire", r);
		if ((pid = fork()) == -1)
			die("fork", errno);
		if (pid == 0) {
			if ((r = pipc_mutex_release(shared)) != EPERM)
				die("child's release", r);
			if ((r = pipc_mutex_tryacquire(shared)) != EBUSY)
				die("child's try", r);
			if ((r = pipc_mutex_close(shared)) != 0)
				die("child's close", r);
			_exit(0);
		}
		if (waitpid(pid, &status, 0) == -1 || status != 0)
			die("child", ECHILD);
		if ((r = pipc_mutex_release(shared)) != 0)
			die("release", r);
		if ((pid = fork()) == -1)
			die("fork", errno);
		if (pid == 0) {
			if ((r = pipc_mutex_acquire(shared)) != 0)
				die("child's acquire", r);
			printf("child %d\n", (int)getpid());
			fflush(stdout);
			_exit(0);	/* dies holding it */
		}
		if (waitpid(pid, &status, 0) == -1 || status != 0)
			die("child", ECHILD);
		r = pipc_mutex_acquire(shared);
		printf("%s\n", r == EOWNERDEAD ? "recovered" : strerror(r));
		pipc_mutex_close(shared);
		return 0;
	}
	if ((strcmp(argv[1], "ls") == 0 || strcmp(argv[1], "lsx") == 0) &&
	    argc == 2) {
		/* ls: as pipc ls -rn -o TYPE,NAME,SIZE,MODE,STATE; lsx: the
		 * lock owner and holders too. */
		struct stat st;

		if ((r = pipc_objects_scan(&l, 0)) != 0)
			die("scan", r);
		for (i = 0; i < pipc_objects_count(l); i++) {
			o = pipc_objects_get(l, i);
			pipc_object_stat(o, &st);
			printf("%s /%s %llu %04o %s", pipc_object_kind_name(o),
			    pipc_object_name(o),
			    (unsigned long long)pipc_object_size(o),
			    (unsigned)(st.st_mode & 07777),
			    pipc_object_state_name(o));
			if (argv[1][2] == 'x') {
				printf(" owner=%d holders=%zu",
				    (int)pipc_object_lock_owner(o),
				    pipc_object_nholders(o));
				for (size_t j = 0; j < pipc_object_nholders(o);
				    j++) {
					const char *comm;
					pid_t pid = pipc_object_holder(o, j,
					    &comm);

					printf(" %d:%s", (int)pid, comm);
				}
			}
			printf("\n");
		}
		if (pipc_objects_get(l, i) != NULL)
			die("get past the end", EINVAL);
		pipc_objects_free(l);
		return 0;
	}
	if (strcmp(argv[1], "sigcheck") == 0 && argc == 3) {
		/* Every signal's disposition before and after the library's
		 * calls that ask the kernel for a lease. */
		struct sigaction before[NSIG], after;

		for (k = 1; k < NSIG; k++)
			sigaction(k, NULL, &before[k]);
		if ((r = pipc_objects_scan(&l, 0)) != 0)
			die("scan", r);
		pipc_objects_free(l);
		if ((r = pipc_held(PIPC_OBJ_SEM, argv[2], &ans)) != 0)
			die("held", r);
		if ((r = pipc_mutex_open(&shared, argv[2], 0, 0)) != 0)
			die("open", r);
		if ((r = pipc_mutex_acquire(shared)) != 0 && r != EOWNERDEAD)
			die("acquire", r);
		pipc_mutex_close(shared);
		for (k = 1; k < NSIG; k++) {
			if (sigaction(k, NULL, &after) == -1)
				continue;
			if (after.sa_handler != before[k].sa_handler) {
				printf("signal %d changed\n", k);
				return 1;
			}
		}
		printf("unchanged\n");
		return 0;
	}
	if (strcmp(argv[1], "held") == 0 && argc == 4) {
		k = strcmp(argv[2], "shm") == 0 ? PIPC_OBJ_SHM :
		    strcmp(argv[2], "sem") == 0 ? PIPC_OBJ_SEM : PIPC_OBJ_MQ;
		if (argc == 4 && getenv("LOCKDEMO_SIGIO") != NULL)
			signal(SIGIO, SIG_IGN);
		if ((r = pipc_held(k, argv[3], &ans)) != 0)
			die("held", r);
		printf("%s\n", ans == PIPC_HOLD_YES ? "yes" : ans ==
		    PIPC_HOLD_NO ? "no" : "unknown");
		return 0;
	}
	usage();
}

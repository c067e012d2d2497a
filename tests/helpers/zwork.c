/*
 * zwork: a process whose main thread ends first. The main thread starts a
 * worker thread and calls pthread_exit, so /proc/PID/stat says 'Z' while
 * the worker runs on. Once the leader is a zombie the worker prints
 * "ready", then waits SECS seconds (3), or until FILE exists with -f, or
 * runs CMD and waits for it; then it prints "job done" and the process
 * exits 0 (with CMD: CMD's exit status).
 *
 * usage: zwork [-f FILE | SECS] [-- CMD [ARG...]]
 */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *file;
static double secs = 3;
static char **cmd;

static char
leader_state(void)
{
	char path[64], buf[512], *p, state = '?';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)getpid());
	if ((f = fopen(path, "r")) != NULL) {
		if (fgets(buf, sizeof(buf), f) != NULL &&
		    (p = strrchr(buf, ')')) != NULL)
			state = p[2];
		fclose(f);
	}
	return state;
}

static void *
worker(void *arg)
{
	pid_t pid;
	int i, status, rv = 0;

	(void)arg;
	for (i = 0; i < 10000 && leader_state() != 'Z'; i++)
		usleep(1000);
	if (cmd == NULL) {
		printf("ready\n");
		fflush(stdout);
	}
	if (cmd != NULL) {
		if ((errno = posix_spawnp(&pid, cmd[0], NULL, NULL, cmd,
		    environ)) != 0)
			err(127, "%s", cmd[0]);
		while (waitpid(pid, &status, 0) == -1)
			if (errno != EINTR)
				err(1, "wait");
		rv = WIFEXITED(status) ? WEXITSTATUS(status) :
		    128 + WTERMSIG(status);
	} else if (file != NULL) {
		while (access(file, F_OK) == -1)
			usleep(10000);
	} else
		usleep((useconds_t)(secs * 1e6));
	if (cmd == NULL) {
		printf("job done\n");
		fflush(stdout);
	}
	exit(rv);
}

int
main(int argc, char **argv)
{
	pthread_t t;
	int i = 1;

	if (argc > i + 1 && strcmp(argv[i], "-f") == 0) {
		file = argv[i + 1];
		i += 2;
	} else if (argc > i && strcmp(argv[i], "--") != 0)
		secs = atof(argv[i++]);
	if (argc > i + 1 && strcmp(argv[i], "--") == 0)
		cmd = argv + i + 1;
	/* "job done" may go to a pipe nobody reads any more. */
	signal(SIGPIPE, SIG_IGN);
	if ((errno = pthread_create(&t, NULL, worker, NULL)) != 0)
		err(1, "pthread_create");
	pthread_exit(NULL);
}

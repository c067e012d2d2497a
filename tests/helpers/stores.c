/*
 * Drive lib/stores.c for tests/containers.bats.
 *
 *   stores [-n] [-L]     one pass: a line per store and per IPC namespace
 *                        (-n: never enter a namespace, -L: no labels)
 *   stores nspid PID     PID's PID in its own PID namespace
 *   stores enter PID     the queues of PID's IPC namespace, entered
 *   stores mkq NAME...   make queues in our IPC namespace, by mq_open
 *   stores time N        N passes: the fastest and the mean, in ms
 *
 * A store: "store MAJ:MIN host|PID LABEL procs=N fs=tmpfs size=B used=B
 * avail=B files=a,b"; a namespace: "ipcns INO host|PID LABEL procs=N
 * mounted|entered|unseen:ERRNO [mqpid=PID] queues=a,b"; last "procs N
 * unread N noshm N". Names are sorted; "-" for none.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "pipc.h"

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory fd, sorted, joined by commas. */
static void
names(int fd)
{
	char *v[256];
	struct dirent *de;
	size_t n = 0, i;
	DIR *d;

	if (fd == -1 || (fd = dup(fd)) == -1 || (d = fdopendir(fd)) == NULL) {
		printf("?");
		return;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL && n < 256)
		if (de->d_name[0] != '.')
			v[n++] = strdup(de->d_name);
	closedir(d);
	qsort(v, n, sizeof(v[0]), cmp);
	for (i = 0; i < n; i++) {
		printf("%s%s", i ? "," : "", v[i]);
		free(v[i]);
	}
	if (n == 0)
		printf("-");
}

static void
who(int host, pid_t pid, const struct pipc_cglabel *l)
{
	char text[512];

	pipc_cglabel_text(text, sizeof(text), l);
	if (host)
		printf(" host %s", text);
	else
		printf(" %d %s", (int)pid, text);
}

static int
list(unsigned flags)
{
	static const char *const how[] = { "mounted", "entered", "unseen" };
	struct pipc_stores s;
	const struct pipc_store *st;
	const struct pipc_ipcns *ns;
	size_t i;

	if (pipc_stores_scan(&s, flags) == -1) {
		perror("pipc_stores_scan");
		return 1;
	}
	for (i = 0; i < s.n; i++) {
		st = &s.v[i];
		printf("store %u:%u", major(st->dev), minor(st->dev));
		who(st->host, st->pid, &st->label);
		printf(" procs=%zu", st->nprocs);
		if (st->statfs)
			printf(" fs=%s size=%llu used=%llu avail=%llu",
			    st->fstype == 0x01021994 ? "tmpfs" : "other",
			    (unsigned long long)st->size,
			    (unsigned long long)st->used,
			    (unsigned long long)st->avail);
		printf(" files=");
		names(st->fd);
		printf("\n");
	}
	for (i = 0; i < s.nns; i++) {
		ns = &s.ns[i];
		printf("ipcns %llu", (unsigned long long)ns->ino);
		who(ns->host, ns->pid, &ns->label);
		printf(" procs=%zu %s", ns->nprocs, how[ns->mq]);
		if (ns->mq == PIPC_MQ_UNSEEN)
			printf(":%s", strerrorname_np(ns->err));
		if (ns->mqpid != 0)
			printf(" mqpid=%d", (int)ns->mqpid);
		if (ns->mq != PIPC_MQ_UNSEEN) {
			printf(" queues=");
			names(ns->fd);
		}
		printf("\n");
	}
	printf("procs %zu unread %zu noshm %zu\n", s.nprocs, s.nunread,
	    s.nnoshm);
	pipc_stores_free(&s);
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	struct pipc_stores s;
	unsigned flags = 0;
	double t, min = 1e9, sum = 0;
	char path[64];
	pid_t pid;
	int i, n, fd, dfd;

	if (argc >= 3 && strcmp(argv[1], "nspid") == 0) {
		if (pipc_nspid(atoi(argv[2]), &pid) == -1) {
			perror("pipc_nspid");
			return 1;
		}
		printf("%d\n", (int)pid);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "enter") == 0) {
		snprintf(path, sizeof(path), "/proc/%s/ns/ipc", argv[2]);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
		    pipc_ipcns_enter(fd, &dfd) == -1) {
			perror("enter");
			return 1;
		}
		names(dfd);
		printf("\n");
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "mkq") == 0) {
		for (i = 2; i < argc; i++) {
			snprintf(path, sizeof(path), "/%s", argv[i]);
			if ((fd = mq_open(path, O_RDWR | O_CREAT, 0600,
			    NULL)) == -1) {
				perror(path);
				return 1;
			}
			mq_close(fd);
		}
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "time") == 0) {
		n = atoi(argv[2]);
		for (i = 0; i < n; i++) {
			t = now();
			if (pipc_stores_scan(&s, argc > 3 ?
			    PIPC_STORES_NOENTER : 0) == -1) {
				perror("pipc_stores_scan");
				return 1;
			}
			t = now() - t;
			if (i == 0)
				printf("%zu processes, %zu stores, %zu "
				    "namespaces\n", s.nprocs, s.n, s.nns);
			pipc_stores_free(&s);
			sum += t;
			if (t < min)
				min = t;
		}
		printf("min %.3f ms mean %.3f ms\n", min, sum / n);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0)
			flags |= PIPC_STORES_NOENTER;
		else if (strcmp(argv[i], "-L") == 0)
			flags |= PIPC_STORES_NOLABEL;
		else {
			fprintf(stderr, "usage: stores [-n] [-L] | nspid PID | "
			    "enter PID | mkq NAME... | time N [-n]\n");
			return 2;
		}
	}
	return list(flags);
}

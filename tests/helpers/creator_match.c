/*
 * Print what lib/creator.c makes of each name: "KIND NAME PROGRAM RULE",
 * or "KIND NAME - -" when no pattern matches. Arguments are KIND:NAME, as
 * in pipc's operands ("shm:PostgreSQL.1", "sem:mp-x"). With -r PROGRAM's
 * first pattern, say whether a process of it runs: "runs PID", "no",
 * "unseen".
 */
#include <stdio.h>
#include <string.h>

#include "pipc.h"

/* The matcher alone: a gc that hides nothing, as root sees /proc. */
int
pipc_proc_hidden(void)
{
	return 0;
}

static int
running(const char *program)
{
	size_t i;
	pid_t pid = 0;

	for (i = 0; i < pipc_ncreators; i++) {
		if (strcmp(pipc_creators[i].program, program) != 0)
			continue;
		switch (pipc_creator_running(&pipc_creators[i], &pid)) {
		case 1:
			printf("runs %d\n", (int)pid);
			break;
		case 0:
			printf("no\n");
			break;
		default:
			printf("unseen\n");
		}
		return 0;
	}
	return 1;
}

int
main(int argc, char **argv)
{
	const struct pipc_creator *c;
	enum pipc_type t;
	char kind[8];
	const char *colon;
	int i;

	if (argc == 3 && strcmp(argv[1], "-r") == 0)
		return running(argv[2]);
	for (i = 1; i < argc; i++) {
		if ((colon = strchr(argv[i], ':')) == NULL ||
		    (size_t)(colon - argv[i]) >= sizeof(kind))
			return 2;
		memcpy(kind, argv[i], (size_t)(colon - argv[i]));
		kind[colon - argv[i]] = '\0';
		if (strcmp(kind, "shm") == 0)
			t = PIPC_SHM;
		else if (strcmp(kind, "sem") == 0)
			t = PIPC_SEM;
		else if (strcmp(kind, "mq") == 0)
			t = PIPC_MQ;
		else
			return 2;
		if ((c = pipc_creator_of(t, colon + 1)) == NULL)
			printf("%s %s - -\n", kind, colon + 1);
		else
			printf("%s %s %s %s\n", kind, colon + 1, c->program,
			    pipc_keep_name(c->keep));
	}
	return 0;
}

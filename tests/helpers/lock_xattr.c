/*
 * lock_xattr: read, write or remove pipc's owner record on a file, so that
 * tests can fake one (a reused PID, another boot) without pipc itself.
 *
 * usage: lock_xattr get FILE | set FILE VALUE | rm FILE
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

#define NAME "user.pipc.owner"

int
main(int argc, char **argv)
{
	char buf[256];
	ssize_t n;

	if (argc == 3 && strcmp(argv[1], "get") == 0) {
		if ((n = getxattr(argv[2], NAME, buf, sizeof(buf) - 1)) == -1) {
			if (errno == ENODATA)
				return 1;
			err(2, "%s", argv[2]);
		}
		buf[n] = '\0';
		printf("%s\n", buf);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "set") == 0) {
		if (setxattr(argv[2], NAME, argv[3], strlen(argv[3]), 0) == -1)
			err(2, "%s", argv[2]);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "rm") == 0) {
		if (removexattr(argv[2], NAME) == -1)
			err(2, "%s", argv[2]);
		return 0;
	}
	fprintf(stderr, "usage: lock_xattr get FILE | set FILE VALUE | rm FILE\n");
	return 2;
}

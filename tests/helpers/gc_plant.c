/*
 * gc_plant DIR FILE [norecord]: leave FILE as a gc killed halfway would,
 * renamed to its quarantine name with its old name in user.pipc.gc (not
 * with "norecord"). Prints the quarantine name.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

int
main(int argc, char **argv)
{
	char from[4096], to[4096], q[300];
	struct stat st;

	if (argc < 3 || argc > 4)
		errx(2, "usage: gc_plant DIR FILE [norecord]");
	snprintf(from, sizeof(from), "%s/%s", argv[1], argv[2]);
	if (lstat(from, &st) == -1)
		err(1, "%s", from);
	snprintf(q, sizeof(q), "%s.pipc-gc.%llx",
	    strncmp(argv[2], "sem.", 4) == 0 ? "sem." : "",
	    (unsigned long long)st.st_ino);
	snprintf(to, sizeof(to), "%s/%s", argv[1], q);
	if (argc == 3 &&
	    lsetxattr(from, "user.pipc.gc", argv[2], strlen(argv[2]), 0) == -1)
		err(1, "setxattr %s", from);
	if (rename(from, to) == -1)
		err(1, "rename %s", from);
	printf("%s\n", q);
	return 0;
}

/*
 * gc_plant DIR FILE [xattr|norecord]: leave FILE as a gc killed halfway
 * would: renamed to its quarantine name, [sem.].pipc-gc.INODE.NAME, or with
 * "xattr" to [sem.].pipc-gc.INODE with FILE in user.pipc.gc (what gc does
 * when the long name does not fit), or with "norecord" without either.
 * Prints the quarantine name.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

int
main(int argc, char **argv)
{
	char from[4096], to[4096], q[600];
	const char *mode = argc > 3 ? argv[3] : "name";
	int sem;
	struct stat st;

	if (argc < 3 || argc > 4)
		errx(2, "usage: gc_plant DIR FILE [xattr|norecord]");
	snprintf(from, sizeof(from), "%s/%s", argv[1], argv[2]);
	if (lstat(from, &st) == -1)
		err(1, "%s", from);
	sem = strncmp(argv[2], "sem.", 4) == 0;
	snprintf(q, sizeof(q), "%s.pipc-gc.%llx%s%s", sem ? "sem." : "",
	    (unsigned long long)st.st_ino, strcmp(mode, "name") ? "" : ".",
	    strcmp(mode, "name") ? "" : argv[2] + (sem ? 4 : 0));
	snprintf(to, sizeof(to), "%s/%s", argv[1], q);
	if (strcmp(mode, "xattr") == 0 &&
	    lsetxattr(from, "user.pipc.gc", argv[2], strlen(argv[2]), 0) == -1)
		err(1, "setxattr %s", from);
	if (rename(from, to) == -1)
		err(1, "rename %s", from);
	printf("%s\n", q);
	return 0;
}

/*
 * logind's RemoveIPC=: whether systemd-logind removes a regular user's IPC
 * objects when the user's last session ends, and whose objects those are.
 *
 * logind.conf(5): RemoveIPC= defaults to yes, and "IPC objects of the root
 * user and other system users are excluded"; logind's user_finalize()
 * tests !uid_is_system(uid), i.e. uid > SYSTEM_UID_MAX (999 on Debian,
 * SYS_UID_MAX of login.defs where systemd reads it). The configuration is
 * systemd.conf's: the main file, then every logind.conf.d drop-in of /etc,
 * /run, /usr/local/lib and /usr/lib in lexical order of their file names
 * (a name in an earlier directory hides the same name in a later one);
 * the last assignment wins. logind runs where /run/systemd/seats exists,
 * the test sd-login's callers use.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"

#define NOBODY_UID	65534	/* no sessions: never a login user */

static const char *const conf_dirs[] = {
	"/etc/systemd", "/run/systemd", "/usr/local/lib/systemd",
	"/usr/lib/systemd",
};
#define NCONF_DIRS	(sizeof(conf_dirs) / sizeof(conf_dirs[0]))

/* systemd's booleans; -1 for anything else (logind ignores the line). */
static int
boolean(const char *s)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	s += strspn(s, " \t");
	for (e = s + strlen(s); e > s && strchr(" \t\r\n", e[-1]) != NULL; )
		*--e = '\0';
	return s;
}

/* Apply the RemoveIPC= lines of [Login] in path, if it can be read. */
static void
parse_conf(struct pipc_removeipc *r, const char *path)
{
	char line[1024], *s, *v;
	int login = 0, b;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		s = trim(line);
		if (*s == '#' || *s == ';' || *s == '\0')
			continue;
		if (*s == '[') {
			login = strcmp(s, "[Login]") == 0;
			continue;
		}
		if (!login || (v = strchr(s, '=')) == NULL)
			continue;
		*v++ = '\0';
		if (strcmp(trim(s), "RemoveIPC") == 0 &&
		    (b = boolean(trim(v))) != -1) {
			r->enabled = b;
			strlcpy(r->source, path, sizeof(r->source));
		}
	}
	fclose(fp);
}

static int
conf_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && d->d_name[0] != '.' &&
	    strcmp(d->d_name + n - 5, ".conf") == 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(strrchr(*(char *const *)a, '/') + 1,
	    strrchr(*(char *const *)b, '/') + 1);
}

/* The drop-ins, by file name, the first directory's of each name. */
static void
parse_dropins(struct pipc_removeipc *r, const char *root)
{
	char path[PATH_MAX], **v = NULL, **nv;
	struct dirent **ents;
	size_t d, i, n = 0;
	int k, m;

	for (d = 0; d < NCONF_DIRS; d++) {
		snprintf(path, sizeof(path), "%s%s/logind.conf.d", root,
		    conf_dirs[d]);
		if ((m = scandir(path, &ents, conf_name, alphasort)) == -1)
			continue;
		for (k = 0; k < m; k++) {
			for (i = 0; i < n; i++)
				if (strcmp(strrchr(v[i], '/') + 1,
				    ents[k]->d_name) == 0)
					break;
			if (i == n && (nv = reallocarray(v, n + 1,
			    sizeof(*v))) != NULL) {
				v = nv;
				if (asprintf(&v[n], "%s/%s", path,
				    ents[k]->d_name) != -1)
					n++;
			}
			free(ents[k]);
		}
		free(ents);
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), by_name);
	for (i = 0; i < n; i++) {
		parse_conf(r, v[i]);
		free(v[i]);
	}
	free(v);
}

/* SYS_UID_MAX of login.defs, or 999 as systemd's own boundary. */
static uid_t
sys_uid_max(const char *root)
{
	char path[PATH_MAX], line[512], *s, *end;
	unsigned long long u;
	uid_t max = 999;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/etc/login.defs", root);
	if ((fp = fopen(path, "re")) == NULL)
		return max;
	while (fgets(line, sizeof(line), fp) != NULL) {
		s = trim(line);
		if (strncmp(s, "SYS_UID_MAX", 11) != 0 ||
		    strchr(" \t", s[11]) == NULL)
			continue;
		s = trim(s + 11);
		errno = 0;
		u = strtoull(s, &end, 10);
		if (errno == 0 && end != s && *end == '\0' && u < NOBODY_UID)
			max = (uid_t)u;
	}
	fclose(fp);
	return max;
}

/*
 * Read what logind would do, under root (PIPC_LOGIND_ROOT, else "/"):
 * whether it runs, RemoveIPC= and the file that set it, the boundary.
 */
void
pipc_removeipc_read(struct pipc_removeipc *r)
{
	char path[PATH_MAX];
	const char *root = getenv("PIPC_LOGIND_ROOT");
	size_t d;

	if (root == NULL || strcmp(root, "/") == 0)
		root = "";
	memset(r, 0, sizeof(*r));
	r->enabled = 1;		/* logind's compiled-in default */
	snprintf(path, sizeof(path), "%s/run/systemd/seats", root);
	r->running = access(path, F_OK) == 0;
	for (d = 0; d < NCONF_DIRS; d++) {
		snprintf(path, sizeof(path), "%s%s/logind.conf", root,
		    conf_dirs[d]);
		if (access(path, F_OK) == 0) {
			parse_conf(r, path);
			break;
		}
	}
	parse_dropins(r, root);
	r->sys_uid_max = sys_uid_max(root);
}

/* Would logind remove this object when its owner's last session ends? */
int
pipc_removeipc_exposed(const struct pipc_removeipc *r,
    const struct pipc_obj *o)
{
	uid_t u = o->st.st_uid;

	return r->running && r->enabled && !o->foreign &&
	    o->state == PIPC_IN_USE && u > r->sys_uid_max &&
	    u != NOBODY_UID && u != (uid_t)-1;
}

/*
 * Quarantine names: how gc names an object it is collecting, and how an
 * interrupted gc's quarantine is recognised and shown (ls uses these too).
 */
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

#include "internal.h"

/* A file name of o's kind ("sem." only for semaphores), never '/', '.'
 * or '..'. */
static int
origin_ok(const struct pipc_obj *o, const char *s, size_t n)
{
	return n > 0 && strlen(s) == n && strchr(s, '/') == NULL &&
	    strcmp(s, ".") != 0 && strcmp(s, "..") != 0 &&
	    pipc_kind_claim(pipc_kind(o->type)->dir, s) == (int)o->type;
}

/*
 * A quarantine name is [PREFIX].pipc-gc.HEX[.NAME], PREFIX its kind's
 * ("sem."): HEX the inode, which an object merely named so does not have;
 * NAME its name, when it fits (else the user.pipc.gc attribute holds its
 * file name). Returns the ".NAME" or "" part when file, an object of kind
 * t, is one for inode ino, or NULL.
 */
const char *
pipc_gc_qparse(const char *file, enum pipc_type t, ino_t ino)
{
	unsigned long long v = 0;
	const char *p = file + strlen(pipc_kind(t)->prefix), *start;

	if (strncmp(p, PIPC_GC_PREFIX, sizeof(PIPC_GC_PREFIX) - 1) != 0)
		return NULL;
	start = p += sizeof(PIPC_GC_PREFIX) - 1;
	for (; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
		if (p - start >= 16 || (p == start && *p == '0'))
			return NULL;
		else
			v = v << 4 | (unsigned)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
	if (p == start || v != (unsigned long long)ino ||
	    (*p != '\0' && (*p != '.' || p[1] == '\0')))
		return NULL;
	return p;
}

/*
 * Is o a quarantine an interrupted gc left in dir? If so, origin (NAME_MAX
 * + 1 bytes) gets the file name it had, or "" when that is not known.
 */
int
pipc_gc_quarantined(const char *dir, const struct pipc_obj *o, char *origin)
{
	char buf[PATH_MAX];
	const char *rest;
	ssize_t n;

	if (o->foreign)
		return 0;
	if (pipc_kind(o->type)->flags & PIPC_KIND_NORENAME) {
		if ((o->st.st_mode & 07777) != PIPC_GC_MQMODE)
			return 0;
		strlcpy(origin, o->file, NAME_MAX + 1);
		return 1;
	}
	rest = pipc_gc_qparse(o->file, o->type, o->st.st_ino);
	if (rest == NULL)
		return 0;
	origin[0] = '\0';
	if (*rest == '.') {
		snprintf(origin, NAME_MAX + 1, "%s%s",
		    pipc_kind(o->type)->prefix, rest + 1);
		n = (ssize_t)strlen(origin);
	} else if (snprintf(buf, sizeof(buf), "%s/%s", dir, o->file) <
	    (int)sizeof(buf) &&
	    (n = lgetxattr(buf, PIPC_GC_XATTR, origin, NAME_MAX)) > 0)
		origin[n] = '\0';
	else
		return 1;
	if (!origin_ok(o, origin, (size_t)n))
		origin[0] = '\0';
	return 1;
}

/* o's quarantine name; 1 when it holds o's name, 0 when it is too long. */
int
pipc_gc_qname(char *buf, size_t size, const struct pipc_obj *o)
{
	const char *prefix = pipc_kind(o->type)->prefix;
	unsigned long long ino = (unsigned long long)o->st.st_ino;

	if (o->quarantine) {
		strlcpy(buf, o->file, size);
		return 1;
	}
	if ((size_t)snprintf(buf, size, "%s%s%llx.%s", prefix, PIPC_GC_PREFIX,
	    ino, o->name) < size && strlen(buf) <= NAME_MAX)
		return 1;
	snprintf(buf, size, "%s%s%llx", prefix, PIPC_GC_PREFIX, ino);
	return 0;
}

/* The name a quarantine had, as given to *_open ("x" of "sem.x"), or NULL. */
const char *
pipc_gc_origin(const struct pipc_obj *o)
{
	if (!o->quarantine || o->origin == NULL)
		return NULL;
	return o->origin + strlen(pipc_kind(o->type)->prefix);
}

/*
 * An object's name for a terminal, "/name"; for a quarantine also the name
 * it had, "/.pipc-gc.1f(/name)", or "(?)" when that is unknown. Returns the
 * length needed, like snprintf.
 */
size_t
pipc_gc_label(char *buf, size_t size, const struct pipc_obj *o, int flags)
{
	const char *orig = pipc_gc_origin(o);
	size_t n;

	if (size < 2)
		return 0;
	buf[0] = '/';
	n = 1 + pipc_escape_text(buf + 1, size - 1, o->name, flags);
	if (!o->quarantine || n + 3 >= size)
		return n;
	n += (size_t)snprintf(buf + n, size - n, orig != NULL ? "(/" : "(?");
	if (orig != NULL && n < size)
		n += pipc_escape_text(buf + n, size - n, orig, flags);
	if (n + 1 < size) {
		buf[n++] = ')';
		buf[n] = '\0';
	}
	return n;
}

/*
 * Who runs a process, read from the text of /proc/PID/cgroup: the container
 * runtime, container id, pod UID or name an operator knows it by. Pure: it
 * reads nothing but the text it is given.
 *
 * The cgroup path is read one component at a time; the runtimes name them:
 *
 *   docker (systemd driver)     .../docker-<64 hex>.scope
 *   docker (cgroupfs driver)    /docker/<64 hex>
 *   containerd, CRI             .../cri-containerd-<64 hex>.scope
 *   containerd, nerdctl         .../nerdctl-<64 hex>.scope
 *   cri-o                       .../crio-<64 hex>.scope, crio-<64 hex>
 *                               (its monitor: crio-conmon-<64 hex>.scope)
 *   kubernetes, systemd driver  kubepods[-QOS]-pod<UID, '_' for '-'>.slice
 *                               (kind: kubelet-kubepods-...)
 *   kubernetes, cgroupfs        /kubepods[/QOS]/pod<UID>/<container>
 *   podman                      .../libpod-<64 hex>.scope, libpod-<64 hex>
 *                               (its monitor: libpod-conmon-<64 hex>.scope,
 *                               a pod: machine-libpod_pod_<id>.slice)
 *   systemd-nspawn, machined    /machine.slice/machine-<name>.scope
 *                               (newer: .../payload; nspawn: .../supervisor)
 *   lxc 4.0 and later           /lxc.payload.<name> (monitor: lxc.monitor.)
 *   lxc before 4.0              /lxc/<name>
 *   a systemd service           /system.slice/<name>.service
 *   the host                    /, init.scope, anything under user.slice
 *
 * Unit names are unescaped as systemd escapes them ("\x2d" is '-'). The
 * deepest container component wins (docker in docker, systemd in a
 * container); a component that is no container of a known runtime makes
 * the path "other" unless the path names a service or a container.
 *
 * Of the lines, the cgroup v2 one ("0::PATH") speaks first; a v1 line (on a
 * hybrid host the controllers stay in v1) is taken only where it names a
 * container and the v2 line does not: with the cgroupfs driver on a hybrid
 * host, the container's v2 cgroup is its runtime's service.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define ID_LEN		64

/* What a path names, most specific last. */
enum rank {
	RANK_HOST, RANK_OTHER, RANK_SERVICE, RANK_MONITOR, RANK_POD,
	RANK_CONTAINER = PIPC_CGRANK_CONTAINER
};

struct walk {
	struct pipc_cglabel l;		/* the best container so far */
	int		 rank;
	int		 kube, user;
	char		 pod[sizeof(((struct pipc_cglabel *)0)->pod)];
	char		 service[sizeof(((struct pipc_cglabel *)0)->name)];
	char		 last[sizeof(((struct pipc_cglabel *)0)->name)];
	const char	*prev;		/* the component before this one */
	size_t		 prevlen;
};

static const char *const runtimes[PIPC_NRUNTIMES] = {
	[PIPC_RT_HOST] = "host",
	[PIPC_RT_OTHER] = "other",
	[PIPC_RT_SERVICE] = "service",
	[PIPC_RT_DOCKER] = "docker",
	[PIPC_RT_CONTAINERD] = "containerd",
	[PIPC_RT_CRIO] = "cri-o",
	[PIPC_RT_PODMAN] = "podman",
	[PIPC_RT_KUBERNETES] = "kubernetes",
	[PIPC_RT_NSPAWN] = "nspawn",
	[PIPC_RT_LXC] = "lxc",
};

const char *
pipc_runtime_name(enum pipc_runtime rt)
{
	return (unsigned)rt < PIPC_NRUNTIMES ? runtimes[rt] : "?";
}

static int
is(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(s, word, n) == 0;
}

static int
prefix(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && memcmp(s, p, k) == 0;
}

static int
suffix(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && memcmp(s + n - k, p, k) == 0;
}

static int
hexid(const char *s, size_t n)
{
	size_t i;

	if (n != ID_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return 1;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A unit name as systemd escapes it, into out: "\xHH" is that byte (but
 * never a NUL, kept as written). 0, or -1 when it was cut to fit (no
 * cgroup's name is that long: only made-up text is).
 */
static int
unescape(char *out, size_t size, const char *s, size_t n)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (o + 1 >= size) {
			out[o] = '\0';
			return -1;
		}
		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' &&
		    (hi = hexval(s[i + 2])) >= 0 &&
		    (lo = hexval(s[i + 3])) >= 0 && (hi | lo) != 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 3;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	return 0;
}

/* A pod UID: hex digits and dashes ('_' in systemd unit names). */
static int
poduid(char *out, size_t size, const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= size)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '_' || s[i] == '-')
			out[i] = '-';
		else if (hexval(s[i]) >= 0)
			out[i] = s[i];
		else
			return -1;
	}
	out[n] = '\0';
	return 0;
}

/* A container found at this depth: it wins over any shallower one. */
static void
found(struct walk *w, enum pipc_runtime rt, int monitor, const char *id,
    const char *name, size_t namelen)
{
	struct pipc_cglabel l;
	int rank = monitor ? RANK_MONITOR : RANK_CONTAINER;

	if (rank < w->rank)
		return;
	memset(&l, 0, sizeof(l));
	l.runtime = rt;
	l.monitor = monitor != 0;
	if (id != NULL) {
		memcpy(l.id, id, ID_LEN);
		memcpy(l.shortid, id, PIPC_CG_SHORT);
	}
	if (name != NULL)
		(void)unescape(l.name, sizeof(l.name), name, namelen);
	w->l = l;
	w->rank = rank;
}

/* "PREFIX<64 hex>" and maybe ".scope": the id, or NULL. */
static const char *
idafter(const char *s, size_t n, const char *p, int scope)
{
	size_t k = strlen(p);

	if (scope)
		n -= strlen(".scope");
	return prefix(s, n, p) && hexid(s + k, n - k) ? s + k : NULL;
}

static void
component(struct walk *w, const char *s, size_t n)
{
	int scope = suffix(s, n, ".scope");
	const char *id, *p;
	size_t k;

	if (n == 0 || is(s, n, ".") || is(s, n, ".."))
		return;
	if (memmem(s, n, "kubepods", 8) != NULL) {
		/* kubepods..., or kubelet-kubepods... (kind, a cgroup root) */
		w->kube = 1;
		/* kubepods-burstable-pod<uid>.slice: the UID has no '-'. */
		if (suffix(s, n, ".slice")) {
			k = n - strlen(".slice");
			for (p = s + k; p > s && p[-1] != '-'; p--)
				;
			if (p > s && prefix(p, (size_t)(s + k - p), "pod"))
				poduid(w->pod, sizeof(w->pod), p + 3,
				    (size_t)(s + k - p) - 3);
		}
	} else if (w->kube && prefix(s, n, "pod") && n > 3 &&
	    poduid(w->pod, sizeof(w->pod), s + 3, n - 3) == 0) {
		/* cgroupfs: /kubepods/QOS/pod<UID>/<id> */
	} else if ((id = idafter(s, n, "docker-", scope)) != NULL && scope)
		found(w, PIPC_RT_DOCKER, 0, id, NULL, 0);
	else if ((id = idafter(s, n, "cri-containerd-", scope)) != NULL &&
	    scope)
		found(w, PIPC_RT_CONTAINERD, 0, id, NULL, 0);
	else if ((id = idafter(s, n, "nerdctl-", scope)) != NULL && scope)
		found(w, PIPC_RT_CONTAINERD, 0, id, NULL, 0);
	else if ((id = idafter(s, n, "crio-conmon-", scope)) != NULL)
		found(w, PIPC_RT_CRIO, 1, id, NULL, 0);
	else if ((id = idafter(s, n, "crio-", scope)) != NULL)
		found(w, PIPC_RT_CRIO, 0, id, NULL, 0);
	else if ((id = idafter(s, n, "libpod-conmon-", scope)) != NULL)
		found(w, PIPC_RT_PODMAN, 1, id, NULL, 0);
	else if ((id = idafter(s, n, "libpod-", scope)) != NULL)
		found(w, PIPC_RT_PODMAN, 0, id, NULL, 0);
	else if (scope && prefix(s, n, "machine-") &&
	    n > strlen("machine-.scope"))
		found(w, PIPC_RT_NSPAWN, 0, NULL, s + 8, n - 8 - 6);
	else if (prefix(s, n, "machine-libpod_pod_") &&
	    suffix(s, n, ".slice") && n > 19 + 6 &&
	    n - 19 - 6 < sizeof(w->pod)) {
		memcpy(w->pod, s + 19, n - 19 - 6);
		w->pod[n - 19 - 6] = '\0';
	} else if (hexid(s, n)) {
		if (w->prev != NULL && is(w->prev, w->prevlen, "docker"))
			found(w, PIPC_RT_DOCKER, 0, s, NULL, 0);
		else
			found(w, w->kube ? PIPC_RT_KUBERNETES : PIPC_RT_OTHER,
			    0, s, NULL, 0);
	} else if (prefix(s, n, "lxc.payload.") && n > 12)
		found(w, PIPC_RT_LXC, 0, NULL, s + 12, n - 12);
	else if (prefix(s, n, "lxc.monitor.") && n > 12)
		found(w, PIPC_RT_LXC, 1, NULL, s + 12, n - 12);
	else if (w->prev != NULL && (is(w->prev, w->prevlen, "lxc") ||
	    is(w->prev, w->prevlen, "lxc.payload")))
		found(w, PIPC_RT_LXC, 0, NULL, s, n);
	else if (is(s, n, "supervisor") && w->rank == RANK_CONTAINER &&
	    w->l.runtime == PIPC_RT_NSPAWN) {
		/* machine-NAME.scope/supervisor: systemd-nspawn itself */
		w->l.monitor = 1;
		w->rank = RANK_MONITOR;
	} else if (is(s, n, "user.slice"))
		w->user = 1;
	else if (suffix(s, n, ".service") && n > 8) {
		/* A user's services are the host, as the user's session. */
		if (!w->user && unescape(w->service, sizeof(w->service), s,
		    n - 8) == 0 && w->rank < RANK_SERVICE)
			w->rank = RANK_SERVICE;
	} else if (scope || suffix(s, n, ".slice") || is(s, n, "docker") ||
	    is(s, n, "lxc") || is(s, n, "lxc.payload") ||
	    is(s, n, "libpod_parent") || (w->kube && (is(s, n, "burstable") ||
	    is(s, n, "besteffort"))))
		;	/* a slice, a session, a runtime's parent */
	else {
		(void)unescape(w->last, sizeof(w->last), s, n);
		if (w->rank < RANK_OTHER)
			w->rank = RANK_OTHER;
	}
	w->prev = s;
	w->prevlen = n;
}

/* The label of one cgroup path (s, n), and how specific it is. */
static int
path_label(const char *s, size_t n, struct pipc_cglabel *out)
{
	struct walk w;
	const char *end = s + n, *c;

	memset(&w, 0, sizeof(w));
	w.rank = RANK_HOST;
	for (; s < end; s = c + 1) {
		if ((c = memchr(s, '/', (size_t)(end - s))) == NULL)
			c = end;
		component(&w, s, (size_t)(c - s));
	}
	if (w.rank >= RANK_MONITOR) {
		*out = w.l;
		if (w.kube) {
			out->engine = out->runtime == PIPC_RT_KUBERNETES ?
			    PIPC_RT_OTHER : out->runtime;
			out->runtime = PIPC_RT_KUBERNETES;
		}
	} else if (w.kube && w.pod[0] != '\0') {
		/* A pod's own cgroup, no container of it. */
		memset(out, 0, sizeof(*out));
		out->runtime = PIPC_RT_KUBERNETES;
		out->engine = PIPC_RT_OTHER;
		w.rank = RANK_POD;
	} else {
		memset(out, 0, sizeof(*out));
		if (w.rank == RANK_SERVICE) {
			out->runtime = PIPC_RT_SERVICE;
			memcpy(out->name, w.service, sizeof(out->name));
		} else if (w.rank == RANK_OTHER) {
			out->runtime = PIPC_RT_OTHER;
			memcpy(out->name, w.last, sizeof(out->name));
		} else
			out->runtime = PIPC_RT_HOST;
		return w.rank;
	}
	memcpy(out->pod, w.pod, sizeof(out->pod));
	return w.rank;
}

/*
 * The label of a process from the text of its /proc/PID/cgroup (len bytes,
 * not necessarily NUL-terminated). Returns 0, or -1 with EINVAL when no
 * line is of the form "ID:CONTROLLERS:/PATH" (the label is then "host").
 */
int
pipc_cgroup_label(const char *text, size_t len, struct pipc_cglabel *out)
{
	const char *end = text + len, *nl, *p, *c1, *c2;
	struct pipc_cglabel l, v1;
	int v2rank = -1, v1rank = -1, r;

	memset(out, 0, sizeof(*out));
	memset(&v1, 0, sizeof(v1));
	out->runtime = PIPC_RT_HOST;
	for (p = text; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		for (c1 = p; c1 < nl && *c1 >= '0' && *c1 <= '9'; c1++)
			;
		if (c1 == p || c1 == nl || *c1 != ':' || memchr(p, '\0',
		    (size_t)(nl - p)) != NULL ||
		    (c2 = memchr(c1 + 1, ':', (size_t)(nl - c1 - 1))) == NULL ||
		    c2 + 1 >= nl || c2[1] != '/')
			continue;
		r = path_label(c2 + 1, (size_t)(nl - c2 - 1), &l);
		if (c1 - p == 1 && *p == '0' && c2 == c1 + 1) {
			if (r > v2rank) {
				*out = l;
				v2rank = r;
			}
		} else if (r > v1rank) {
			v1 = l;
			v1.v1 = 1;
			v1rank = r;
		}
	}
	if (v1rank > v2rank && (v2rank == -1 || v1rank >= RANK_MONITOR))
		*out = v1;
	if (v1rank == -1 && v2rank == -1) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* How specific a label is: a container beats a monitor, a service, host. */
int
pipc_cglabel_rank(const struct pipc_cglabel *l)
{
	switch (l->runtime) {
	case PIPC_RT_HOST:
		return RANK_HOST;
	case PIPC_RT_OTHER:
		return l->id[0] != '\0' ? RANK_CONTAINER : RANK_OTHER;
	case PIPC_RT_SERVICE:
		return RANK_SERVICE;
	default:
		if (l->monitor)
			return RANK_MONITOR;
		return l->id[0] == '\0' && l->name[0] == '\0' ? RANK_POD :
		    RANK_CONTAINER;
	}
}

/*
 * The label as one word for a table: "host", "docker:SHORTID",
 * "kubernetes:PODUID/SHORTID", "nspawn:NAME", "service:NAME",
 * "podman-monitor:SHORTID"... Names are raw bytes: the caller escapes.
 * Returns the length it needs, as snprintf.
 */
size_t
pipc_cglabel_text(char *buf, size_t size, const struct pipc_cglabel *l)
{
	const char *what = l->id[0] != '\0' ? l->shortid : l->name;
	int n;

	if (l->runtime == PIPC_RT_HOST)
		n = snprintf(buf, size, "host");
	else if (l->runtime == PIPC_RT_KUBERNETES)
		n = snprintf(buf, size, "kubernetes:%s%s%s%s",
		    l->pod[0] != '\0' ? l->pod : "?", what[0] != '\0' ? "/" : "",
		    what, l->monitor ? "/monitor" : "");
	else
		n = snprintf(buf, size, "%s%s%s%s", pipc_runtime_name(l->runtime),
		    l->monitor ? "-monitor" : "", what[0] != '\0' ? ":" : "",
		    what);
	return n < 0 ? 0 : (size_t)n;
}

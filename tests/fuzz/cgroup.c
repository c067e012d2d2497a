/*
 * Fuzz the reading of /proc/PID/cgroup text into a label: every field is a
 * NUL-terminated string inside its array, an id is 64 hex digits and its
 * short form its first 12, a kubernetes label alone has an engine, the
 * rank agrees with the runtime, and the one-word text gets the same length
 * and a NUL-terminated prefix in every short buffer. The same bytes, as a
 * /proc/PID/status text, give an NSpid that is a PID or none.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static void
check_string(const char *s, size_t size)
{
	if (memchr(s, '\0', size) == NULL)
		abort();
}

static void
check_label(const struct pipc_cglabel *l)
{
	char full[1024], part[1024];
	size_t i, n, k;

	check_string(l->id, sizeof(l->id));
	check_string(l->shortid, sizeof(l->shortid));
	check_string(l->pod, sizeof(l->pod));
	check_string(l->name, sizeof(l->name));
	if ((unsigned)l->runtime >= PIPC_NRUNTIMES ||
	    (unsigned)l->engine >= PIPC_NRUNTIMES)
		abort();
	if (l->runtime != PIPC_RT_KUBERNETES && l->engine != PIPC_RT_HOST)
		abort();
	if (l->id[0] != '\0') {
		if (strlen(l->id) != 64 || strspn(l->id, "0123456789abcdef") !=
		    64 || strncmp(l->id, l->shortid, PIPC_CG_SHORT) != 0 ||
		    strlen(l->shortid) != PIPC_CG_SHORT)
			abort();
	} else if (l->shortid[0] != '\0')
		abort();
	if (l->runtime == PIPC_RT_HOST && (l->id[0] != '\0' ||
	    l->name[0] != '\0' || l->pod[0] != '\0' || l->monitor ||
	    pipc_cglabel_rank(l) != 0))
		abort();
	if (l->runtime != PIPC_RT_HOST && pipc_cglabel_rank(l) == 0)
		abort();
	n = pipc_cglabel_text(full, sizeof(full), l);
	if (n == 0 || n >= sizeof(full) || strlen(full) != n)
		abort();
	for (k = 0; k <= n + 1; k++) {
		memset(part, 'x', sizeof(part));
		if (pipc_cglabel_text(k ? part : NULL, k, l) != n)
			abort();
		if (k == 0)
			continue;
		i = strlen(part);
		if (i >= k || memcmp(part, full, i) != 0 || i != (k - 1 < n ?
		    k - 1 : n))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct pipc_cglabel l;
	pid_t pid = -1;
	char *s;

	/* Exactly size bytes, no terminator: an over-read is caught. */
	if ((s = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	if (pipc_cgroup_label(s, size, &l) == -1 && l.runtime != PIPC_RT_HOST)
		abort();
	check_label(&l);
	if (pipc_nspid_parse(s, size, &pid) == 0 && pid < 0)
		abort();
	free(s);
	return 0;
}

/*
 * Fuzz the --since snapshot reader (snapshot.c on json.c): no crash, no
 * leak, an error always says why and where, and every object it keeps is
 * found again by pipc_snapshot_has.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct pipc_snapshot s;
	const char *why = NULL;
	size_t off = (size_t)-1, i;
	char *buf;

	/* An exact-size copy: the reader must never look past len. */
	if ((buf = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	if (pipc_snapshot_parse(&s, buf, size, &why, &off) == -1) {
		if (why == NULL || off > size || s.v != NULL || s.n != 0)
			abort();
		free(buf);
		return 0;
	}
	if (!s.found)
		abort();
	for (i = 0; i < s.n; i++) {
		if (s.v[i].type >= PIPC_NTYPES || s.v[i].ino == 0 ||
		    s.v[i].name[0] == '\0')
			abort();
		if (!pipc_snapshot_has(&s, s.v[i].type, s.v[i].name,
		    s.v[i].ino))
			abort();
	}
	pipc_snapshot_free(&s);
	free(buf);
	return 0;
}

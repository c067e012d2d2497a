/*
 * Fuzz the recognisers of what shared memory holds (contents.c, boost.c)
 * and glibc's mutex decoder. An input is the first bytes of a file whose
 * size is the input's length; or, when it begins with 'S', the size is
 * the next 8 bytes (little-endian) and the bytes the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static void
check(const unsigned char *b, size_t len, uint64_t size)
{
	struct pipc_contents c;
	struct pipc_pmutex m;
	size_t i, seen = len < size ? len : (size_t)size;

	if (pipc_contents_recognise(b, len, size, &c) != 1) {
		/* Not recognised: nothing is left behind to be trusted. */
		if (c.what != NULL || c.nmutex != 0 || c.nevidence != 0)
			abort();
		return;
	}
	if (c.what == NULL || c.layout == NULL || c.nevidence == 0 ||
	    c.nevidence > PIPC_CONTENTS_EVIDENCE ||
	    c.nmutex > PIPC_CONTENTS_LOCKS || c.ncond > PIPC_CONTENTS_LOCKS ||
	    c.nfacts > PIPC_CONTENTS_FACTS)
		abort();
	for (i = 0; i < c.nevidence; i++)
		if (memchr(c.evidence[i], '\0', sizeof(c.evidence[i])) == NULL)
			abort();
	/* Every mutex lies inside what was read, and is one glibc makes. */
	for (i = 0; i < c.nmutex; i++) {
		if (c.mutex[i].off + PIPC_PMUTEX_SIZE > seen ||
		    !(c.mutex[i].kind & PIPC_PMUTEX_PSHARED) ||
		    c.mutex[i].role == NULL)
			abort();
		if (c.mutex[i].tid != 0 && !c.mutex[i].locked)
			abort();
	}
	for (i = 0; i < c.ncond; i++)
		if (c.cond[i].off + 48 > seen)
			abort();
	/* A boost segment is initialised, whatever else it is. */
	if (strncmp(c.what, "boost::", 7) == 0 &&
	    (seen < 4 || b[0] != 2 || b[1] != 0 || b[2] != 0 || b[3] != 0))
		abort();
	if (strcmp(c.what, "boost::interprocess::named_condition") == 0 &&
	    size != 104)
		abort();
	if (len >= PIPC_PMUTEX_SIZE && pipc_pmutex_decode(b, 0, &m) == 0) {
		if (!(m.kind & PIPC_PMUTEX_PSHARED))
			abort();
		if (!(m.kind & (PIPC_PMUTEX_ROBUST | PIPC_PMUTEX_PI |
		    PIPC_PMUTEX_PP)) && m.lock > 2)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct pipc_pmutex m;
	uint64_t fsize = 0;
	int i;

	if (size >= PIPC_PMUTEX_SIZE && pipc_pmutex_decode(data, 0, &m) == 0 &&
	    (!(m.kind & PIPC_PMUTEX_PSHARED) || (m.locked && m.robust &&
	    m.tid == 0)))
		abort();
	if (size >= 9 && data[0] == 'S') {
		for (i = 8; i >= 1; i--)
			fsize = fsize << 8 | data[i];
		check(data + 9, size - 9, fsize);
	} else
		check(data, size, size);
	return 0;
}

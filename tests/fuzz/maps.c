/* Fuzz the /proc/PID/maps line parser, walked over a buffer as holders.c does. */
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "internal.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *p, *next, *end, *nl;
	dev_t dev;
	ino_t ino;
	char *buf;

	/* An exact-size copy, so ASan sees any read past the end. */
	if ((buf = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	end = buf + size;
	for (p = buf; p < end; p = next) {
		next = pipc_maps_line(p, end, &dev, &ino);
		if (next == NULL) {
			/* A bad line: holders.c stops; go on to the next one. */
			if ((next = memchr(p, '\n', end - p)) == NULL)
				break;
			next++;
			continue;
		}
		/* Just past this line's newline, or the end: never elsewhere. */
		nl = memchr(p, '\n', end - p);
		if (next != (nl != NULL ? nl + 1 : end))
			abort();
		if (major(dev) > 0xfffff || minor(dev) > 0xfffff)
			abort();
	}
	free(buf);
	return 0;
}

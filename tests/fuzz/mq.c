/* Fuzz the reader of an mqueue file's text ("QSIZE:... NOTIFY_PID:..."). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	long qsize = -1;
	pid_t pid = -1;
	char *s;

	/* scan.c reads at most a page and NUL-terminates it. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (pipc_mq_parse(s, &qsize, &pid) == 0 && (qsize < 0 || pid < 0))
		abort();
	free(s);
	return 0;
}

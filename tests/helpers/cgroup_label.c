/*
 * Print the label lib/cgroup.c makes of the /proc/PID/cgroup text on stdin:
 * "RUNTIME [engine=E] [id=ID] [pod=UID] [name=NAME] [monitor] [v1] | TEXT";
 * exit 1 when no line was of cgroup form.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pipc.h"

int
main(void)
{
	static char text[1 << 16];
	struct pipc_cglabel l;
	char word[512];
	size_t len;
	int rv;

	len = fread(text, 1, sizeof(text), stdin);
	rv = pipc_cgroup_label(text, len, &l);
	printf("%s", pipc_runtime_name(l.runtime));
	if (l.runtime == PIPC_RT_KUBERNETES)
		printf(" engine=%s", pipc_runtime_name(l.engine));
	if (l.id[0] != '\0')
		printf(" id=%s", l.id);
	if (l.pod[0] != '\0')
		printf(" pod=%s", l.pod);
	if (l.name[0] != '\0')
		printf(" name=%s", l.name);
	if (l.monitor)
		printf(" monitor");
	if (l.v1)
		printf(" v1");
	pipc_cglabel_text(word, sizeof(word), &l);
	printf(" | %s\n", word);
	return rv == 0 ? 0 : 1;
}

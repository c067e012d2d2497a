/* gc: not built yet (placeholder while its issue is in progress). */
#include <err.h>

#include "cmd.h"

static int
gc_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnx("gc: not implemented yet");
	return 1;
}

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

const struct cmd cmd_gc = {
	"gc", gc_main, "", "", "h", longopts
};

/* unlock: not built yet (placeholder while its issue is in progress). */
#include <err.h>

#include "cmd.h"

static int
unlock_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnx("unlock: not implemented yet");
	return 1;
}

static const struct option longopts[] = {
	COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

const struct cmd cmd_unlock = {
	"unlock", unlock_main, "", "", "h", longopts
};
